"""Compressed vector search for large indexes: binary codes, then int8, then exact float32 on the finalists.

The exact scan (index/vectors.py) reads every float32 passage vector per query; at 100k items (~400k
passages) that is 800 MB of RAM and ~80 ms. Here each passage also has

- a binary code: the signs of the passage vector minus the corpus mean (512 bits = 64 bytes; the mean is
  fixed by the full build, appended parts reuse it), compared with the query's code by hamming distance
  (faiss' popcount kernel: ~1 ms for 400k codes);
- an int8 copy (one scale per passage; dot product error typically ≤ ~0.002 for unit vectors, at most
  scale/2 · ‖q‖₁, ~0.01).

A query takes the ``candidates`` passages nearest in hamming distance (ties at the cut-off included), scores
them with the int8 copy, keeps every item whose approximate best passage is within ``margin`` of the k-th,
and ranks those items exactly in float32 (rows read from the parts' vectors.npy files on disk, never held
in memory): of their passages only those whose int8 score, give or take its proven error bound, can be the
best of a top-k item are read (``_rescore``; the same result as scoring all of them). Returned scores and
passages are therefore exact; the only approximation is which passages reach the int8 stage. A filter
mask is applied to the hamming distances before the cut-off, so filtered-out passages never take a candidate
slot; a mask leaving at most ``exact_below`` passages is scanned exactly.
"""

from __future__ import annotations

import bisect
import functools
import os
import weakref
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from types import ModuleType

import numpy as np

from index.errors import IndexCorrupt
from index.store.preads import ShortRead, read_ranges
from index.vectors.scan import TopK, best_passages, top_k

METHOD = "binary-int8"
VERSION = 2  # 2: codes, int8 and scales stored per part, the mean per build
_CHUNK = 8192  # rows per step when building (temporaries stay in cache)
_SCORE_CHUNK = 4096  # candidate rows per int8 scoring step


@dataclass(frozen=True)
class QuantizedParams:
    candidates: int = 12288  # passages taken from the hamming scan (at least; more for large k)
    per_k: int = 96  # ... or this many per requested item, whichever is larger
    margin: float = 0.01  # int8 score slack when choosing items for exact rescoring
    exact_below: int = 2048  # a mask leaving at most this many passages is scanned exactly


