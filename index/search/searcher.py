"""The search interface over any engine: keyword, semantic and hybrid search, facets, similar items, browsing.

The engine (:class:`index.search.engine.Engine`) ranks and counts; the searcher translates the query, fuses the
two lists, folds near-duplicates, makes snippets and explanations, and counts facets and coverage through the
engine. :class:`Searcher` is the one implementation of :class:`index.interface.protocol.Archive`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from archive.model import Bulletin, Item
from index.crosslingual.translate import Translation
from index.errors import IndexMismatch
from index.interface.changes import Change, diff_builds
from index.interface.filters import CATEGORICAL, Filters
from index.interface.records import (
    MODES,
    BuildInfo,
    BulletinSummary,
    CoveragePoint,
    Facets,
    Hit,
    HybridConfig,
    SearchResult,
    SpeakerCount,
)
from index.search import explore, fusion
from index.search.engine import Engine, Match
from index.search.snippets import highlight
from index.search.translation import QueryTranslator, gloss, semantic_weight
from index.vectors.encoders import Encoder, load_encoder, single_thread

FACETS = {"sections": "section", "kinds": "kind", "sources": "source", "speakers": "speaker",
          "bulletins": "bulletin_id", "langs": "lang", "months": "month", "places": "place"}


@dataclass
class _Ranked:
    """One mode's ranked list plus what it knows for explanation."""

    pairs: Sequence[tuple[str, float]]
    total: int
    passages: dict[str, str]
    notice: str = ""
    terms: tuple[str, ...] = ()
    complete: int = 0  # leading hits that match the whole query (keyword)
    translation: Translation = Translation()


