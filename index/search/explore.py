"""Exploring the archive around a query, counted by the engine: coverage over time, top values, bulletins, speakers."""

from __future__ import annotations

from collections import Counter

from index.interface.filters import Filters
from index.interface.records import BulletinSummary, CoveragePoint, SpeakerCount
from index.search.engine import Engine, Match

COVERAGE_BY = ("section", "kind")
TOP_VALUES = ("source", "speaker", "place", "section", "kind")


def coverage(engine: Engine, match: Match, filters: Filters, by: str = "section") -> list[CoveragePoint]:
    """Items per month and section (or kind) among the matches; undated items are left out."""
    if by not in COVERAGE_BY:
        raise ValueError(f"coverage by '{by}': use 'section' or 'kind'")
    counts: Counter[tuple[str, str]] = Counter()
    for (month, group), n in engine.counts(match, filters, ("month", by)).items():
        if month:
            counts[(month, group or "—")] += n
    return [CoveragePoint(m, g, n) for (m, g), n in sorted(counts.items())]


def top_values(engine: Engine, match: Match, filters: Filters, attr: str, n: int = 10) -> list[tuple[str, int]]:
    """Most frequent sources / speakers / places among the matches."""
    if attr not in TOP_VALUES:
        raise ValueError(f"top values of '{attr}' are not available")
    counts = engine.counts(match, filters, (attr,))
    counts.pop("", None)
    return counts.most_common(n)


def bulletins(engine: Engine, everything: Match) -> list[BulletinSummary]:
    """Every bulletin with its item counts by section and kind, newest first."""
    by_section = engine.counts(everything, Filters(), ("bulletin_id", "section"))
    by_kind = engine.counts(everything, Filters(), ("bulletin_id", "kind"))
    sections: dict[str, Counter[str]] = {}
    kinds: dict[str, Counter[str]] = {}
    for (bid, section), n in by_section.items():
        sections.setdefault(bid, Counter())[section or "—"] += n
    for (bid, kind), n in by_kind.items():
        kinds.setdefault(bid, Counter())[kind] += n
    summaries = [BulletinSummary(b, sum(kinds.get(b.id, Counter()).values()), dict(sections.get(b.id, {})),
                                 dict(kinds.get(b.id, {})))
                 for b in engine.bulletins()]
    return sorted(summaries, key=lambda s: (s.bulletin.date, s.bulletin.id), reverse=True)


def speakers(engine: Engine, match: Match, filters: Filters) -> list[SpeakerCount]:
    """Speakers of the matching quotes within the filters, most quoted first, with their titles as first seen."""
    titles: dict[str, dict[str, None]] = {}
    quotes: Counter[str] = Counter()
    for (speaker, title), n in engine.counts(match, filters.quotes_only(), ("speaker", "speaker_title")).items():
        if speaker:
            quotes[speaker] += n
            seen = titles.setdefault(speaker, {})
            if title:
                seen.setdefault(title, None)
    out = [SpeakerCount(name, tuple(titles[name]), n) for name, n in quotes.items()]
    return sorted(out, key=lambda s: (-s.quotes, s.speaker))
