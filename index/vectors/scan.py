"""Exact vector search in pure numpy: no model here, only arrays.

Passages of one item are stored contiguously; an item's score is its best passage.
Filters arrive as a boolean item mask applied before top-k.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class TopK(NamedTuple):
    rows: np.ndarray  # item rows, best first
    scores: np.ndarray  # their scores
    passages: np.ndarray  # best passage row of each item


def top_k(scores: np.ndarray, k: int, mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Indices and values of the k largest scores among rows where mask is True, best first."""
    if mask is not None:
        candidates = np.flatnonzero(mask)
        values = scores[candidates]
    else:
        candidates, values = None, scores
    k = min(k, values.shape[0])
    if k <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    if k < values.shape[0]:  # partition, then break ties at the k-th value by row (deterministic)
        kth = -np.partition(-values, k - 1)[k - 1]
        above = np.flatnonzero(values > kth)
        part = np.concatenate([above, np.flatnonzero(values == kth)[: k - above.shape[0]]])
    else:
        part = np.arange(values.shape[0])
    order = part[np.lexsort((part, -values[part]))]
    rows = order if candidates is None else candidates[order]
    return rows.astype(np.int64), values[order]


def best_passages(passage_scores: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per item (passages contiguous, item i starting at starts[i]): its best score and best passage row."""
    if starts.shape[0] == 0:
        return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
    best = np.maximum.reduceat(passage_scores, starts)
    owner = np.repeat(np.arange(starts.shape[0]), np.diff(np.append(starts, passage_scores.shape[0])))
    is_best = passage_scores == best[owner]
    first_best = np.full(starts.shape[0], -1, dtype=np.int64)
    hits = np.flatnonzero(is_best)[::-1]
    first_best[owner[hits]] = hits
    return best, first_best


def search_items(
    matrix: np.ndarray, starts: np.ndarray, query: np.ndarray, k: int, mask: np.ndarray | None = None
) -> TopK:
    """Top-k items for a unit query vector over a passage matrix (cosine = dot product)."""
    item_scores, best_rows = best_passages(matrix @ query, starts)
    rows, scores = top_k(item_scores, k, mask)
    return TopK(rows, scores, best_rows[rows])
