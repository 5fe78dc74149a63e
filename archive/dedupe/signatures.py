"""Shingles of many matching keys as integer arrays: where they lie, stable tokens, bit signatures.

Keys are concatenated as code points; key ``k``'s shingles are found at ``starts[k] : starts[k] +
widths[k]`` among one code per window of ``SHINGLE`` characters followed by one code per short key
(:func:`shingle_layout`). :func:`shingle_tokens` hashes them to 32-bit tokens that are the same in every
process (saved parts depend on them); a signature sets bit ``token % SIGNATURE_BITS`` of each token, and
the popcount of two signatures' XOR bounds their sets' symmetric difference from below.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from archive.dedupe.keys import SHINGLE

SIGNATURE_BITS = 1024

_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_MIX1, _MIX2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_POPCOUNT = np.array([bin(i).count("1") for i in range(256)], dtype=np.int32)


def code_points(keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The code points of all keys, concatenated, and the length of each key."""
    lengths = np.array([len(k) for k in keys], dtype=np.int64)
    points = np.frombuffer("".join(keys).encode("utf-32-le", "surrogatepass"), dtype="<u4")
    return points, lengths


def shingle_layout(lengths: np.ndarray, windows: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where each key's shingles are among ``windows`` window codes followed by one code per short key.

    Window ``p`` is the shingle starting at character ``p`` of the concatenated keys.

    Args:
        lengths: Length of each key.
        windows: Number of window codes.

    Returns:
        ``(starts, widths, short)``: key ``k``'s codes are at ``starts[k] : starts[k] + widths[k]``;
        ``short`` lists the keys of 1 to ``SHINGLE - 1`` characters, in order.
    """
    offsets = np.cumsum(lengths) - lengths
    short = np.flatnonzero((lengths > 0) & (lengths < SHINGLE))
    starts = offsets.copy()
    widths = np.maximum(lengths - SHINGLE + 1, 0)
    starts[short] = windows + np.arange(len(short))
    widths[short] = 1
    return starts, widths, short


def padded_short_keys(values: np.ndarray, lengths: np.ndarray, short: np.ndarray) -> np.ndarray:
    """One row of ``SHINGLE`` values per short key: its characters' values, then zeros.

    Args:
        values: A value per character of the concatenated keys (never 0: no key holds code point 0).
        lengths: Length of each key.
        short: The short keys (see :func:`shingle_layout`).
    """
    offsets = np.cumsum(lengths) - lengths
    padded = np.zeros((len(short), SHINGLE), dtype=np.int64)
    for k in range(SHINGLE - 1):
        present = lengths[short] > k
        padded[present, k] = values[offsets[short[present]] + k]
    return padded


def shingle_tokens(keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """32-bit tokens of the shingles of matching keys, the same in every process.

    Returns:
        ``(tokens, starts, widths)``, laid out as :func:`shingle_layout` says.
    """
    points, lengths = code_points(keys)
    points = points.astype(np.uint64)
    count = max(len(points) - SHINGLE + 1, 0)
    windows = _mix([points[k : k + count] for k in range(SHINGLE)])
    starts, widths, short = shingle_layout(lengths, count)
    padded = padded_short_keys(points, lengths, short).astype(np.uint64)
    return np.concatenate([windows, _mix(list(padded.T))]), starts, widths


def _mix(columns: list[np.ndarray]) -> np.ndarray:
    """A 32-bit hash of each row of the columns (multiply-xor, then the splitmix64 finaliser)."""
    h = np.zeros(len(columns[0]), dtype=np.uint64)
    for column in columns:
        h = (h ^ column) * _MULTIPLIER
    h = (h ^ (h >> np.uint64(30))) * _MIX1
    h = (h ^ (h >> np.uint64(27))) * _MIX2
    return ((h ^ (h >> np.uint64(31))) >> np.uint64(32)).astype(np.uint32)


def token_signatures(items: np.ndarray, tokens: np.ndarray, count: int) -> np.ndarray:
    """Packed ``SIGNATURE_BITS``-bit signature per item: bit ``token % SIGNATURE_BITS`` of each token it has.

    Args:
        items: Item of each token, below ``count``.
        tokens: Non-negative integer tokens (or hashes).
        count: Number of items.
    """
    bits = np.zeros((count, SIGNATURE_BITS), dtype=bool)
    bits[items, tokens & (SIGNATURE_BITS - 1)] = True
    return np.packbits(bits, axis=1)


def popcount_rows(bits: np.ndarray) -> np.ndarray:
    """Number of set bits per row of a packed ``uint8`` matrix."""
    if hasattr(np, "bitwise_count"):  # numpy >= 2
        return np.bitwise_count(bits.view(np.uint64)).sum(axis=1, dtype=np.int64)
    return _POPCOUNT[bits].sum(axis=1)


def ragged(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenated ranges ``starts[k] .. starts[k] + counts[k] - 1``."""
    offsets = np.cumsum(counts) - counts
    return np.repeat(starts - offsets, counts) + np.arange(int(counts.sum()))
