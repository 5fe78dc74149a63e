"""The embedding index: unit vectors of item passages, stored as parts, with JSON metadata.

A build's passages are split into *parts* (see index/local/parts.py): each part folder holds its float32 matrix
(``vectors.npy``), per-item passage starts, passage texts (one UTF-8 blob + offsets) and the quantized copy
(binary codes, int8 rows and scales, index/vectors/quantized.py). A part is written once and hard-linked unchanged
into later builds, so adding a bulletin writes only its own part. ``vectors.json`` in the build folder lists
the parts and the search method, and ``vectors.mean.npy`` holds the centre the binary codes are taken around
(computed by the build that wrote the first part, reused by every appended part).

Below ``QUANTIZE_FROM`` passages a query scans the float32 matrix exactly (held in memory; the reference).
From there on a query searches the quantized copy and rescores its finalists exactly from the parts' float32
files on disk (read with pread), so the float32 matrix is never loaded. The texts of a query's hits are read
with pread too (offsets held in memory): both reads go to the disk together when the page cache is cold
(index/store/preads.py). A method this version does not know is a clear error.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from archive.model import Item
from index.errors import IndexCorrupt, IndexMismatch
from index.store.preads import read_mapped_file
from index.store.texts import JoinedTexts, Utf8Texts
from index.vectors.cache import EmbeddingCache
from index.vectors.encoders import Encoder
from index.vectors.passages import Passage, item_passages, text_key
from index.vectors.quantized import METHOD as QUANTIZED
from index.vectors.quantized import VERSION as QUANTIZED_VERSION
from index.vectors.quantized import (
    FloatRows,
    QuantizedParams,
    QuantizedVectors,
    corpus_mean,
    describe,
    quantize,
)
from index.vectors.scan import TopK, best_passages, search_items

META, MEAN = "vectors.json", "vectors.mean.npy"
PARTS_DIR = "parts"
# files of one part
VECTORS, STARTS = "vectors.npy", "vectors.starts.npy"
TEXTS, TEXT_OFFSETS = "vectors.texts.npy", "vectors.text_offsets.npy"
CODES, INT8, SCALES = "vectors.codes.npy", "vectors.int8.npy", "vectors.scales.npy"
EXACT = "exact"
QUANTIZE_FROM = 65_536  # passages (~16k items): from here on searches are quantized (method "auto"; the
# quantized search costs ~12 ms from the start, the exact scan ~0.25 ms per 1k passages: even at ~50k)

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SemanticHit:
    row: int  # item row in the index's item table
    score: float
    passage: str  # the best-matching passage ("why this matched")


@dataclass(frozen=True)
class VectorPart:
    """The passages of one part's items: float32 rows, per-item starts, texts and the quantized copy.

    ``path`` is the part's float32 file once saved or loaded (rows are then read from disk).
    """

    matrix: np.ndarray
    starts: np.ndarray
    texts: Utf8Texts
    codes: np.ndarray
    int8: np.ndarray
    scales: np.ndarray
    path: Path | None = None

    @property
    def passages(self) -> int:
        return int(self.matrix.shape[0])

    @classmethod
    def from_matrix(cls, matrix: np.ndarray, starts: np.ndarray, texts: Sequence[str] | Utf8Texts,
                    mean: np.ndarray) -> VectorPart:
        texts = texts if isinstance(texts, Utf8Texts) else Utf8Texts.from_texts(texts)
        return cls(matrix, np.asarray(starts, dtype=np.int64), texts, *quantize(matrix, mean))

    @classmethod
    def concat(cls, parts: Sequence[VectorPart]) -> VectorPart:
        """Parts joined in order into one in memory (codes kept: all parts share the build's mean)."""
        offsets = np.concatenate([[0], np.cumsum([p.passages for p in parts])]).astype(np.int64)
        blob_offsets = np.concatenate([[0], np.cumsum([p.texts.blob.shape[0] for p in parts])]).astype(np.int64)
        texts = Utf8Texts(np.concatenate([p.texts.blob for p in parts]),
                             np.concatenate([p.texts.offsets[:-1] + o for p, o in zip(parts, blob_offsets, strict=False)]
                                            + [blob_offsets[-1:]]))
        return cls(np.concatenate([p.matrix for p in parts]),
                   np.concatenate([p.starts + o for p, o in zip(parts, offsets, strict=False)]), texts,
                   *(np.concatenate([getattr(p, a) for p in parts]) for a in ("codes", "int8", "scales")))

    def save(self, folder: Path) -> VectorPart:
        """Write the part's files into ``folder`` (created); the returned part reads them from there."""
        folder.mkdir(parents=True, exist_ok=True)
        arrays = {VECTORS: self.matrix, STARTS: self.starts, TEXTS: self.texts.blob,
                  TEXT_OFFSETS: self.texts.offsets, CODES: self.codes, INT8: self.int8, SCALES: self.scales}
        for name, array in arrays.items():
            np.save(folder / name, np.ascontiguousarray(array), allow_pickle=False)
        return VectorPart.load(folder)

    @classmethod
    def load(cls, folder: Path) -> VectorPart:
        """A saved part, every array memory-mapped; shapes checked against each other."""
        try:
            matrix, starts, blob, offsets, codes, int8, scales = (
                np.load(folder / name, allow_pickle=False, mmap_mode="r")
                for name in (VECTORS, STARTS, TEXTS, TEXT_OFFSETS, CODES, INT8, SCALES))
        except (OSError, ValueError) as exc:
            raise IndexCorrupt(f"{folder}: vectors unreadable ({exc}); run 'bulletins build --rebuild'") from exc
        n, dim = matrix.shape
        if codes.shape != (n, (dim + 63) // 64 * 8) or int8.shape != (n, dim) or scales.shape != (n,) \
                or offsets.shape != (n + 1,) or (starts.shape[0] and starts[-1] >= max(n, 1)):
            raise IndexCorrupt(f"{folder}: vectors of this part do not match each other; "
                               "run 'bulletins build --rebuild'")
        return cls(matrix, np.asarray(starts), Utf8Texts(blob, np.array(offsets), folder / TEXTS), codes, int8,
                   scales, folder / VECTORS)


def embed(items: Sequence[Item], encoder: Encoder, cache: EmbeddingCache, progress: Progress | None = None
          ) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Passage vectors of items, encoding only texts the cache does not hold.

    Returns:
        (float32 matrix, first passage row of each item, passage texts).
    """
    passages, starts = [], []
    for item in items:
        starts.append(len(passages))
        passages.extend(item_passages(item))
    keys = [text_key(p.text) for p in passages]
    _encode_missing(passages, keys, encoder, cache, progress)
    matrix = cache.get_many(keys) if keys else np.zeros((0, encoder.dim), np.float32)
    return matrix, np.array(starts, np.int64), [p.text for p in passages]


def choose_method(method: str, passages: int) -> str:
    """The search method for an index of ``passages``: "auto" quantizes from ``QUANTIZE_FROM`` on."""
    if method == "auto":
        return QUANTIZED if passages >= QUANTIZE_FROM else EXACT
    if method not in (EXACT, QUANTIZED):
        raise ValueError(f"unknown vector search method '{method}': use auto, {EXACT} or {QUANTIZED}")
    return method


class VectorIndex:
    """Passages of all items (contiguous per item, items in table order, parts in order) and their vectors.

    ``quantized`` is None for the exact scan (float32 matrix in memory), else the compressed index.
    """

    def __init__(self, model: str, parts: Sequence[VectorPart], mean: np.ndarray, method: str = "auto",
                 params: QuantizedParams | None = None) -> None:
        self.model, self.mean = model, mean
        self.dim = int(mean.shape[0])
        offsets = np.concatenate([[0], np.cumsum([p.passages for p in parts])]).astype(np.int64)
        self.n_passages = int(offsets[-1])
        self.starts = np.concatenate([p.starts + o for p, o in zip(parts, offsets, strict=False)] or
                                     [np.zeros(0, np.int64)]).astype(np.int64)
        self.texts = JoinedTexts([p.texts for p in parts])
        self.owner = np.repeat(np.arange(len(self.starts), dtype=np.int32),
                               np.diff(np.append(self.starts, self.n_passages)))
        self.quantized: QuantizedVectors | None = None
        self.matrix: np.ndarray | None = None  # in memory for the exact scan only
        if choose_method(method, self.n_passages) == EXACT:
            self.matrix = _joined([p.matrix for p in parts], (0, self.dim), np.float32)
            self.rows = FloatRows(self.matrix)
        else:
            self.quantized = QuantizedVectors(_joined([p.codes for p in parts], (0, 0), np.uint8),
                                              _joined([p.int8 for p in parts], (0, self.dim), np.int8),
                                              _joined([p.scales for p in parts], (0,), np.float32), mean, params)
            on_disk = all(p.path is not None for p in parts)
            self.rows = FloatRows.from_files([p.matrix for p in parts], [p.path for p in parts]) if on_disk \
                else FloatRows(_joined([p.matrix for p in parts], (0, self.dim), np.float32))
        # The arrays above are copies in memory (read from the files, see _joined). Parts read from disk are not
        # kept: their memory maps of the same arrays would keep pages resident (counted twice in the RSS).
        self._float_files = [p.matrix for p in parts] if self.quantized is not None else []
        self._unsaved = [p for p in parts if p.path is None]

    @property
    def method(self) -> str:
        return EXACT if self.quantized is None else QUANTIZED

    @classmethod
    def build(
        cls, items: Sequence[Item], encoder: Encoder, cache: EmbeddingCache, progress: Progress | None = None,
        method: str = "auto", params: QuantizedParams | None = None,
    ) -> VectorIndex:
        """Embed every item's passages into one part (see :func:`embed`)."""
        matrix, starts, texts = embed(items, encoder, cache, progress)
        return cls.from_matrix(encoder.name, matrix, starts, texts, method, params)

    @classmethod
    def from_matrix(cls, model: str, matrix: np.ndarray, starts: np.ndarray, texts: Sequence[str],
                    method: str = "auto", params: QuantizedParams | None = None) -> VectorIndex:
        """One in-memory part over a passage matrix; ``method``: "exact", "binary-int8" or "auto"."""
        choose_method(method, matrix.shape[0])  # an unknown method fails before any work
        matrix = np.asarray(matrix, dtype=np.float32)
        mean = corpus_mean(matrix)
        return cls(model, [VectorPart.from_matrix(matrix, starts, texts, mean)], mean, method, params)

    def search(self, query_vector: np.ndarray, k: int, mask: np.ndarray | None = None) -> list[SemanticHit]:
        if self.n_passages == 0:
            return []
        top = self._top(np.asarray(query_vector, dtype=np.float32), k, mask)
        return [SemanticHit(int(r), float(s), text)
                for r, s, text in zip(top.rows, top.scores, self.texts.many(top.passages), strict=True)]

    def _top(self, query: np.ndarray, k: int, mask: np.ndarray | None) -> TopK:
        if self.quantized is None:
            return search_items(self.matrix, self.starts, query, k, mask)
        return self.quantized.search(self.rows, self.starts, self.owner, query, k, mask)

    def items_above(self, query_vector: np.ndarray, threshold: float) -> np.ndarray:
        """Boolean per item: its best passage scores at least ``threshold`` (every match, no ranking)."""
        found = np.zeros(len(self.starts), dtype=bool)
        if self.n_passages == 0:
            return found
        query = np.asarray(query_vector, dtype=np.float32)
        if self.quantized is None:
            return best_passages(self.matrix @ query, self.starts)[0] >= threshold
        top = self._top(query, len(self.starts), None)  # scores only: no passage texts read
        found[top.rows[top.scores.astype(np.float64) >= threshold]] = True  # as search: Python floats
        return found

    def item_vector(self, row: int) -> np.ndarray:
        """Mean of an item's passage vectors, re-normalised (for 'similar items')."""
        end = self.starts[row + 1] if row + 1 < len(self.starts) else self.n_passages
        mean = self.rows.read(self.starts[row : row + 1], np.array([end])).mean(axis=0)
        return mean / (np.linalg.norm(mean) or 1.0)

    def float_matrix(self) -> np.ndarray:
        """All passage vectors as one float32 array in memory (for references and benchmarks)."""
        return self.matrix if self.matrix is not None else _joined(self._float_files, (0, self.dim), np.float32)

    def save(self, folder: Path) -> None:
        """Write an index built in memory (:meth:`build`, :meth:`from_matrix`) into ``folder``: its part as
        ``parts/v0`` and the metadata."""
        if not self._unsaved:
            raise ValueError("this vector index was read from disk: it is saved already")
        names = [f"v{n}" for n in range(len(self._unsaved))]
        for name, part in zip(names, self._unsaved, strict=True):
            part.save(folder / PARTS_DIR / name)
        write_meta(folder, self.model, self.mean, names, len(self.starts), self.n_passages, self.method,
                   self.quantized.params if self.quantized else None)

    @classmethod
    def load(cls, folder: Path, expected_model: str | None = None) -> VectorIndex:
        """Read the index of a build folder (parts listed in its vectors.json)."""
        try:
            meta = json.loads((folder / META).read_text(encoding="utf-8"))
            search, names = meta["search"], meta["parts"]
            mean = np.load(folder / MEAN, allow_pickle=False)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise IndexCorrupt(f"{folder}: vectors unreadable ({exc}); run 'bulletins build --rebuild'") from exc
        if expected_model and meta["model"] != expected_model:
            raise IndexMismatch(
                f"{folder}: the index was built with model '{meta['model']}', not '{expected_model}'; "
                f"rebuild with 'bulletins build --rebuild --model {expected_model}'")
        _check_method(folder, search)
        parts = [VectorPart.load(folder / PARTS_DIR / name) for name in names]
        if any(p.matrix.shape[1] != meta["dim"] for p in parts) or mean.shape != (meta["dim"],) \
                or sum(len(p.starts) for p in parts) != meta["items"] or sum(p.passages for p in parts) != meta["passages"]:
            raise IndexCorrupt(f"{folder}: vectors do not match their metadata; run 'bulletins build --rebuild'")
        params = QuantizedParams(**search["params"]) if search["method"] == QUANTIZED else None
        return cls(meta["model"], parts, mean, search["method"], params)


def write_meta(folder: Path, model: str, mean: np.ndarray, part_names: Sequence[str], items: int, passages: int,
               method: str, params: QuantizedParams | None = None) -> None:
    """vectors.json (model, counts, parts, search method) and the code centre of a build folder.

    ``method`` may be "auto": it is resolved here from the passage count.
    """
    method = choose_method(method, passages)
    search = {"method": EXACT} if method == EXACT else describe(params, int(mean.shape[0]))
    np.save(folder / MEAN, mean.astype(np.float32), allow_pickle=False)
    meta = {"model": model, "dim": int(mean.shape[0]), "items": items, "passages": passages,
            "parts": list(part_names), "search": search}
    (folder / META).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def _check_method(folder: Path, search: dict) -> None:
    method = search.get("method")
    if method == EXACT or (method == QUANTIZED and search.get("version") == QUANTIZED_VERSION):
        return
    raise IndexMismatch(
        f"{folder}: vectors use search method '{method}' version {search.get('version')}, which this version "
        f"cannot read ({EXACT}, or {QUANTIZED} version {QUANTIZED_VERSION}); run 'bulletins build --rebuild'")


def _joined(arrays: Sequence[np.ndarray], empty: tuple[int, ...], dtype: type) -> np.ndarray:
    """Arrays concatenated into memory (an empty array of the given shape when there are none).

    Whole .npy files memory-mapped by np.load are read with plain file reads instead of copied through the
    map, whose touched pages stay resident until the copy ends (at 100k items the peak RSS of opening was
    ~220 MB higher: int8 rows and codes counted twice)."""
    if not arrays:
        return np.zeros(empty, dtype=dtype)
    if len({(a.dtype, a.shape[1:]) for a in arrays}) > 1:
        return np.concatenate(arrays)
    out = np.empty((sum(a.shape[0] for a in arrays), *arrays[0].shape[1:]), dtype=arrays[0].dtype)
    at = 0
    for array in arrays:
        part = out[at : at + array.shape[0]]
        if not read_mapped_file(array, part):
            part[...] = array
        at += array.shape[0]
    return out


def _encode_missing(
    passages: list[Passage], keys: list[str], encoder: Encoder, cache: EmbeddingCache,
    progress: Progress | None, batch: int = 256,
) -> None:
    todo: dict[str, str] = {}
    for key, passage in zip(keys, passages, strict=True):
        if key not in cache and key not in todo:
            todo[key] = passage.text
    pending = list(todo.items())
    for start in range(0, len(pending), batch):
        chunk = pending[start : start + batch]
        cache.put([k for k, _ in chunk], encoder.encode([t for _, t in chunk]))
        if progress:
            progress(min(start + batch, len(pending)), len(pending))
