"""Exact rescoring of the quantized search's finalists: fewer float32 rows read, the same answer;
and the pread helper it reads them with (page cache first, the rest from disk together)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from index.errors import IndexCorrupt
from index.store import preads
from index.vectors.engine import VectorIndex
from index.vectors.quantized import FloatRows, QuantizedParams, _finalists, exact_items
from index.vectors.scan import TopK, search_items
from tests.index.vectors.test_ann import SMALL, clustered, index_of, queries


def with_ties(items: int = 1500) -> tuple[np.ndarray, np.ndarray]:
    """Clustered items, then exact copies of the first 300 items (tied item scores), some with a passage
    repeated (tied passages inside an item)."""
    matrix, starts = clustered(items, seed=8)
    ends = np.append(starts, matrix.shape[0])
    rows, new_starts = [matrix], list(starts)
    at = matrix.shape[0]
    for item in range(300):
        block = matrix[starts[item] : ends[item + 1]]
        if item % 3 == 0:
            block = np.concatenate([block, block[:1]])
        new_starts.append(at)
        rows.append(block)
        at += block.shape[0]
    return np.concatenate(rows), np.array(new_starts, dtype=np.int64)


def before(index: VectorIndex, q: np.ndarray, k: int, mask: np.ndarray | None) -> TopK:
    """The quantized search as it was: every passage of every finalist scored in float32."""
    qv = index.quantized
    allowed = None if mask is None else mask[index.owner]
    candidates = qv._candidates(q, max(qv.params.candidates, qv.params.per_k * k), allowed)
    finalists = _finalists(index.owner[candidates], qv._approx(candidates, q), k, qv.params.margin)
    return exact_items(index.rows, index.starts, index.n_passages, finalists, q, k)


def counted(index: VectorIndex) -> list[int]:
    """Count the float32 rows the index reads from now on."""
    seen: list[int] = []
    read = index.rows.read

    def counting(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        seen.append(int((ends - starts).sum()))
        return read(starts, ends)

    index.rows.read = counting
    return seen


@pytest.mark.parametrize("corpus", ["clustered", "ties"])
def test_rescoring_reads_fewer_rows_and_returns_what_scoring_every_passage_did(corpus: str, tmp_path: Path) -> None:
    matrix, starts = clustered() if corpus == "clustered" else with_ties()
    index_of(matrix, starts).save(tmp_path)
    index = VectorIndex.load(tmp_path)  # rows read from disk, as at scale
    mask = np.random.default_rng(9).random(starts.shape[0]) < 0.5
    qs = np.concatenate([queries(matrix, 30), matrix[starts[:10]]])  # ... and items' own passages (ties)
    new, old = counted(index), []
    for q in qs:
        for k in (1, 10, 50):
            for m in (None, mask):
                assert index.quantized.params.exact_below < (m if m is not None else starts).shape[0]
                got = index.quantized.search(index.rows, index.starts, index.owner, q, k, m)
                read = len(new)
                want = before(index, q, k, m)
                old.append(new.pop(read))
                for a, b in zip(got, want, strict=True):
                    assert a.dtype == b.dtype and np.array_equal(a, b)  # bit for bit, order included
    assert sum(new) < 0.85 * sum(old)


def test_the_quantized_search_finds_the_exact_top_k_on_a_seeded_corpus() -> None:
    matrix, starts = clustered(seed=10)
    wide = QuantizedParams(candidates=matrix.shape[0] // 3, per_k=16, margin=0.02, exact_below=64)
    index = index_of(matrix, starts, params=wide)
    for q in queries(matrix, 30, seed=11):
        exact = search_items(matrix, starts, q, 10)
        hits = index.search(q, 10)
        assert [h.row for h in hits] == exact.rows.tolist()
        assert [h.passage for h in hits] == [f"p{p}" for p in exact.passages]
        assert np.allclose([h.score for h in hits], exact.scores, atol=1e-6)


def evict(path: Path) -> None:
    """Drop a file's pages from the page cache (no root needed for clean pages)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


