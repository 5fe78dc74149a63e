"""Pure-numpy top-k and best-passage aggregation, checked against brute force."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from index.vectors.scan import best_passages, search_items, top_k

scores_st = arrays(np.float32, st.integers(1, 40), elements=st.floats(-1, 1, width=32))


@given(scores_st, st.integers(1, 50), st.data())
def test_top_k_matches_brute_force(scores: np.ndarray, k: int, data: st.DataObject) -> None:
    mask = data.draw(arrays(bool, scores.shape[0]))
    rows, values = top_k(scores, k, mask)
    allowed = np.flatnonzero(mask)
    expected = sorted(allowed.tolist(), key=lambda r: (-scores[r], r))[:k]
    assert rows.tolist() == expected
    assert np.array_equal(values, scores[rows])
    assert all(mask[rows])


def test_top_k_never_returns_masked_rows_even_when_they_score_best() -> None:
    rows, _ = top_k(np.array([0.9, 0.1, 0.5], dtype=np.float32), 2, np.array([False, True, True]))
    assert rows.tolist() == [2, 1]


def test_best_passage_per_item() -> None:
    scores = np.array([0.1, 0.5, 0.3, 0.9, 0.2, 0.2], dtype=np.float32)
    best, rows = best_passages(scores, np.array([0, 2, 3, 5]))
    assert best.tolist() == [np.float32(0.5), np.float32(0.3), np.float32(0.9), np.float32(0.2)]
    assert rows.tolist() == [1, 2, 3, 5]


def test_search_items_scores_item_by_its_best_passage() -> None:
    matrix = np.array([[1, 0], [0, 1], [0.6, 0.8], [1, 0]], dtype=np.float32)
    top = search_items(matrix, np.array([0, 2, 3]), np.array([0, 1], dtype=np.float32), k=3)
    assert top.rows.tolist() == [0, 1, 2]
    assert top.passages.tolist() == [1, 2, 3]
