"""Exploring the archive around a query: coverage over time, top values, bulletins, speakers."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

import numpy as np

from archive.model import Bulletin
from index.search.filters import Filters
from index.search.searcher import Searcher


@dataclass(frozen=True)
class CoveragePoint:
    month: str  # YYYY-MM
    group: str  # section or kind
    count: int


@dataclass(frozen=True)
class BulletinSummary:
    bulletin: Bulletin
    items: int
    by_section: dict[str, int]
    by_kind: dict[str, int]


@dataclass(frozen=True)
class SpeakerCount:
    speaker: str
    titles: tuple[str, ...]
    quotes: int


def quote_filters(filters: Filters) -> Filters:
    """The same filters restricted to quotes."""
    return replace(filters, kinds=("quote",))


def undated(filters: Filters) -> Filters:
    """The same filters without the period (``since``/``until``)."""
    return replace(filters, since="", until="")


def _rows(searcher: Searcher, query: str, mode: str, filters: Filters | None) -> np.ndarray:
    return searcher.matched_rows(query, mode) & searcher.table.mask(filters or Filters())


def coverage(searcher: Searcher, query: str = "", mode: str = "hybrid", filters: Filters | None = None,
             by: str = "section") -> list[CoveragePoint]:
    """Items per month and section (or kind) among the query's matches; undated items are left out."""
    if by not in ("section", "kind"):
        raise ValueError(f"coverage by '{by}': use 'section' or 'kind'")
    rows = np.flatnonzero(_rows(searcher, query, mode, filters))
    counts: Counter[tuple[str, str]] = Counter()
    for row in rows.tolist():
        item = searcher.table.items[row]
        if item.date:
            counts[(item.date[:7], getattr(item, by) or "—")] += 1
    return [CoveragePoint(m, g, n) for (m, g), n in sorted(counts.items())]


def top_values(searcher: Searcher, attr: str, query: str = "", mode: str = "hybrid",
               filters: Filters | None = None, n: int = 10) -> list[tuple[str, int]]:
    """Most frequent sources / speakers / places among the query's matches."""
    if attr not in ("source", "speaker", "place", "section", "kind"):
        raise ValueError(f"top values of '{attr}' are not available")
    return searcher.table.counts(attr, _rows(searcher, query, mode, filters)).most_common(n)


def bulletins(searcher: Searcher) -> list[BulletinSummary]:
    """Every bulletin with its item counts by section and kind, newest first."""
    by_bulletin = searcher.table.by_bulletin()
    summaries = [
        BulletinSummary(b, len(items := by_bulletin.get(b.id, [])),
                        dict(Counter(i.section or "—" for i in items)), dict(Counter(i.kind for i in items)))
        for b in searcher.table.bulletins.values()
    ]
    return sorted(summaries, key=lambda s: (s.bulletin.date, s.bulletin.id), reverse=True)


def speakers(searcher: Searcher, filters: Filters | None = None, query: str = "", mode: str = "hybrid"
             ) -> list[SpeakerCount]:
    """Speakers of the quotes matching a theme (any, if no query) within the filters, most quoted first."""
    base = quote_filters(filters or Filters())
    rows = np.flatnonzero(_rows(searcher, query, mode, base))
    quotes: dict[str, list] = {}
    for row in rows.tolist():
        item = searcher.table.items[row]
        if item.speaker:
            quotes.setdefault(item.speaker, []).append(item)
    out = [SpeakerCount(name, tuple(dict.fromkeys(i.speaker_title for i in items if i.speaker_title)), len(items))
           for name, items in quotes.items()]
    return sorted(out, key=lambda s: (-s.quotes, s.speaker))
