"""The local engine: one build of an index folder — the item table, the whoosh + numpy keyword index and the
vector index, all in one row space — behind :class:`index.search.engine.Engine`.

Rows, masks and tables stay in here: filters arrive as :class:`Filters` and become a row mask, results leave as
item ids. The rows a query matches are kept for its last :data:`MATCHED_KEPT` queries, because the app counts
facets again on every rerun of a page (at 100k items a query's matched rows cost 0.4-1.3 s).
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from archive.model import Bulletin, Item
from index.crosslingual.names import NamePair, load_pairs
from index.crosslingual.translate import Corpus
from index.errors import IndexCorrupt, ItemNotFound
from index.interface.filters import Filters
from index.interface.records import BuildInfo
from index.keyword.engine import KeywordIndex, KeywordIndexError
from index.local.manifest import build_info, item_files
from index.search.engine import KeywordRanking, Match, SemanticMatch
from index.store.folder import IndexStore
from index.store.table import ItemTable
from index.vectors.encoders import single_thread
from index.vectors.engine import VectorIndex

MATCHED_KEPT = 8  # queries whose matched rows the engine keeps
MASKS_KEPT = 16  # filters whose row masks the engine keeps (a hybrid search asks twice, facets once per facet)


class LocalEngine:
    """An index folder's serving build, opened; thread-safe for reads."""

    def __init__(self, folder: Path, manifest: dict, table: ItemTable, keyword: KeywordIndex,
                 vectors: VectorIndex) -> None:
        self.folder, self.manifest, self.table = folder, manifest, table
        self.keyword_index, self.vectors = keyword, vectors
        self.info: BuildInfo = build_info(folder, manifest)
        self.glossary = keyword.glossary
        self._matched: OrderedDict[tuple, np.ndarray] = OrderedDict()
        self._masks: OrderedDict[Filters, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def open(cls, index_root: Path) -> LocalEngine:
        """Open the current build; a clear IndexProblem if it is missing or damaged."""
        store = IndexStore(index_root)
        folder = store.require_current()
        manifest = store.read_manifest(folder)
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
        return cls(folder, manifest, table, keyword, vectors)

    def close(self) -> None:
        self.keyword_index.close()

    def health(self) -> str:
        return ""  # one process, files on this machine: it serves or it raises

    def latest_build(self) -> str | None:
        folder = IndexStore(self.folder.parent.parent).current()
        return None if folder is None else folder.name

    # -- ranking --------------------------------------------------------------------------------------

    def _mask(self, filters: Filters) -> np.ndarray | None:
        """The rows within the filters (read-only; None: every row), kept for the last filters asked."""
        if filters.is_empty():
            return None
        return _kept(self._masks, filters, lambda: self.table.mask(filters), MASKS_KEPT, self._lock)

    def keyword(self, query: str, k: int, filters: Filters, renderings: tuple = ()) -> KeywordRanking:
        mask = self._mask(filters)
        allowed = None if mask is None else frozenset(self.table.ids[mask].tolist())
        return self.keyword_index.search(query, k, allowed, renderings)

    def semantic(self, vector: np.ndarray, k: int, filters: Filters) -> list[SemanticMatch]:
        ids = self.table.ids
        return [SemanticMatch(ids[h.row], h.score, h.passage)
                for h in self.vectors.search(vector, k, self._mask(filters))]

    def similar(self, item_id: str, k: int, filters: Filters) -> list[SemanticMatch]:
        row = self.table.row_of.get(item_id)
        if row is None:
            raise ItemNotFound(f"no item '{item_id}' in the index")
        item = self.table.items[row]
        family = list({item.id, item.duplicate_of} - {""})
        related = np.isin(self.table.ids, family) | np.isin(self.table.column("duplicate_of"), family)
        mask = self.table.mask(filters) & ~related
        ids = self.table.ids
        return [SemanticMatch(ids[h.row], h.score, h.passage)
                for h in self.vectors.search(self.vectors.item_vector(row), k, mask)]

    # -- counting and browsing ------------------------------------------------------------------------

    def counts(self, match: Match, filters: Filters, attrs: tuple[str, ...]) -> Counter:
        rows = self._matched_rows(match)
        mask = self._mask(filters)
        if mask is not None:
            rows = rows & mask
        columns = [self.table.values(attr)[rows].tolist() for attr in attrs]
        return Counter(columns[0] if len(columns) == 1 else zip(*columns, strict=True))

    def _matched_rows(self, match: Match) -> np.ndarray:
        """Boolean rows of every item the query matches (read-only), kept for the last queries."""
        return _kept(self._matched, match.key, lambda: self._match(match), MATCHED_KEPT, self._lock)

    def _match(self, match: Match) -> np.ndarray:
        if not (match.keyword or match.semantic):
            return np.ones(len(self.table), dtype=bool)
        rows = np.zeros(len(self.table), dtype=bool)
        if match.keyword:
            found = self.keyword_index.search(match.query, len(self.table), None, match.renderings())
            rows[[self.table.row_of[i] for i, _ in found.hits]] = True
        if match.semantic and match.vector is not None:
            with single_thread():  # one query on a busy machine
                rows |= self.vectors.items_above(match.vector(), match.min_similarity)
        return rows

    def browse(self, filters: Filters, k: int, offset: int = 0) -> tuple[list[Item], int]:
        mask = self._mask(filters)
        rows = np.arange(len(self.table)) if mask is None else np.flatnonzero(mask)
        return [self.table.items[row] for row in rows[offset : offset + k].tolist()], int(rows.shape[0])

    # -- stored records -------------------------------------------------------------------------------

    def items(self, ids: Sequence[str]) -> list[Item | None]:
        return [self.table.get(item_id) for item_id in ids]

    def bulletins(self) -> list[Bulletin]:
        return list(self.table.bulletins.values())

    def dates(self) -> set[str]:
        return self.table.dates()

    def corpus(self) -> Corpus:
        return self.keyword_index

    def name_pairs(self, romanise: Callable[[str], str] | None) -> list[NamePair]:
        return load_pairs(self.folder, self.table.items, romanise)


def _kept(kept: OrderedDict, key: object, make: Callable[[], np.ndarray], size: int, lock: threading.Lock
          ) -> np.ndarray:
    """``kept[key]``, made (read-only) and kept when missing; the least recently asked go past ``size``."""
    with lock:
        found = kept.get(key)
        if found is not None:
            kept.move_to_end(key)
            return found
    made = make()
    made.setflags(write=False)
    with lock:
        kept[key] = made
        while len(kept) > size:
            kept.popitem(last=False)
    return made
