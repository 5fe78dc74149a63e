"""Hyphens at line ends: a word broken by hyphenation (``opera-`` / ``tion``) or a compound broken at its own
hyphen (``zero-`` / ``emission``)?

A PDF draws both the same way (pdfium marks every line-end hyphen alike), so the document decides. The
compound is kept when it is written with its hyphen elsewhere, the hyphen dropped when the joined word is
written elsewhere. Otherwise a document that hyphenates (most of its other line-end breaks leave a half
that is no word of it, like ``Shang-`` / ``hai``) keeps the hyphen only when both halves are its words; one
that does not hyphenate (its other breaks are compounds) keeps every hyphen; with no other break, a tail
that is a word of the document (``co-`` / ``management``) keeps it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_WORD = re.compile(r"[A-Za-z]+")
_COMPOUND = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)+")
_BROKEN = re.compile(r"([A-Za-z]+)-$")
_TAIL = re.compile(r"^([a-z]+)(-(?=[a-z]))?")


def _tail(text: str) -> str:
    """The lower-case word opening ``text`` (``plus-`` when it goes on as a compound), or ``""``."""
    m = _TAIL.match(text.strip().lower())
    return m.group(0) if m else ""


@dataclass(frozen=True)
class Vocabulary:
    """Lower-cased words and hyphenated compounds written within the document's lines."""

    words: frozenset[str]
    compounds: frozenset[str]
    odd_breaks: int = 0  # line-end breaks with a half that is no word of the document
    breaks: int = 0

    @classmethod
    def of(cls, lines: Iterable[str]) -> Vocabulary:
        """The vocabulary of lines in reading order (a line ending ``head-`` followed by its tail is a break).

        The halves of a break are left out of the words: they may be fragments.
        """
        texts = [line.strip().lower() for line in lines]
        words: set[str] = set()
        compounds: set[str] = set()
        breaks: list[tuple[str, str]] = []
        for prev, text in zip(["", *texts], texts, strict=False):
            broken, tail = _BROKEN.search(prev), _tail(text)
            if broken and tail:
                breaks.append((broken.group(1), tail))
                text = text[len(tail):]
            compounds.update(_COMPOUND.findall(text))
            words.update(_WORD.findall(_BROKEN.sub("", text)))
        vocabulary = cls(frozenset(words), frozenset(compounds))
        odd = sum(1 for h, t in breaks if not vocabulary._words(h, t))
        return cls(vocabulary.words, vocabulary.compounds, odd, len(breaks))

    def _known(self, word: str) -> bool:
        """A word of the document, singular or plural."""
        return len(word) >= 2 and bool({word, word + "s", word.removesuffix("s")} & self.words)

    def _words(self, head: str, tail: str) -> bool:
        """Both halves are words of the document, or the tail goes on as a compound (``plus-storage``)."""
        return tail.endswith("-") or (self._known(head) and self._known(tail))

    def keeps_hyphen(self, head: str, tail: str) -> bool:
        """Whether ``head-`` at a line end and ``tail`` on the next line are a compound (keep the hyphen)."""
        h, t = head.lower(), tail.lower()
        if f"{h}-{t.rstrip('-')}" in self.compounds:
            return True
        if h + t.rstrip("-") in self.words:
            return False
        if self._words(h, t):
            return True
        others = self.breaks - 1  # this break is an odd one: the document's other breaks decide
        if others <= 0:  # none: a compound when its tail is a word of the document (``co-`` / ``management``)
            return self._known(t)
        return (self.odd_breaks - 1) * 2 <= others


def mend(parts: list[str], vocabulary: Vocabulary) -> list[str]:
    """Wrapped pieces of one line with compounds broken at their hyphen put back together.

    Pieces ending in a hyphenation hyphen stay apart (:func:`archive.normalize.join_lines` mends them).
    """
    out: list[str] = []
    for part in parts:
        prev = out[-1].rstrip() if out else ""
        broken = _BROKEN.search(prev)
        if broken and _tail(part) and part.strip()[:1].islower() and vocabulary.keeps_hyphen(broken.group(1), _tail(part)):
            out[-1] = prev + part.strip()
        else:
            out.append(part)
    return out