class FloatRows:
    """Float32 passage vectors read by row ranges: from memory, or from .npy files (one per part) with pread,
    which costs no resident memory."""

    def __init__(self, matrix: np.ndarray, path: Path | None = None) -> None:
        self.matrix = matrix
        self.dim = int(matrix.shape[1])
        self._files: list[tuple[int, int]] = []  # (fd, data offset) per file
        self._bounds = np.array([0, matrix.shape[0]], dtype=np.int64)  # first row of each file, then the end
        self._names: list[str] = []
        if path is not None:
            self._add_file(matrix, path)

    @classmethod
    def from_files(cls, matrices: Sequence[np.memmap], paths: Sequence[Path]) -> FloatRows:
        """Rows of several memory-mapped .npy files, concatenated in order."""
        rows = cls(np.zeros((0, int(matrices[0].shape[1])), np.float32))
        rows._bounds = np.concatenate([[0], np.cumsum([m.shape[0] for m in matrices])]).astype(np.int64)
        for matrix, path in zip(matrices, paths, strict=True):
            rows._add_file(matrix, path)
        return rows

    def _add_file(self, matrix: np.ndarray, path: Path) -> None:
        fd = os.open(path, os.O_RDONLY)  # lives with the index
        weakref.finalize(self, os.close, fd)
        self._files.append((fd, int(getattr(matrix, "offset", 0))))
        self._names.append(str(path))

    def read(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """Rows ``starts[i]:ends[i]`` for each i, concatenated (ranges sorted and disjoint).

        From files: one pread per run of touching ranges, the runs not in the page cache read from the disk
        together (index/vectors/preads.py)."""
        if not self._files:
            return self.matrix[ranges_to_rows(starts, ends)]
        out = np.empty((int((ends - starts).sum()), self.dim), dtype=np.float32)
        buffer, row_bytes, at = memoryview(out).cast("B"), self.dim * 4, 0
        pieces: dict[int, tuple[list[int], list[memoryview]]] = {}
        bounds = self._bounds.tolist()
        for s, e in _coalesce(starts, ends):
            while s < e:  # a run may cross from one file into the next
                n = bisect.bisect_right(bounds, s) - 1
                stop = min(e, bounds[n + 1])
                size = (stop - s) * row_bytes
                offsets, views = pieces.setdefault(n, ([], []))
                offsets.append(self._files[n][1] + (s - bounds[n]) * row_bytes)
                views.append(buffer[at : at + size])
                at, s = at + size, stop
        for n, (offsets, views) in pieces.items():
            try:
                read_ranges(self._files[n][0], offsets, views)
            except ShortRead as exc:
                raise IndexCorrupt(f"{self._names[n]}: truncated ({exc.strerror})") from exc
        return out


def ranges_to_rows(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Row indices of the concatenated ranges ``starts[i]:ends[i]``."""
    lens = ends - starts
    shift = np.repeat(starts - np.concatenate([[0], np.cumsum(lens)[:-1]]), lens)
    return np.arange(int(lens.sum())) + shift


def _coalesce(starts: np.ndarray, ends: np.ndarray) -> list[tuple[int, int]]:
    """Merge touching ranges (consecutive items) into runs: one read per run."""
    if starts.shape[0] == 0:
        return []
    breaks = np.flatnonzero(starts[1:] != ends[:-1]) + 1
    return list(zip(starts[np.r_[0, breaks]].tolist(), ends[np.r_[breaks - 1, -1]].tolist(), strict=True))


def hamming(codes: np.ndarray, code: np.ndarray) -> np.ndarray:
    """Hamming distance (int32) of one packed code to every row of ``codes`` (uint8, width a multiple of 8)."""
    faiss = _faiss()
    if faiss is None:  # pragma: no cover - faiss-cpu is a dependency; numpy is the slow reference
        return hamming_numpy(codes, code)
    out = np.empty(codes.shape[0], dtype=np.int32)
    code = np.ascontiguousarray(code, dtype=np.uint8)
    faiss.hammings(faiss.swig_ptr(code), faiss.swig_ptr(codes), 1, codes.shape[0], codes.shape[1],
                   faiss.swig_ptr(out))
    return out


@functools.cache
def _faiss() -> ModuleType | None:
    """faiss, imported once (50-200 ms: done when a quantized index opens, not in its first query)."""
    try:
        import faiss
    except ImportError:  # pragma: no cover
        return None
    return faiss


def hamming_numpy(codes: np.ndarray, code: np.ndarray) -> np.ndarray:
    words, word = codes.view(np.uint64), np.ascontiguousarray(code).view(np.uint64)
    return np.bitwise_count(words ^ word).sum(axis=1, dtype=np.int32)


def _pack(vectors: np.ndarray, mean: np.ndarray) -> np.ndarray:
    bits = np.packbits(vectors > mean, axis=-1)
    pad = -bits.shape[-1] % 8  # whole 64-bit words
    return np.pad(bits, [(0, 0)] * (bits.ndim - 1) + [(0, pad)]) if pad else bits


def corpus_mean(matrix: np.ndarray) -> np.ndarray:
    """The centre the binary codes are taken around (float32; zeros for an empty matrix)."""
    n, dim = matrix.shape
    return matrix.mean(axis=0, dtype=np.float64).astype(np.float32) if n else np.zeros(dim, np.float32)


def quantize(matrix: np.ndarray, mean: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Binary codes around ``mean``, int8 rows and their scales of a float32 matrix, in chunks."""
    n, dim = matrix.shape
    codes = np.empty((n, (dim + 63) // 64 * 8), dtype=np.uint8)
    int8, scales = np.empty((n, dim), dtype=np.int8), np.empty(n, dtype=np.float32)
    for at in range(0, n, _CHUNK):
        block = np.asarray(matrix[at : at + _CHUNK], dtype=np.float32)
        codes[at : at + _CHUNK] = _pack(block, mean)
        scale = np.abs(block).max(axis=1) / 127
        scale[scale == 0] = 1.0
        int8[at : at + _CHUNK] = np.rint(block / scale[:, None])
        scales[at : at + _CHUNK] = scale
    return codes, int8, scales


def describe(params: QuantizedParams | None, bits: int) -> dict:
    """The vectors.json record of a quantized index: method, version, code bits, parameters."""
    return {"method": METHOD, "version": VERSION, "bits": bits, "params": asdict(params or QuantizedParams())}


class QuantizedVectors:
    """Binary codes + int8 copy of a passage matrix, and the three-stage search over them."""

    VERSION = VERSION

    def __init__(self, codes: np.ndarray, int8: np.ndarray, scales: np.ndarray, mean: np.ndarray,
                 params: QuantizedParams | None = None) -> None:
        self.codes, self.int8, self.scales, self.mean = codes, int8, scales, mean
        self.params = params or QuantizedParams()
        _faiss()

    @classmethod
    def build(cls, matrix: np.ndarray, params: QuantizedParams | None = None) -> QuantizedVectors:
        """O(n) numpy passes over the float32 matrix (no training)."""
        mean = corpus_mean(matrix)
        return cls(*quantize(matrix, mean), mean, params)

    def describe(self) -> dict:
        """What vectors.json records: method, version, parameters."""
        return describe(self.params, int(self.mean.shape[0]))

    # -- search ---------------------------------------------------------------------------------------------

    def search(self, rows: FloatRows, starts: np.ndarray, owner: np.ndarray, query: np.ndarray, k: int,
               mask: np.ndarray | None = None) -> TopK:
        """Top-k items (best passage each) for a unit query; ``mask`` (per item) applies before any cut-off."""
        allowed = None if mask is None else mask[owner]
        n_allowed = owner.shape[0] if allowed is None else int(np.count_nonzero(allowed))
        want = max(self.params.candidates, self.params.per_k * k)
        if n_allowed <= max(self.params.exact_below, 0) or n_allowed <= want:
            items = np.arange(starts.shape[0]) if mask is None else np.flatnonzero(mask)
            return exact_items(rows, starts, owner.shape[0], items, query, k)
        candidates = self._candidates(query, want, allowed)
        finalists = _finalists(owner[candidates], self._approx(candidates, query), k, self.params.margin)
        return self._rescore(rows, starts, owner.shape[0], finalists, query, k)

    def _candidates(self, query: np.ndarray, want: int, allowed: np.ndarray | None) -> np.ndarray:
        """Passages whose hamming distance is within the ``want``-th smallest (ties kept), among allowed ones."""
        bits = self.codes.shape[1] * 8
        dist = hamming(self.codes, _pack(query[None, :], self.mean)[0])
        if allowed is not None:
            dist[~allowed] = bits + 1
        cut = min(int(np.searchsorted(np.cumsum(np.bincount(dist, minlength=bits + 2)), want)), bits)
        return np.flatnonzero(dist <= cut)

    def _approx(self, rows: np.ndarray, query: np.ndarray) -> np.ndarray:
        """int8 dot products of the given passages, in chunks (the int8 rows are cast inside einsum)."""
        out = np.empty(rows.shape[0], dtype=np.float32)
        for at in range(0, rows.shape[0], _SCORE_CHUNK):
            chunk = self.int8[rows[at : at + _SCORE_CHUNK]]
            np.einsum("ij,j->i", chunk, query, dtype=np.float32, casting="unsafe", out=out[at : at + chunk.shape[0]])
        return out * self.scales[rows]

    def _rescore(self, rows: FloatRows, starts: np.ndarray, n_passages: int, items: np.ndarray, query: np.ndarray,
                 k: int) -> TopK:
        """What :func:`exact_items` returns for these items, reading only the float32 rows that can matter.

        The int8 score of a passage is within ``slack`` of its exact score: rounding to the int8 grid moves
        each component by at most scale/2, hence the dot product by at most scale/2 · ‖q‖₁ (+2% and 1e-4
        for float32 arithmetic in both scores). A passage is read only if its upper bound reaches its item's
        best lower bound (else another passage of the item scores higher) and the k-th best item lower bound
        (else it is not the best passage of a top-k item): every passage that is the best of a top-k item is
        read, so items, scores, passages and order are those of :func:`exact_items` over every passage of
        these items (tests/index/vectors/test_ann.py). Fewer rows, fewer disk reads when the page cache is cold.
        """
        if items.shape[0] == 0:
            return exact_items(rows, starts, n_passages, items, query, k)
        begin = starts[items]
        lens = np.append(starts, n_passages)[items + 1] - begin
        passages = ranges_to_rows(begin, begin + lens)
        approx = self._approx(passages, query).astype(np.float64)
        slack = self.scales[passages] * (0.51 * float(np.abs(query).sum())) + 1e-4
        low = np.maximum.reduceat(approx - slack, np.concatenate([[0], np.cumsum(lens)[:-1]]))
        floor = np.repeat(low, lens)
        if items.shape[0] > k:
            np.maximum(floor, -np.partition(-low, k - 1)[k - 1], out=floor)
        keep = approx + slack >= floor
        kept, item_of = passages[keep], np.repeat(np.arange(items.shape[0]), lens)[keep]
        firsts = np.flatnonzero(np.r_[True, item_of[1:] != item_of[:-1]])
        best, best_row = best_passages(np.einsum("ij,j->i", rows.read(kept, kept + 1), query), firsts)
        picked, scores = top_k(best, k)
        return TopK(items[item_of[firsts]][picked].astype(np.int64), scores, kept[best_row[picked]].astype(np.int64))


def _finalists(items: np.ndarray, scores: np.ndarray, k: int, margin: float) -> np.ndarray:
    """Items whose best approximate score is within ``margin`` of the k-th best item's.

    ``items`` is non-decreasing (passages in row order, items contiguous), so each item's best is a reduceat.
    """
    bounds = np.flatnonzero(np.r_[True, items[1:] != items[:-1]])
    unique, best = items[bounds], np.maximum.reduceat(scores, bounds)
    if unique.shape[0] <= k:
        return unique
    kth = -np.partition(-best, k - 1)[k - 1]
    return unique[best >= kth - margin]


def exact_items(rows: FloatRows, starts: np.ndarray, n_passages: int, items: np.ndarray, query: np.ndarray,
                k: int) -> TopK:
    """Exact top-k among the given items (sorted rows): all their passages scored in float32."""
    if items.shape[0] == 0:
        return TopK(np.zeros(0, np.int64), np.zeros(0, np.float32), np.zeros(0, np.int64))
    begin = starts[items]
    end = np.append(starts, n_passages)[items + 1]
    block = rows.read(begin, end)
    local = np.concatenate([[0], np.cumsum(end - begin)[:-1]])
    best, best_local = best_passages(np.einsum("ij,j->i", block, query), local)
    picked, scores = top_k(best, k)
    return TopK(items[picked].astype(np.int64), scores, (begin + best_local - local)[picked].astype(np.int64))