class Searcher:
    """An archive's build behind the search interface; opened once per build, thread-safe for reads.

    Args:
        engine: The engine holding the build.
        encoder: The query encoder (default: the build's model, loaded on the first semantic query).
        config: Fusion settings.
    """

    def __init__(self, engine: Engine, encoder: Encoder | None = None, config: HybridConfig | None = None) -> None:
        if encoder is not None and encoder.name != engine.info.model:
            raise IndexMismatch(f"{engine.info.location}: built with model '{engine.info.model}', not "
                                f"'{encoder.name}'; rebuild with 'bulletins build --rebuild --model {encoder.name}'")
        self.engine = engine
        self._encoder = encoder
        self.config = config or HybridConfig()
        self.translator = QueryTranslator(engine)
        self._bulletins: dict[str, Bulletin] | None = None

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            self._encoder = load_encoder(self.engine.info.model)
        return self._encoder

    def close(self) -> None:
        self.engine.close()

    def info(self) -> BuildInfo:
        return self.engine.info

    def latest_build(self) -> str | None:
        return self.engine.latest_build()

    def health(self) -> str:
        return self.engine.health()

    def changes_since(self, before: BuildInfo | None) -> Change:
        return diff_builds(before, self.engine.info, self._items_in)

    def _items_in(self, bulletins: set[str]) -> int:
        return sum(self.engine.counts(self._match("", "hybrid"), Filters(bulletins=tuple(bulletins)),
                                      ("bulletin_id",)).values())

    # -- search -----------------------------------------------------------------------------------------

    def search(self, query: str, mode: str = "hybrid", filters: Filters | None = None, k: int = 10,
               offset: int = 0) -> SearchResult:
        """Ranked hits for a query; filters restrict the candidates before ranking in every mode."""
        if mode not in MODES:
            raise ValueError(f"unknown mode '{mode}': use one of {', '.join(MODES)}")
        started = time.perf_counter()
        filters = filters or Filters()
        fetch = max(self.config.fetch, 2 * (offset + k))
        kw = self._keyword(query, fetch, filters) if mode != "semantic" else None
        sem = self._semantic(query, fetch, filters) if mode != "keyword" else None
        weight = self._semantic_weight(kw) if mode == "hybrid" else None
        ranked, total = self._combine(mode, kw, sem, fetch, weight or 0.0)
        groups, items = self._collapse(ranked)
        positions = (_positions(kw), _positions(sem))
        page = groups[offset : offset + k]
        hits = tuple(self._hit(rank, pair, items[pair[0]], dups, kw, sem, positions, weight)
                     for rank, (pair, dups) in enumerate(page, start=offset + 1))
        total = len(groups) if mode != "keyword" else max(total - (len(ranked) - len(groups)), len(groups))
        return SearchResult(query, mode, filters, hits, total, (time.perf_counter() - started) * 1000,
                            kw.notice if kw else "", kw.terms if kw else ())

    def find(self, query: str, mode: str = "hybrid", filters: Filters | None = None, k: int = 10,
             offset: int = 0) -> SearchResult:
        """Search, or browse when the query is blank: what a results page shows."""
        if query.strip():
            return self.search(query, mode, filters, k, offset)
        return self.browse(filters, k, offset)

    def _keyword(self, query: str, limit: int, filters: Filters) -> _Ranked:
        translation = self._translate(query)
        result = self.engine.keyword(query, limit, filters, translation.renderings)
        return _Ranked(result.hits, result.total, {}, result.notice, tuple(result.terms), result.complete,
                       translation)

    def _translate(self, query: str) -> Translation:
        return self.translator.translate(query) if self.config.translate else Translation()

    def _semantic_weight(self, kw: _Ranked | None) -> float:
        """The semantic weight of hybrid fusion for this query (see :func:`translation.semantic_weight`)."""
        if kw is None or not self.config.query_aware:
            return self.config.semantic_weight
        return semantic_weight(kw.translation, self.config.semantic_weight, self.config.name_semantic_weight)

    def _semantic(self, query: str, limit: int, filters: Filters) -> _Ranked:
        if not query.strip():
            return _Ranked([], 0, {})
        with single_thread():  # one query: threads only add contention on a busy machine
            found = self.engine.semantic(self._vector(query), limit, filters)
        found = [m for m in found if m.score >= self.config.min_similarity]
        return _Ranked([(m.item_id, m.score) for m in found], len(found), {m.item_id: m.passage for m in found})

    def _vector(self, query: str) -> np.ndarray:
        return self.encoder.encode([query], query=True)[0]

    def _combine(self, mode: str, kw: _Ranked | None, sem: _Ranked | None, fetch: int, semantic: float
                 ) -> tuple[Sequence[tuple[str, float]], int]:
        if mode == "keyword":
            return kw.pairs, kw.total
        if mode == "semantic":
            return sem.pairs, sem.total
        keyword_weight = 1 - semantic
        if kw.complete == 0:  # only partial matches: a weaker signal than a match of every word
            keyword_weight *= self.config.partial_keyword_damping
        weights = (keyword_weight, semantic)
        fused = fusion.fuse(self.config.method, [list(kw.pairs), list(sem.pairs)], weights, 2 * fetch)
        return fused, len(fused)

    def _collapse(self, ranked: Sequence[tuple[str, float]]
                  ) -> tuple[list[tuple[tuple[str, float], list[str]]], dict[str, Item]]:
        """Near-duplicates fold under the first of their group that ranks; the ranked items by id."""
        leaders: dict[str, int] = {}
        groups: list[tuple[tuple[str, float], list[str]]] = []
        items = self._items([item_id for item_id, _ in ranked])
        for item_id, score in ranked:
            item = items[item_id]
            key = item.duplicate_of or item.id
            if key in leaders:
                groups[leaders[key]][1].append(item_id)
            else:
                leaders[key] = len(groups)
                groups.append(((item_id, score), []))
        return groups, items

    def _items(self, ids: Sequence[str]) -> dict[str, Item]:
        found = self.engine.items(ids)
        missing = [i for i, item in zip(ids, found, strict=True) if item is None]
        if missing:
            raise IndexMismatch(f"{self.engine.info.location}: the engine ranked items it does not store "
                                f"({', '.join(missing[:3])}); run 'bulletins build --rebuild'")
        return {item.id: item for item in found}  # type: ignore[union-attr]

    def _hit(self, rank: int, pair: tuple[str, float], item: Item, dups: list[str], kw: _Ranked | None,
             sem: _Ranked | None, positions: tuple[dict, dict], weight: float | None = None) -> Hit:
        item_id, score = pair
        kw_pos, sem_pos = positions
        passage = sem.passages.get(item_id, "") if sem else ""
        terms = kw.terms if kw else ()
        in_keyword = item_id in kw_pos
        snippet = highlight(item.text if in_keyword or not passage else passage, terms)
        return Hit(item, rank, float(score), snippet, passage,
                   kw_pos.get(item_id, (None, None))[0], sem_pos.get(item_id, (None, None))[0],
                   kw_pos.get(item_id, (None, None))[1], sem_pos.get(item_id, (None, None))[1], tuple(dups),
                   weight, gloss(item, kw.translation) if kw else "")

    # -- facets, exploring, similar, lookup -------------------------------------------------------------

    def _match(self, query: str, mode: str) -> Match:
        """The query's matched set, as the engine counts it (everything for a blank query)."""
        blank = not query.strip()
        return Match((query if not blank else "", mode if not blank else "", self.config.translate),
                     query, keyword=not blank and mode != "semantic", semantic=not blank and mode != "keyword",
                     min_similarity=self.config.min_similarity,
                     renderings=lambda: self._translate(query).renderings, vector=lambda: self._vector(query))

    def facets(self, query: str, mode: str = "hybrid", filters: Filters | None = None) -> Facets:
        """Counts per facet value among the query's matches; each facet ignores its own filter."""
        filters = filters or Filters()
        match = self._match(query, mode)
        out = {}
        for name, attr in FACETS.items():
            own = filters.without(name) if name in CATEGORICAL else filters
            counts = self.engine.counts(match, own, (attr,))
            counts.pop("", None)
            out[name] = counts
        return Facets(out)

    def coverage(self, query: str = "", mode: str = "hybrid", filters: Filters | None = None,
                 by: str = "section") -> list[CoveragePoint]:
        return explore.coverage(self.engine, self._match(query, mode), filters or Filters(), by)

    def top_values(self, attr: str, query: str = "", mode: str = "hybrid", filters: Filters | None = None,
                   n: int = 10) -> list[tuple[str, int]]:
        return explore.top_values(self.engine, self._match(query, mode), filters or Filters(), attr, n)

    def speakers(self, filters: Filters | None = None, query: str = "", mode: str = "hybrid"
                 ) -> list[SpeakerCount]:
        return explore.speakers(self.engine, self._match(query, mode), filters or Filters())

    def bulletins(self) -> list[BulletinSummary]:
        return explore.bulletins(self.engine, self._match("", "hybrid"))

    def similar(self, item_id: str, k: int = 10, filters: Filters | None = None) -> list[Hit]:
        """Items most like the given one (semantic), excluding itself and its near-duplicates."""
        found = self.engine.similar(item_id, k, filters or Filters())
        items = self._items([m.item_id for m in found])
        return [Hit(items[m.item_id], n, m.score, highlight(m.passage, ()), m.passage, None, n, None, m.score)
                for n, m in enumerate(found, start=1)]

    def browse(self, filters: Filters | None = None, k: int = 10, offset: int = 0) -> SearchResult:
        """Items within the filters in archive order (bulletin by bulletin, as printed): no query needed."""
        started = time.perf_counter()
        filters = filters or Filters()
        items, total = self.engine.browse(filters, k, offset)
        hits = tuple(Hit(item, n, 0.0, highlight(item.text, ())) for n, item in enumerate(items, start=offset + 1))
        return SearchResult("", "browse", filters, hits, total, (time.perf_counter() - started) * 1000)

    def item(self, item_id: str) -> Item | None:
        return self.engine.items([item_id])[0]

    def bulletin(self, bulletin_id: str) -> Bulletin | None:
        if self._bulletins is None:  # a build never changes: read once
            self._bulletins = {b.id: b for b in self.engine.bulletins()}
        return self._bulletins.get(bulletin_id)

    def bulletin_items(self, bulletin_id: str) -> list[Item]:
        """A bulletin's items in printed order."""
        items, _ = self.engine.browse(Filters(bulletins=(bulletin_id,)), k=2**31)
        return sorted(items, key=lambda i: i.position)

    def dates(self) -> set[str]:
        return self.engine.dates()


def _positions(ranked: _Ranked | None) -> dict[str, tuple[int, float]]:
    if ranked is None:
        return {}
    return {item_id: (n, score) for n, (item_id, score) in enumerate(ranked.pairs, start=1)}
