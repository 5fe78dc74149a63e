"""Table of contents: sections with their headlines, and headline-to-text alignment.

Bulletins dumped from PDF (like the BRIGC sample) list each section with its headlines up
front, while the body paragraphs carry no headline and the body's section names are page
running headers. The table of contents is therefore the map.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archive.layout.paragraphs import Para, is_short_line
from archive.normalize import char_ngrams, collapse_repeats, display_width, ends_sentence, match_key

SECTION_WORDS = re.compile(
    r"(新闻|动态|预告|进展|观点|要闻|简讯|快讯|资讯|专栏|综述|活动|声音|视点|聚焦|"
    r"\bnews\b|\bevents?\b|\bupdates?\b|\bhighlights\b|\bviewpoints?\b|\bvoices\b|\bquotes\b|\bcalendar\b|"
    r"\bpublications\b|\breports\b|\bin brief\b)",
    re.I,
)
EVENT_SECTION = re.compile(r"预告|活动|会议安排|upcoming|events?\b|calendar|agenda", re.I)
QUOTE_SECTION = re.compile(r"观点|言论|声音|视点|viewpoints?|voices|quotes|opinion", re.I)
MIN_SCORE = 0.4


@dataclass(frozen=True)
class TocEntry:
    """A headline listed in the table of contents.

    Attributes:
        headline: The headline text.
        section: The section that lists it first.
        also_in: Other sections that list the same headline (e.g. a viewpoints section).
    """

    headline: str
    section: str
    also_in: tuple[str, ...] = ()


@dataclass(frozen=True)
class Toc:
    """The parsed table of contents."""

    sections: tuple[str, ...]
    entries: tuple[TocEntry, ...]
    masthead: tuple[str, ...]
    end: int

    def section_named(self, rx: re.Pattern[str]) -> str:
        """The first section whose name matches ``rx`` ('' if none)."""
        return next((s for s in self.sections if rx.search(s)), "")


def _front(paras: list[Para]) -> int:
    """Index of the first body paragraph: the first text paragraph that is not a short line."""
    for i, p in enumerate(paras):
        if p.kind == "credit":
            continue
        if p.kind != "text" or not all(_is_toc_line(line) for line in p.lines):
            return i
    return len(paras)


def _is_toc_line(line: str) -> bool:
    """A contents line: a headline-sized line that does not end a sentence."""
    return not ends_sentence(line) and display_width(line) <= 64 and len(line) <= 160


def _is_heading(line: str, body_headers: set[str]) -> bool:
    key = collapse_repeats(line)
    return key in body_headers or (len(key) <= 12 and bool(SECTION_WORDS.search(key)))


def _groups(front: list[Para], body_headers: set[str]) -> tuple[list[str], list[tuple[str, list[list[str]]]]]:
    """Masthead lines and [(heading, [headline group, ...])] in order; repeated headings are dropped."""
    masthead: list[str] = []
    sections: list[tuple[str, list[list[str]]]] = []
    group: list[str] = []
    current = -1
    for p in front:
        if p.kind == "credit":
            masthead.extend(p.lines)
            continue
        if p.gap_before:
            group = []
        for line in p.lines:
            if _is_heading(line, body_headers):
                current, group = _section_index(sections, collapse_repeats(line)), []
            elif current < 0:
                masthead.append(line)
            else:
                if not group:
                    sections[current][1].append(group)
                group.append(line)
    return masthead, sections


def _section_index(sections: list[tuple[str, list[list[str]]]], name: str) -> int:
    """Index of section ``name``, appended when new (a repeated name is a running header)."""
    for i, (existing, _) in enumerate(sections):
        if existing == name:
            return i
    sections.append((name, []))
    return len(sections) - 1


def _claim_orphans(sections: list[tuple[str, list[list[str]]]]) -> list[tuple[str, list[str]]]:
    """Give headline groups beyond a section's first to earlier sections listed with no headlines.

    Two-column contents pages often extract a section name far from its headlines; the
    leftover group is the nearest plausible owner.
    """
    empty = [name for name, groups in sections if not groups]
    result: list[tuple[str, list[str]]] = []
    for name, groups in sections:
        for i, group in enumerate(groups):
            owner = empty.pop(0) if i > 0 and empty else name
            result.extend((owner, [h]) for h in group)
    return result


def parse_toc(paras: list[Para]) -> Toc | None:
    """Find a table of contents at the head of the document.

    Args:
        paras: The document's paragraphs.

    Returns:
        The contents, or None when the document has none (fewer than three headlines under headings).
    """
    end = _front(paras)
    body_headers = {p.header_key for p in paras[end:] if p.kind == "text" and len(p.lines) == 1 and is_short_line(p.text)}
    masthead, sections = _groups(paras[:end], body_headers)
    pairs = _claim_orphans(sections)
    if len(pairs) < 3:
        return None
    entries: dict[str, TocEntry] = {}
    for section, (headline,) in pairs:
        key = match_key(headline)
        old = entries.get(key)
        entries[key] = TocEntry(headline, section) if old is None else TocEntry(
            old.headline, old.section, old.also_in + ((section,) if section != old.section else ())
        )
    names = tuple(name for name, _ in sections)
    order = {name: i for i, name in enumerate(names)}
    ordered = sorted(entries.values(), key=lambda e: order.get(e.section, 0))
    return Toc(names, tuple(ordered), tuple(masthead), end)


def overlap(headline: str, text: str) -> float:
    """Share of the headline's character bigrams found in ``text`` (0..1)."""
    grams = char_ngrams(headline)
    return len(grams & char_ngrams(text)) / len(grams) if grams else 0.0


def best_headline(entries: tuple[TocEntry, ...], text: str) -> tuple[TocEntry | None, float]:
    """The headline that best matches ``text`` and its score."""
    scored = [(overlap(e.headline, text), i) for i, e in enumerate(entries)]
    if not scored:
        return None, 0.0
    score, i = max(scored)
    return entries[i], score


def align(entries: tuple[TocEntry, ...], texts: list[str]) -> dict[int, TocEntry]:
    """One-to-one alignment of headlines to texts by bigram overlap, best pairs first.

    Args:
        entries: Contents headlines.
        texts: Candidate item texts.

    Returns:
        {text index: entry} for pairs scoring at least ``MIN_SCORE``.
    """
    pairs = sorted(
        ((overlap(e.headline, t), ti, ei) for ti, t in enumerate(texts) for ei, e in enumerate(entries)),
        reverse=True,
    )
    taken_t: set[int] = set()
    taken_e: set[int] = set()
    result: dict[int, TocEntry] = {}
    for score, ti, ei in pairs:
        if score < MIN_SCORE or ti in taken_t or ei in taken_e:
            continue
        result[ti] = entries[ei]
        taken_t.add(ti)
        taken_e.add(ei)
    return result
