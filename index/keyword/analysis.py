"""Chinese/English text analysis shared by indexing, querying and snippets (pure Python, no whoosh).

Pipeline: NFKC -> lowercase -> traditional-to-simplified (OpenCC ``t2s``) -> whitespace between two
CJK characters removed (PDF line breaks inside words) -> segmentation with rjieba and the domain
dictionary -> tokens without punctuation, English plurals folded lightly. Every token keeps the
character offsets of the text it came from in the ORIGINAL string, so snippets can mark it.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterator
from functools import cache, lru_cache
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

import opencc
import rjieba

log = logging.getLogger(__name__)

DICTIONARY_DIR = Path(__file__).resolve().parent / "dictionaries"
DOMAIN_DICTIONARY = DICTIONARY_DIR / "domain.txt"
ENV_VOCABULARY = DICTIONARY_DIR / "env_vocab.jieba.txt"
# Measured on the sample bulletin (see the keyword report): the 24k env list splits fewer domain terms
# wrongly but does not change any judged query's top hits; it is off by default to keep words short.
USE_ENV_VOCABULARY = False

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_RE = re.compile(f"[{_CJK}]")
_CJK_GAP = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")
_CJK_RUN = re.compile(f"[{_CJK}]+")
_PLURAL_KEEP = frozenset({"series", "species", "always", "analysis", "basis", "emphasis", "thesis", "crisis"})


class Token(NamedTuple):
    """One analysed token: normalised text and its span ``[start, end)`` in the original string."""

    text: str
    start: int
    end: int


def analyze(text: str) -> list[Token]:
    """Split text into normalised word tokens, in order (the index of a token is its position).

    Args:
        text: Any text, Chinese, English or mixed.

    Returns:
        Tokens whose ``start``/``end`` index into ``text``; punctuation and spaces produce none.
    """
    norm, origin, words = _analysed(text)
    return [Token(word, origin[a], origin[b - 1] + 1) for word, a, b in words]


def bigrams(text: str) -> list[Token]:
    """Character bigrams of Chinese runs (across dropped punctuation) plus the other word tokens.

    A run of one Chinese character yields that character. Used for a recall field: a Chinese term of
    any segmentation is found as a phrase of its bigrams, i.e. as an exact substring.

    Args:
        text: Any text.

    Returns:
        Tokens in order, offsets into ``text``.
    """
    norm, origin, words = _analysed(text)
    out: list[Token] = []
    run: list[int] = []
    for word, a, b in words:
        if is_cjk(word):
            run.extend(range(a, b))
            continue
        out.extend(_run_bigrams(norm, run, origin))
        run = []
        out.append(Token(word, origin[a], origin[b - 1] + 1))
    out.extend(_run_bigrams(norm, run, origin))
    return out


@lru_cache(maxsize=32)
def word_texts(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The texts of :func:`analyze`'s and of :func:`bigrams`' tokens, from one segmentation and without offsets
    (indexing needs no offsets: about 3x faster than building the tokens; cached, as every item's title and text
    are indexed in two fields)."""
    words = []
    for word in _segmenter().cut(_normalized(text)):
        if not word.isalnum() and not (word := _core(word)):
            continue
        words.append(_fold_plural(word) if len(word) >= 5 and word.isascii() else word)
    grams: list[str] = []
    run = ""
    for word in words:
        if not word.isascii() and _CJK_RUN.fullmatch(word):
            run += word
            continue
        if run:
            grams += _text_bigrams(run)
            run = ""
        grams.append(word)
    if run:
        grams += _text_bigrams(run)
    return tuple(words), tuple(grams)


def _text_bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def _core(word: str) -> str:
    """A segment without leading and trailing non-alphanumeric characters ('' when none is left)."""
    if word.isalnum():
        return word
    start, end = 0, len(word)
    while start < end and not word[start].isalnum():
        start += 1
    while end > start and not word[end - 1].isalnum():
        end -= 1
    return word[start:end]


def _normalized(text: str) -> str:
    """:func:`normalize_offsets` without the origins."""
    return _CJK_GAP.sub("", _to_simplified(text.translate(_FOLDED)))


class _Folded(dict):
    """``str.translate`` table of :func:`_fold_char`, filled as characters are met."""

    def __missing__(self, code: int) -> str:
        self[code] = folded = _fold_char(chr(code))
        return folded


_FOLDED = _Folded()


def normalize(text: str) -> str:
    """The normalised form of text (NFKC, lowercase, simplified, no whitespace between CJK chars)."""
    return _normalized(text)


