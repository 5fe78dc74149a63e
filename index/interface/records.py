"""The records that cross the search interface: hits and result pages, facet counts, bulletins with their counts,
coverage, speakers, and the identity of the build being searched. Plain data: no rows, masks or tables.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args

from archive.model import Bulletin, Item
from index.interface.filters import Filters

Location = str | Path  # where an index lives: a folder, or an engine's URL (``scheme://...``)
Mode = Literal["hybrid", "keyword", "semantic"]  # the search modes, the default first
MODES: tuple[str, ...] = get_args(Mode)
DEFAULT_MODE = MODES[0]


@dataclass(frozen=True)
class HybridConfig:
    """Fusion settings; the default was chosen by measurement on the judged queries (bench/quality.py)."""

    method: str = "convex"
    semantic_weight: float = 0.5
    fetch: int = 100  # over-fetch per mode before fusing (k0 >> k)
    min_similarity: float = 0.15  # semantic hits below this cosine are not results
    partial_keyword_damping: float = 0.5  # keyword weight factor when no hit matches the whole query
    translate: bool = True  # the keyword side also seeks the query's words in the other language
    query_aware: bool = True  # names and rare terms fuse with name_semantic_weight (index/search/translation.py)
    name_semantic_weight: float = 0.3


@dataclass(frozen=True)
class Hit:
    """One ranked item. Ranks are 1-based positions in each mode's own list (None: not found there)."""

    item: Item
    rank: int
    score: float
    snippet: str  # HTML: escaped text, matched terms in <mark>
    passage: str = ""  # best-matching passage (semantic), plain text
    keyword_rank: int | None = None
    semantic_rank: int | None = None
    keyword_score: float | None = None
    semantic_score: float | None = None
    duplicates: tuple[str, ...] = ()  # ids of near-duplicates collapsed under this hit
    semantic_weight: float | None = None  # hybrid: the semantic weight fusion used for this query
    gloss: str = ""  # an English query's matched Chinese terms, glossed ("绿色航运 = green shipping")

    def to_dict(self) -> dict:
        return self.item.to_dict() | {
            "rank": self.rank, "score": round(self.score, 6), "snippet": self.snippet, "passage": self.passage,
            "keyword_rank": self.keyword_rank, "semantic_rank": self.semantic_rank,
            "keyword_score": _round(self.keyword_score), "semantic_score": _round(self.semantic_score),
            "duplicates": list(self.duplicates), "semantic_weight": self.semantic_weight, "gloss": self.gloss,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


@dataclass(frozen=True)
class SearchResult:
    query: str
    mode: str
    filters: Filters
    hits: tuple[Hit, ...]
    total: int  # ranked items available (after filters and collapsing), for paging
    took_ms: float
    notice: str = ""
    terms: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Facets:
    """Counts per value of each facet among a query's matches (each facet ignores its own filter)."""

    counts: Mapping[str, Counter[str]]

    def __getitem__(self, name: str) -> Counter[str]:
        return self.counts[name]

    def get(self, name: str, default: Counter[str] | None = None) -> Counter[str]:
        return self.counts.get(name, Counter() if default is None else default)

    def names(self) -> tuple[str, ...]:
        return tuple(self.counts)

    def to_dict(self) -> dict[str, dict[str, int]]:
        """``{facet: {value: count}}``, most frequent first."""
        return {name: dict(c.most_common()) for name, c in self.counts.items()}


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


@dataclass(frozen=True)
class BuildInfo:
    """The identity of the build an archive searches.

    Attributes:
        engine: Which engine serves it (``local``).
        location: Where the index lives (a folder, or an engine's address).
        build: The build's name: another build at the same location has another name.
        model: The embedding model its vectors were made with.
        dim: The model's vector dimension.
        items: Items indexed.
        bulletins: Bulletins indexed.
        by_kind: Items per kind.
        built_at: When it was built (ISO 8601).
        seconds: How long the build took.
        mode: How it was built: ``full`` or ``append``.
        files: Per input file (relative to the data folder): its hash.
        bulletin_ids: Per input file: its bulletin id.
        failed_files: Per file (``path``) or record (``path:line``) that failed: why.
        details: Everything the engine records about the build, as JSON-ready data (``bulletins info``).
    """

    engine: str
    location: str
    build: str
    model: str
    dim: int
    items: int
    bulletins: int
    by_kind: Mapping[str, int] = field(default_factory=dict)
    built_at: str = ""
    seconds: float = 0.0
    mode: str = ""
    files: Mapping[str, str] = field(default_factory=dict)
    bulletin_ids: Mapping[str, str] = field(default_factory=dict)
    failed_files: Mapping[str, str] = field(default_factory=dict)
    details: Mapping[str, object] = field(default_factory=dict, compare=False)

    @classmethod
    def from_record(cls, record: Mapping, *, engine: str, location: str, build: str,
                    where: Mapping[str, str]) -> BuildInfo:
        """A build as its engine recorded it (the local manifest's and the Solr build record's fields);
        ``where`` (e.g. the index folder) leads ``details``."""
        counts = record.get("counts", {})
        return cls(
            engine=engine, location=location, build=build, model=record["model"], dim=int(record.get("dim", 0)),
            items=int(counts.get("items", 0)), bulletins=int(counts.get("bulletins", 0)),
            by_kind=dict(counts.get("by_kind", {})), built_at=record.get("built_at", ""),
            seconds=float(record.get("build_seconds", 0.0)), mode=record.get("build_mode", ""),
            files=record.get("files", {}), bulletin_ids=record.get("bulletin_ids", {}),
            failed_files=record.get("failed_files", {}), details=dict(where) | dict(record))
