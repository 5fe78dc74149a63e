"""Snippets: the best fragment(s) of a text with matched terms marked, safe to put in HTML.

Matching is normalisation-aware (traditional/simplified, case, full-width forms, line breaks inside
Chinese words): Chinese terms match as substrings of the normalised text, other terms as analysed token
sequences (so ``sea`` does not light up inside ``research``). Everything outside ``<mark>`` is
``html.escape``d; the output holds no other markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import NamedTuple

from index.interface.text import CJK_SPACE, ELLIPSIS, SENTENCE_END, lead
from index.keyword.analysis import analyze, is_cjk, normalize_offsets

_CLAUSE_MARKS = "，、：,:"


class Span(NamedTuple):
    """A matched stretch of the original text and which term matched it."""

    start: int
    end: int
    term: str


def highlight(text: str, terms: Iterable[str], max_chars: int = 180, fragments: int = 2) -> str:
    """The best fragment(s) of ``text`` with matched terms wrapped in ``<mark>…</mark>``.

    Args:
        text: Display text of an item.
        terms: Query terms (raw or analysed; each is analysed again here).
        max_chars: Upper bound on shown text characters (markup and ellipses not counted).
        fragments: Maximum number of fragments, cut at sentence punctuation where possible.

    Returns:
        HTML: escaped text, ``<mark>`` around matches, ``…`` where text was cut.
    """
    if not text or max_chars <= 0:
        return ""
    spans = find_spans(text, terms)
    if not spans:
        return lead(text, max_chars)
    windows = _windows(text, spans, max_chars, max(1, fragments))
    out, last = [], 0
    for start, end in windows:
        if start > last:
            out.append(ELLIPSIS)
        out.append(_render(text, start, end, spans))
        last = end
    if last < len(text.rstrip()):
        out.append(ELLIPSIS)
    return "".join(out)


def find_spans(text: str, terms: Iterable[str]) -> list[Span]:
    """Where the terms occur in ``text`` (original offsets), sorted, without overlaps.

    Args:
        text: Text to search.
        terms: Terms to find.

    Returns:
        Non-overlapping spans, longest first at equal starts.
    """
    found: list[Span] = []
    tokens = None
    compact = None
    for term in dict.fromkeys(t for t in terms if t and t.strip()):
        words = [t.text for t in analyze(term)]
        if not words:
            continue
        if is_cjk("".join(words)):
            compact = compact or _compact(text)
            found += _substring_spans(compact, "".join(words), term)
        else:
            tokens = tokens if tokens is not None else analyze(text)
            found += _token_spans(tokens, words, term)
    return _merge(found)


def _compact(text: str) -> tuple[str, list[int]]:
    """Normalised letters and digits only, with their origins (punctuation ignored when matching)."""
    norm, origin = normalize_offsets(text)
    keep = [i for i, ch in enumerate(norm) if ch.isalnum()]
    return "".join(norm[i] for i in keep), [origin[i] for i in keep]


def _substring_spans(compact: tuple[str, list[int]], needle: str, term: str) -> list[Span]:
    haystack, origin = compact
    spans, at = [], haystack.find(needle)
    while at >= 0:
        spans.append(Span(origin[at], origin[at + len(needle) - 1] + 1, term))
        at = haystack.find(needle, at + 1)
    return spans


def _token_spans(tokens: list, words: list[str], term: str) -> list[Span]:
    size = len(words)
    return [Span(tokens[i].start, tokens[i + size - 1].end, term)
            for i in range(len(tokens) - size + 1) if [t.text for t in tokens[i : i + size]] == words]


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if merged and span.start < merged[-1].end:
            if span.end > merged[-1].end:
                merged[-1] = merged[-1]._replace(end=span.end)
            continue
        merged.append(span)
    return merged


def _sentences(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for m in SENTENCE_END.finditer(text):
        if m.end() > start:
            bounds.append((start, m.end()))
        start = m.end()
    if start < len(text):
        bounds.append((start, len(text)))
    return [(a, b) for a, b in bounds if text[a:b].strip()]


def _windows(text: str, spans: list[Span], max_chars: int, fragments: int) -> list[tuple[int, int]]:
    """Pick up to ``fragments`` sentences with the most distinct matches; trim each to its share."""
    sentences = _sentences(text) or [(0, len(text))]
    scored = [(_score(a, b, spans), -a, (a, b)) for a, b in sentences]
    best = [s for s in sorted(scored, reverse=True)[:fragments] if s[0] > (0, 0)] or [scored[0]]
    share = max_chars // len(best)
    return sorted(_trim(text, a, b, spans, share) for _, _, (a, b) in best)


def _score(start: int, end: int, spans: list[Span]) -> tuple[int, int]:
    inside = [s for s in spans if start <= s.start and s.end <= end]
    return len({s.term for s in inside}), len(inside)


def _trim(text: str, start: int, end: int, spans: list[Span], width: int) -> tuple[int, int]:
    """A window of at most ``width`` chars of [start, end), showing its first match with some context."""
    if end - start <= width:
        return start, end
    first = next((s for s in spans if start <= s.start and s.end <= end), None)
    if first is None:
        return start, start + width
    lo = max(start, min(first.start - width // 4, end - width))
    clause = max(text.rfind(mark, lo, first.start) for mark in _CLAUSE_MARKS)
    lo = clause + 1 if clause >= lo else lo
    return lo, min(end, lo + width)


def _render(text: str, start: int, end: int, spans: list[Span]) -> str:
    out, at = [], start
    for span in spans:
        if span.end <= start or span.start >= end:
            continue
        a, b = max(span.start, start), min(span.end, end)
        out.append(_plain(text, at, a))
        out.append(f"<mark>{_plain(text, a, b)}</mark>")
        at = b
    out.append(_plain(text, at, end))
    return "".join(out)


def _plain(text: str, start: int, end: int) -> str:
    """Escape ``text[start:end]`` for HTML; join line breaks inside Chinese text; collapse whitespace."""
    before, after = text[max(start - 1, 0) : start], text[end : end + 1]
    joined = CJK_SPACE.sub("", before + text[start:end] + after)
    segment = joined[len(before) : len(joined) - len(after)]
    if before.isspace() and segment[:1].isspace():
        segment = segment.lstrip()
    return html.escape(re.sub(r"\s+", " ", segment))