def is_cjk(text: str) -> bool:
    """True when every character of a non-empty text is a CJK ideograph."""
    return bool(text) and all(_CJK_RE.match(ch) for ch in text)


def has_cjk(text: str) -> bool:
    """True when text contains at least one CJK ideograph."""
    return _CJK_RE.search(text) is not None


@lru_cache(maxsize=16)
def _analysed(text: str) -> tuple[str, list[int], tuple[tuple[str, int, int], ...]]:
    """Normalised text, origins and segmented words; cached because indexing analyses each text twice."""
    norm, origin = normalize_offsets(text)
    return norm, origin, tuple(_words(norm))


def _run_bigrams(norm: str, run: list[int], origin: list[int]) -> Iterator[Token]:
    if len(run) == 1:
        yield Token(norm[run[0]], origin[run[0]], origin[run[0]] + 1)
    for i, j in zip(run, run[1:], strict=False):
        yield Token(norm[i] + norm[j], origin[i], origin[j] + 1)


def _words(norm: str) -> Iterator[tuple[str, int, int]]:
    """Segment normalised text; yield (token text, start, end) in normalised offsets."""
    for word, a, b in _segmenter().tokenize(norm):
        lead = next((i for i, ch in enumerate(word) if ch.isalnum()), None)
        if lead is None:
            continue
        trail = next(i for i, ch in enumerate(reversed(word)) if ch.isalnum())
        core = word[lead : len(word) - trail]
        yield _fold_plural(core), a + lead, b - trail


def fold_word(word: str) -> str:
    """An English word as the analyzer folds it (light plural folding); other words unchanged."""
    return _fold_plural(word)


def _fold_plural(word: str) -> str:
    """Light English plural folding: policies->policy, oceans->ocean (ASCII words of 5+ letters)."""
    if len(word) < 5 or not word.isascii() or not word.isalpha() or word in _PLURAL_KEEP:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def normalize_offsets(text: str) -> tuple[str, list[int]]:
    """Normalise text, keeping where each character came from.

    Args:
        text: Any text.

    Returns:
        (normalised text, origin) where ``origin[i]`` is the index in ``text`` of normalised character ``i``.
    """
    table = {ch: _fold_char(ch) for ch in set(text)}
    if all(len(v) == 1 for v in table.values()):
        chars, origin = text.translate(str.maketrans(table)), list(range(len(text)))
    else:
        parts = [(table[ch], i) for i, ch in enumerate(text)]
        chars = "".join(p for p, _ in parts)
        origin = [i for p, i in parts for _ in p]
    chars = _to_simplified(chars)
    return _join_cjk_lines(chars, origin)


def _to_simplified(chars: str) -> str:
    converted = _converter().convert(chars)
    if len(converted) == len(chars):
        return converted
    return "".join(_simplified_char(ch) for ch in chars)


@cache
def _simplified_char(ch: str) -> str:
    converted = _converter().convert(ch)
    return converted if len(converted) == 1 else ch


@cache
def _fold_char(ch: str) -> str:
    return "".join(c.lower() for c in unicodedata.normalize("NFKC", ch)).replace("\u0307", "")


def _join_cjk_lines(chars: str, origin: list[int]) -> tuple[str, list[int]]:
    gaps = [m.span() for m in _CJK_GAP.finditer(chars)]
    if not gaps:
        return chars, origin
    keep_text, keep_origin, last = [], [], 0
    for a, b in gaps:
        keep_text.append(chars[last:a])
        keep_origin.extend(origin[last:a])
        last = b
    keep_text.append(chars[last:])
    keep_origin.extend(origin[last:])
    return "".join(keep_text), keep_origin


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@cache
def _segmenter() -> ModuleType:
    """rjieba's default instance (its module functions), with the domain dictionary added. The instance is made
    when rjieba is imported; a private one would load the same dictionary again (~0.13 s of a cold start, issue
    13). Nothing else in the project uses rjieba."""
    paths = [ENV_VOCABULARY, DOMAIN_DICTIONARY] if USE_ENV_VOCABULARY else [DOMAIN_DICTIONARY]
    for path in paths:
        for word, freq in read_dictionary(path):
            rjieba.add_word(word, freq, None)
    return rjieba


def read_dictionary(path: Path) -> Iterator[tuple[str, int | None]]:
    """Entries of a jieba-style user dictionary: ``WORD [FREQ [TAG]]`` lines, ``#`` comments.

    Args:
        path: Dictionary file (UTF-8).

    Yields:
        (word, frequency or None).
    """
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if not parts or parts[0].startswith("#"):
                continue
            freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
            yield parts[0], freq
