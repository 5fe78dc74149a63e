"""The search API over one index folder: keyword, semantic and hybrid search, facets, similar items."""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter, OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from archive.model import Item
from index.crosslingual.translate import Translation
from index.errors import IndexCorrupt, IndexMismatch
from index.keyword.engine import KeywordIndex, KeywordIndexError, KeywordResult
from index.search import fusion
from index.search.filters import CATEGORICAL, Filters
from index.search.results import Hit, SearchResult
from index.search.snippets import highlight
from index.search.translation import QueryTranslator, gloss, semantic_weight
from index.store.folder import IndexStore
from index.store.manifest import item_files
from index.store.table import ItemTable
from index.vectors.encoders import Encoder, load_encoder, thread_pools
from index.vectors.engine import SemanticHit, VectorIndex

MODES = ("hybrid", "keyword", "semantic")
FACETS = {"sections": "section", "kinds": "kind", "sources": "source", "speakers": "speaker",
          "bulletins": "bulletin_id", "langs": "lang", "months": "month", "places": "place"}
MATCHED_KEPT = 8  # queries whose matched rows a searcher keeps (matched_rows)


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


@dataclass
class _Ranked:
    """One mode's ranked list plus what it knows for explanation."""

    pairs: list[tuple[str, float]]
    total: int
    passages: dict[str, str]
    notice: str = ""
    terms: tuple[str, ...] = ()
    complete: int = 0  # leading hits that match the whole query (keyword)
    translation: Translation = Translation()


