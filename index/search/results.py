"""What a search returns: typed hits with the reasons they rank, and the result page around them."""

from __future__ import annotations

from dataclasses import dataclass, field

from archive.model import Item
from index.search.filters import Filters


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
