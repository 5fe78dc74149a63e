"""The matching rule: shingles of matching keys, their similarity, the exact check, and dedupe order.

Two items are near-duplicates when they share at least ``threshold`` of the character shingles of the
larger shingle set (:func:`similarity`); :func:`matches` is that rule exactly as the former pairwise
implementation applied it. Both joins (:mod:`archive.dedupe.join`, :mod:`archive.dedupe.incremental`)
only narrow down candidates and leave the decision to :func:`matches`.
"""

from __future__ import annotations

import numpy as np

from archive.model import Bulletin
from archive.normalize import match_key

THRESHOLD = 0.8
SHINGLE = 4
PREFIX_EXTRA = 4  # candidates must share min(PREFIX_EXTRA, overlap) prefix shingles


def shingles(text: str) -> set[str]:
    """Character shingles of the matching key (the key itself when short)."""
    return key_shingles(match_key(text))


def key_shingles(key: str) -> set[str]:
    """Character shingles of a matching key (:func:`archive.normalize.match_key`), the key itself when short."""
    if len(key) <= SHINGLE:
        return {key} if key else set()
    return {key[i : i + SHINGLE] for i in range(len(key) - SHINGLE + 1)}


def similarity(a: set[str], b: set[str]) -> float:
    """Shared shingles over the larger set: 1.0 for identical texts, high only when both are alike."""
    return len(a & b) / max(len(a), len(b)) if a and b else 0.0


def matches(grams: set[str], other: set[str], threshold: float) -> bool:
    """The rule of the pairwise implementation: enough shared shingles, then :func:`similarity`."""
    common = len(grams & other)
    return common > 0 and common >= threshold * len(grams) and similarity(grams, other) >= threshold


def required_overlap(sizes: np.ndarray, threshold: float) -> np.ndarray:
    """A lower bound (at least 1) on the shared shingles a similar item needs, per set size.

    ``common / max(n_a, n_b) >= threshold`` in floating point implies ``common >= threshold * n`` up to
    rounding for both sizes; the factor ``1 - 1e-9`` keeps the bound on the safe side of that rounding.
    """
    need = np.ceil(threshold * sizes.astype(np.float64) * (1.0 - 1e-9))
    return np.maximum(need, 1).astype(np.int64)


def order_key(bulletin: Bulletin) -> tuple[str, str]:
    """Where a bulletin's items come in dedupe order: issue date (undated last), then file name."""
    return bulletin.date or "9999", bulletin.source_file
