"""Heading-like lines that are not headlines: about headings, contents lists, credit lines, ALL-CAPS sections.

Used by headline layouts (no table of contents with headlines), where sections and headlines are
told apart line by line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from archive.normalize import ends_sentence, match_key

# "关于联盟", "联盟简介", "About us", "About the Coalition", "Who we are" — not "关于加强…的通知".
ABOUT_HEADING = re.compile(
    r"^(?:关于(?!.*的)\S{1,6}|\S{0,8}简介|关于我们|about(?:\s+us|\s+the\s+[\w'’ -]{1,40}|\s+[\w-]{2,20})|who we are)$",
    re.I,
)
# The cue that opens a contents list in a plain newsletter ("IN THIS ISSUE", "本期目录").
CONTENTS_CUE = re.compile(r"^(?:in this issue|this issue|inside|contents|table of contents|目录|本期目录|本期要目|本期导读)[:：]?$",
                          re.I)
# Credit lines of a masthead: "绿色丝路研究中心编", "编辑：…", "Compiled by …" — never a section or a headline.
CREDIT = re.compile(
    r"^\S{2,30}(?:中心|部|处|办公室|院|所|会|联盟|司|局|组|室|社)编(?:印|辑|制)?$"
    r"|^(?:主编|编辑|责任编辑|编印|主办|承办)\s*[：:]"
    r"|^(?:compiled|edited|prepared|produced|published)\s+by\s+\S",
    re.I,
)
_SMALL_WORDS = frozenset({"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"})


def is_about_heading(line: str) -> bool:
    """Whether a line heads the organisation's self-description (``关于联盟``, ``About us``)."""
    line = line.strip()
    return len(line) <= 40 and not ends_sentence(line) and bool(ABOUT_HEADING.match(line))


def is_credit_line(line: str) -> bool:
    """Whether a line credits the bulletin's editor or publisher (``…中心编``, ``Compiled by …``)."""
    line = line.strip()
    return len(line) <= 80 and not ends_sentence(line) and bool(CREDIT.match(line))


def _listish(lines: Sequence[str]) -> bool:
    return bool(lines) and all(len(line.strip()) <= 60 and not ends_sentence(line) for line in lines)


def find_contents(paras: Sequence[Sequence[str]], head: int = 15) -> tuple[int, int, list[str]]:
    """A contents list near the top: ``IN THIS ISSUE`` followed by section names.

    The names may share the cue's paragraph or, when blank lines were lost, follow in paragraphs
    of their own; those are taken while they look like a list, stopping at a name seen before (the
    body's first heading) or at a line followed by prose (a headline).

    Args:
        paras: The lines of each paragraph, in order.
        head: How many leading paragraphs to search for the cue.

    Returns:
        (first paragraph, paragraph after the list, names); (-1, -1, []) when there is no contents list.
    """
    for i, lines in enumerate(paras[:head]):
        if not lines or not CONTENTS_CUE.match(lines[0].strip()) or not _listish(lines[1:] or ["-"]):
            continue
        names = [line.strip() for line in lines[1:]]
        j = i + 1
        while len(lines) == 1 and j < len(paras) and _lists_more(paras, j, names):
            names.extend(line.strip() for line in paras[j])
            j += 1
        if names:
            return i, j, names
    return -1, -1, []


def _lists_more(paras: Sequence[Sequence[str]], j: int, names: list[str]) -> bool:
    """Whether paragraph ``j`` continues a contents list: list-like, not a repeat, not a headline over prose."""
    if not _listish(paras[j]) or match_key(paras[j][0]) in {match_key(n) for n in names}:
        return False
    return j + 1 >= len(paras) or _listish(paras[j + 1])


def is_caps_heading(line: str) -> bool:
    """A short line in capitals (``COALITION ACTIVITIES``): a section heading of a plain newsletter."""
    line = line.strip()
    letters = re.sub(r"[^A-Za-z]", "", line)
    return len(letters) >= 2 and line == line.upper() and len(line.split()) <= 6 and not ends_sentence(line)


def readable_case(name: str) -> str:
    """``UPCOMING EVENTS`` -> ``Upcoming Events``; names not in capitals are kept as written."""
    if name != name.upper() or not re.search(r"[A-Z]", name):
        return name
    words = name.lower().split()
    return " ".join(w if i and w in _SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words))


class SectionNames:
    """Section names known for a document, matched case- and punctuation-insensitively.

    Args:
        names: Names as they appear in the body.
        listed: Names as a contents list prints them (preferred for display).
    """

    def __init__(self, names: set[str], listed: Sequence[str] = ()) -> None:
        self._display = {match_key(n): readable_case(n) for n in names}
        self._display.update({match_key(n): n for n in listed if match_key(n)})

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and bool(match_key(name)) and match_key(name) in self._display

    def display(self, name: str) -> str:
        """The name to show for a heading: the contents list's form, else a readable case of it."""
        return self._display.get(match_key(name), readable_case(name))