@pytest.mark.parametrize("nowait", [True, False])
def test_read_ranges_from_cache_and_from_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, nowait: bool) -> None:
    monkeypatch.setitem(preads._state, "nowait", nowait and preads._state["nowait"])
    data = np.random.default_rng(12).integers(0, 256, 3 << 20, dtype=np.uint8).tobytes()
    path = tmp_path / "blob"
    path.write_bytes(data)
    offsets, sizes = [0, 5000, 1 << 20, (3 << 20) - 7, 2_000_000], [10, 70_000, 3, 7, 0]
    for cold in (True, False):
        if cold:
            evict(path)
        views = [memoryview(bytearray(n)) for n in sizes]
        fd = os.open(path, os.O_RDONLY)
        try:
            preads.read_ranges(fd, offsets, views)
            with pytest.raises(preads.ShortRead):
                preads.read_ranges(fd, [len(data) - 4], [memoryview(bytearray(8))])
        finally:
            os.close(fd)
        assert [bytes(v) for v in views] == [data[o : o + n] for o, n in zip(offsets, sizes, strict=True)]


def test_cold_files_read_the_same_rows_and_texts(tmp_path: Path) -> None:
    matrix, starts = clustered(400, seed=13)
    texts = [f"passage {i} 绿色航运" * (i % 4) for i in range(matrix.shape[0])]
    VectorIndex.from_matrix("m", matrix, starts, texts, "binary-int8", SMALL).save(tmp_path)
    for path in (tmp_path / "parts" / "v0").iterdir():
        evict(path)
    loaded = VectorIndex.load(tmp_path)
    rows = np.array([3, 4, 5, 90, 91, matrix.shape[0] - 1])
    assert np.array_equal(loaded.rows.read(rows, rows + 1), matrix[rows])
    assert loaded.texts.many(rows[::-1]) == [texts[r] for r in rows[::-1]]
    q = queries(matrix, 1)[0]
    assert [h.passage for h in loaded.search(q, 5)] == [texts[int(p)] for p in
                                                         search_items(matrix, starts, q, 5).passages]


def test_a_truncated_float_file_is_a_clear_error(tmp_path: Path) -> None:
    matrix, _ = clustered(50)
    np.save(tmp_path / "m.npy", matrix)
    rows = FloatRows(np.load(tmp_path / "m.npy", mmap_mode="r"), tmp_path / "m.npy")
    os.truncate(tmp_path / "m.npy", 4096)
    with pytest.raises(IndexCorrupt, match="truncated"):
        rows.read(np.array([10]), np.array([12]))


def test_mapped_npy_files_are_copied_with_plain_reads(tmp_path: Path) -> None:
    matrix, _ = clustered(60)
    np.save(tmp_path / "m.npy", matrix)
    mapped = np.load(tmp_path / "m.npy", mmap_mode="r")
    out = np.empty_like(matrix)
    assert preads.read_mapped_file(mapped, out) and np.array_equal(out, matrix)
    assert not preads.read_mapped_file(mapped[5:], out[5:])  # part of the file: the caller copies it
    assert not preads.read_mapped_file(matrix, out)  # not a map
    index_of(matrix, np.arange(0, matrix.shape[0], 3)).save(tmp_path / "index")
    loaded = VectorIndex.load(tmp_path / "index")
    assert not isinstance(loaded.quantized.int8, np.memmap)
    assert np.array_equal(loaded.quantized.int8, np.load(tmp_path / "index" / "parts" / "v0" / "vectors.int8.npy"))


def test_parts_are_joined_in_order_when_opened(tmp_path: Path) -> None:
    from index.vectors.engine import VectorPart, write_meta
    from index.vectors.quantized import corpus_mean

    matrix, starts = clustered(300, seed=14)
    cut = int(starts[120])
    mean = corpus_mean(matrix)
    texts = [f"p{i}" for i in range(matrix.shape[0])]
    VectorPart.from_matrix(matrix[:cut], starts[:120], texts[:cut], mean).save(tmp_path / "parts" / "a")
    VectorPart.from_matrix(matrix[cut:], starts[120:] - cut, texts[cut:], mean).save(tmp_path / "parts" / "b")
    write_meta(tmp_path, "m", mean, ["a", "b"], 300, matrix.shape[0], "binary-int8", SMALL)
    loaded, whole = VectorIndex.load(tmp_path), index_of(matrix, starts)
    for name in ("codes", "int8", "scales"):
        assert np.array_equal(getattr(loaded.quantized, name), getattr(whole.quantized, name))
    assert np.array_equal(loaded.starts, starts) and np.array_equal(loaded.float_matrix(), matrix)
    rows = np.array([0, cut - 1, cut, matrix.shape[0] - 1])
    assert loaded.texts.many(rows) == [texts[r] for r in rows]
    for q in queries(matrix, 10, seed=15):
        assert loaded.search(q, 10) == whole.search(q, 10)