class Searcher:
    """Opened once per index build; thread-safe for reads."""

    def __init__(self, folder: Path, manifest: dict, table: ItemTable, keyword: KeywordIndex,
                 vectors: VectorIndex, encoder: Encoder | None = None, config: HybridConfig | None = None) -> None:
        self.folder, self.manifest, self.table = folder, manifest, table
        self.keyword, self.vectors = keyword, vectors
        self._encoder = encoder
        self.config = config or HybridConfig()
        self.translator = QueryTranslator(keyword, table.items, folder)
        self._matched: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()  # see matched_rows
        self._matched_lock = threading.Lock()

    @classmethod
    def open(cls, index_root: Path, encoder: Encoder | None = None, config: HybridConfig | None = None
             ) -> Searcher:
        """Open the current build; a clear IndexProblem if missing, damaged or built with another model."""
        store = IndexStore(index_root)
        folder = store.require_current()
        manifest = store.read_manifest(folder)
        if encoder is not None and encoder.name != manifest["model"]:
            raise IndexMismatch(f"{index_root}: built with model '{manifest['model']}', not '{encoder.name}'; "
                                f"rebuild with 'bulletins build --rebuild --model {encoder.name}'")
        # One after the other: numpy parses each .npy header with ast.literal_eval, and on CPython 3.11.7 two
        # threads parsing at once can fail ("AST constructor recursion depth mismatch", seen in CI).
        try:
            table = ItemTable.load(item_files(folder, manifest))
        except (OSError, ValueError, TypeError, KeyError) as exc:
            raise IndexCorrupt(f"{folder}: items unreadable ({exc}); run 'bulletins build --rebuild'") from exc
        vectors = VectorIndex.load(folder, manifest["model"])
        try:
            keyword = KeywordIndex.open(folder / "keyword")
        except KeywordIndexError as exc:
            raise IndexCorrupt(str(exc)) from exc
        if not (len(table) == len(vectors.starts) == keyword.doc_count()):
            raise IndexCorrupt(f"{folder}: items ({len(table)}), vectors ({len(vectors.starts)}) and keyword "
                               f"index ({keyword.doc_count()}) disagree; run 'bulletins build --rebuild'")
        return cls(folder, manifest, table, keyword, vectors, encoder, config)

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            self._encoder = load_encoder(self.manifest["model"])
        return self._encoder

    def close(self) -> None:
        self.keyword.close()

    # -- search -----------------------------------------------------------------------------------------

    def search(self, query: str, mode: str = "hybrid", filters: Filters | None = None, k: int = 10,
               offset: int = 0) -> SearchResult:
        """Ranked hits for a query; filters restrict the candidates before ranking in every mode."""
        if mode not in MODES:
            raise ValueError(f"unknown mode '{mode}': use one of {', '.join(MODES)}")
        started = time.perf_counter()
        filters = filters or Filters()
        mask = None if filters.is_empty() else self.table.mask(filters)
        fetch = max(self.config.fetch, 2 * (offset + k))
        kw = self._keyword(query, fetch, mask) if mode != "semantic" else None
        sem = self._semantic(query, fetch, mask) if mode != "keyword" else None
        weight = self._semantic_weight(kw) if mode == "hybrid" else None
        ranked, total = self._combine(mode, kw, sem, fetch, weight or 0.0)
        groups = self._collapse(ranked)
        positions = (_positions(kw), _positions(sem))
        hits = tuple(self._hit(rank, pair, dups, kw, sem, positions, weight)
                     for rank, (pair, dups) in enumerate(groups[offset : offset + k], start=offset + 1))
        total = len(groups) if mode != "keyword" else max(total - (len(ranked) - len(groups)), len(groups))
        return SearchResult(query, mode, filters, hits, total, (time.perf_counter() - started) * 1000,
                            kw.notice if kw else "", kw.terms if kw else ())

    def _keyword(self, query: str, limit: int, mask: np.ndarray | None) -> _Ranked:
        allowed = None if mask is None else frozenset(self.table.ids[mask].tolist())
        translation = self.translator.translate(query) if self.config.translate else Translation()
        result: KeywordResult = self.keyword.search(query, limit, allowed, translation.renderings)
        return _Ranked(list(result.hits), result.total, {}, result.notice, tuple(result.terms), result.complete,
                       translation)

    def _semantic_weight(self, kw: _Ranked | None) -> float:
        """The semantic weight of hybrid fusion for this query (see :func:`translation.semantic_weight`)."""
        if kw is None or not self.config.query_aware:
            return self.config.semantic_weight
        return semantic_weight(kw.translation, self.config.semantic_weight, self.config.name_semantic_weight)

    def _semantic(self, query: str, limit: int, mask: np.ndarray | None) -> _Ranked:
        if not query.strip():
            return _Ranked([], 0, {})
        with _single_thread():  # one query: threads only add contention on a busy machine
            vector = self.encoder.encode([query], query=True)[0]
            hits: list[SemanticHit] = self.vectors.search(vector, limit, mask)
        hits = [h for h in hits if h.score >= self.config.min_similarity]
        ids = self.table.ids
        return _Ranked([(ids[h.row], h.score) for h in hits], len(hits), {ids[h.row]: h.passage for h in hits})

    def _combine(self, mode: str, kw: _Ranked | None, sem: _Ranked | None, fetch: int, semantic: float
                 ) -> tuple[list[tuple[str, float]], int]:
        if mode == "keyword":
            return kw.pairs, kw.total
        if mode == "semantic":
            return sem.pairs, sem.total
        keyword_weight = 1 - semantic
        if kw.complete == 0:  # only partial matches: a weaker signal than a match of every word
            keyword_weight *= self.config.partial_keyword_damping
        weights = (keyword_weight, semantic)
        fused = fusion.fuse(self.config.method, [kw.pairs, sem.pairs], weights, 2 * fetch)
        return fused, len(fused)

    def _collapse(self, ranked: list[tuple[str, float]]) -> list[tuple[tuple[str, float], list[str]]]:
        """Near-duplicates fold under the first of their group that ranks."""
        leaders: dict[str, int] = {}
        groups: list[tuple[tuple[str, float], list[str]]] = []
        for item_id, score in ranked:
            item = self.table.get(item_id)
            key = item.duplicate_of or item.id
            if key in leaders:
                groups[leaders[key]][1].append(item_id)
            else:
                leaders[key] = len(groups)
                groups.append(((item_id, score), []))
        return groups

    def _hit(self, rank: int, pair: tuple[str, float], dups: list[str], kw: _Ranked | None,
             sem: _Ranked | None, positions: tuple[dict, dict], weight: float | None = None) -> Hit:
        item_id, score = pair
        item = self.table.get(item_id)
        kw_pos, sem_pos = positions
        passage = sem.passages.get(item_id, "") if sem else ""
        terms = kw.terms if kw else ()
        in_keyword = item_id in kw_pos
        snippet = highlight(item.text if in_keyword or not passage else passage, terms)
        return Hit(item, rank, float(score), snippet, passage,
                   kw_pos.get(item_id, (None, None))[0], sem_pos.get(item_id, (None, None))[0],
                   kw_pos.get(item_id, (None, None))[1], sem_pos.get(item_id, (None, None))[1], tuple(dups),
                   weight, gloss(item, kw.translation) if kw else "")

    # -- facets, similar, lookup ----------------------------------------------------------------------

    def facets(self, query: str, mode: str = "hybrid", filters: Filters | None = None) -> dict[str, Counter]:
        """Counts per facet value among the query's matches; each facet ignores its own filter."""
        filters = filters or Filters()
        matched = self.matched_rows(query, mode)
        out: dict[str, Counter] = {}
        for name, attr in FACETS.items():
            own = name if name in CATEGORICAL else None
            rows = matched & self.table.mask(filters.without(own) if own else filters)
            out[name] = self.table.counts(attr, rows)
        return out

    def matched_rows(self, query: str, mode: str) -> np.ndarray:
        """Boolean rows of every item the query matches (all items for an empty query), before filters; read-only.

        The last :data:`MATCHED_KEPT` queries' rows are kept: the app asks again on every rerun of a page (another
        page of results, a filter, an item opened and closed), and at 100k items they cost 0.4-1.3 s."""
        key = (query, mode)
        with self._matched_lock:
            rows = self._matched.get(key)
            if rows is not None:
                self._matched.move_to_end(key)
                return rows
        rows = self._match(query, mode)
        rows.setflags(write=False)
        with self._matched_lock:
            self._matched[key] = rows
            while len(self._matched) > MATCHED_KEPT:
                self._matched.popitem(last=False)
        return rows

    def _match(self, query: str, mode: str) -> np.ndarray:
        if not query.strip():
            return np.ones(len(self.table), dtype=bool)
        rows = np.zeros(len(self.table), dtype=bool)
        if mode != "semantic":
            rows[[self.table.row_of[i] for i, _ in self._keyword(query, len(self.table), None).pairs]] = True
        if mode != "keyword":
            with _single_thread():  # as in _semantic: one query on a busy machine
                vector = self.encoder.encode([query], query=True)[0]
                rows |= self.vectors.items_above(vector, self.config.min_similarity)
        return rows

    def similar(self, item_id: str, k: int = 10, filters: Filters | None = None) -> list[Hit]:
        """Items most like the given one (semantic), excluding itself and its near-duplicates."""
        row = self.table.row_of.get(item_id)
        if row is None:
            raise KeyError(f"no item '{item_id}' in the index")
        item = self.table.items[row]
        family = list({item.id, item.duplicate_of} - {""})
        related = np.isin(self.table.ids, family) | np.isin(self.table.column("duplicate_of"), family)
        mask = self.table.mask(filters or Filters()) & ~related
        hits = self.vectors.search(self.vectors.item_vector(row), k, mask)
        return [Hit(self.table.items[h.row], n, h.score, highlight(h.passage, ()), h.passage, None, n, None, h.score)
                for n, h in enumerate(hits, start=1)]

    def browse(self, filters: Filters | None = None, k: int = 10, offset: int = 0) -> SearchResult:
        """Items within the filters in archive order (bulletin by bulletin, as printed): no query needed."""
        started = time.perf_counter()
        filters = filters or Filters()
        rows = np.flatnonzero(self.table.mask(filters))
        hits = tuple(Hit(self.table.items[row], n, 0.0, highlight(self.table.items[row].text, ()))
                     for n, row in enumerate(rows[offset : offset + k].tolist(), start=offset + 1))
        return SearchResult("", "browse", filters, hits, int(rows.shape[0]), (time.perf_counter() - started) * 1000)

    def get(self, item_id: str) -> Item | None:
        return self.table.get(item_id)

    def items_of(self, bulletin_id: str) -> list[Item]:
        return sorted((i for i in self.table.items if i.bulletin_id == bulletin_id), key=lambda i: i.position)


def _single_thread() -> contextlib.AbstractContextManager:
    """BLAS limited to one thread: for one query vector, measured faster and with a shorter tail (bench/speed.py)."""
    return thread_pools().limit(limits=1)


def _positions(ranked: _Ranked | None) -> dict[str, tuple[int, float]]:
    if ranked is None:
        return {}
    return {item_id: (n, score) for n, (item_id, score) in enumerate(ranked.pairs, start=1)}
