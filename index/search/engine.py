"""What a search engine supplies to the searcher: ranked keyword and semantic lists, filter-aware counts and stored
items. Everything above it (query translation, hybrid fusion, snippets, near-duplicate folding, facets, coverage)
is the searcher's (:mod:`index.search.searcher`), so a second engine gets it for free.

Filters cross as :class:`~index.interface.filters.Filters`; an engine applies them before it ranks or counts.
Items cross as ids and :class:`~archive.model.Item` records, never as an engine's rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from archive.model import Bulletin, Item
from index.crosslingual.names import NamePair
from index.crosslingual.translate import Corpus
from index.interface.filters import Filters
from index.interface.records import BuildInfo
from index.keyword.glossary import Glossary


class KeywordRanking(Protocol):
    """An engine's keyword hits for one query, as :class:`index.keyword.engine.KeywordResult` has them: (item id,
    score) best first, how many match, a notice, the analysed terms to highlight, how many lead by matching the
    whole query."""

    hits: Sequence[tuple[str, float]]
    total: int
    notice: str
    terms: Sequence[str]
    complete: int


@dataclass(frozen=True)
class SemanticMatch:
    """An item found by its vectors: its best passage's score, and that passage."""

    item_id: str
    score: float
    passage: str


@dataclass(frozen=True)
class Match:
    """Which items a query matches, before filters (every item when ``query`` is empty): those its keyword side
    finds, or whose best passage scores at least ``min_similarity`` on its semantic side, or both.

    ``key`` identifies the matched set, so an engine may keep it between calls; the renderings and the query
    vector are asked for only when the engine needs them.
    """

    key: tuple[str, str, bool]  # query, mode, translated
    query: str
    keyword: bool
    semantic: bool
    min_similarity: float
    renderings: Callable[[], tuple] = field(compare=False, repr=False, default=tuple)
    vector: Callable[[], np.ndarray] | None = field(compare=False, repr=False, default=None)


class Engine(Protocol):
    """One build of an archive, as a search engine holds it."""

    info: BuildInfo
    glossary: Glossary

    def keyword(self, query: str, k: int, filters: Filters, renderings: tuple = ()) -> KeywordRanking:
        """The best ``k`` items for a keyword query (our syntax) and its weighted renderings in the other
        language, within the filters."""
        ...

    def semantic(self, vector: np.ndarray, k: int, filters: Filters) -> list[SemanticMatch]:
        """The ``k`` items whose best passage is nearest the query vector, within the filters (before top-k)."""
        ...

    def similar(self, item_id: str, k: int, filters: Filters) -> list[SemanticMatch]:
        """The items nearest an item, without it and its near-duplicates. Raises ItemNotFound."""
        ...

    def counts(self, match: Match, filters: Filters, attrs: tuple[str, ...]) -> Counter:
        """How many matched items within the filters have each value (a tuple of values for several ``attrs``;
        ``month`` is YYYY-MM of the date, '' when undated). Empty values are counted too."""
        ...

    def browse(self, filters: Filters, k: int, offset: int = 0) -> tuple[list[Item], int]:
        """Items within the filters in archive order (bulletin by bulletin, as printed), and how many there are."""
        ...

    def items(self, ids: Sequence[str]) -> list[Item | None]:
        """The stored items of these ids (None where there is none)."""
        ...

    def bulletins(self) -> list[Bulletin]:
        """Every bulletin record."""
        ...

    def dates(self) -> set[str]:
        """Every date and end date an item has, as written."""
        ...

    def corpus(self) -> Corpus:
        """Which items hold a term, for choosing translations (ids are the engine's own, opaque numbers)."""
        ...

    def name_pairs(self, romanise: Callable[[str], str] | None) -> list[NamePair]:
        """The archive's Chinese/English name pairs, most seen first."""
        ...

    def latest_build(self) -> str | None:
        """The name of the newest build at the engine's location (None: none), read now."""
        ...

    def health(self) -> str:
        """'' when every part of the engine serves; else what is degraded, in plain words (a node down, a shard
        with fewer replicas). Raises IndexProblem when it does not answer at all."""
        ...

    def close(self) -> None: ...
