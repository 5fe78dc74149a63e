"""Fuse ranked lists by item id: reciprocal rank fusion and a convex combination of normalised scores.

Pure functions over ``[(item_id, score), ...]`` lists (best first); weights and the RRF
constant are explicit parameters.
"""

from __future__ import annotations

from collections.abc import Sequence

Ranked = list[tuple[str, float]]

RRF_K = 60


def minmax(ranked: Ranked) -> dict[str, float]:
    """Scores scaled to [0, 1] within the list (a single or constant list scales to 1)."""
    if not ranked:
        return {}
    values = [s for _, s in ranked]
    low, high = min(values), max(values)
    span = high - low
    return {i: (s - low) / span if span > 0 else 1.0 for i, s in ranked}


def _sorted(scores: dict[str, float], k: int) -> Ranked:
    return sorted(scores.items(), key=lambda p: (-p[1], p[0]))[:k]


def convex(lists: Sequence[Ranked], weights: Sequence[float], k: int) -> Ranked:
    """Sum of weight * min-max-normalised score; an id absent from a list scores 0 there."""
    fused: dict[str, float] = {}
    for ranked, weight in zip(lists, weights, strict=True):
        for item_id, score in minmax(ranked).items():
            fused[item_id] = fused.get(item_id, 0.0) + weight * score
    return _sorted(fused, k)


def rrf(lists: Sequence[Ranked], weights: Sequence[float], k: int, rrf_k: int = RRF_K) -> Ranked:
    """Weighted reciprocal rank fusion: sum of weight / (rrf_k + rank)."""
    fused: dict[str, float] = {}
    for ranked, weight in zip(lists, weights, strict=True):
        for rank, (item_id, _) in enumerate(ranked, start=1):
            fused[item_id] = fused.get(item_id, 0.0) + weight / (rrf_k + rank)
    return _sorted(fused, k)


def fuse(method: str, lists: Sequence[Ranked], weights: Sequence[float], k: int) -> Ranked:
    """Dispatch by method name ('convex' or 'rrf'); zero-weight lists contribute nothing."""
    kept = [(r, w) for r, w in zip(lists, weights, strict=True) if w > 0]
    if not kept:
        return []
    if method not in ("rrf", "convex"):
        raise ValueError(f"unknown fusion method '{method}': use 'convex' or 'rrf'")
    if len(kept) == 1:  # a single list keeps its own order and scores
        return list(kept[0][0][:k])
    ranked, kept_weights = zip(*kept, strict=True)
    if method == "rrf":
        return rrf(ranked, kept_weights, k)
    return convex(ranked, kept_weights, k)
