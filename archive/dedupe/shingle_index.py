"""All items' shingles as integer sets in memory: sizes, bit signatures, and prefixes in one global order.

Shingles are encoded as integers with numpy (one padded row per item, sorted, duplicates dropped) and
hashed to 31 bits. With one global order of shingles (rarest first), every item keeps its *prefix*, its
first ``n - o + PREFIX_EXTRA`` shingles, where ``o`` is the overlap a similar item needs
(:func:`archive.dedupe.keys.required_overlap`); :mod:`archive.dedupe.join` finds candidates among them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from archive.dedupe.keys import PREFIX_EXTRA, SHINGLE, required_overlap
from archive.dedupe.signatures import (
    SIGNATURE_BITS,
    code_points,
    padded_short_keys,
    shingle_layout,
    token_signatures,
)

NONE32 = np.iinfo(np.int32).max  # padding: sorts after every order key and item number

_DF_BUCKETS = 1 << 22  # at most: fewer for small inputs (any order of shingles is exact, this one is fast)
_DF_CAP = 4094  # order keys: 12 bits of document frequency, 19 bits of hash, below the sentinel
_HASH_MUL = np.int64(-7046029254386353131)  # 0x9E3779B97F4A7C15, Fibonacci hashing
_NONE64 = np.iinfo(np.int64).max


@dataclass
class ShingleIndex:
    """Integer shingle sets of all items: sizes, prefixes (as posting entries) and signatures.

    Attributes:
        sizes: Number of distinct shingles per item.
        need: :func:`required_overlap` per item.
        signatures: ``SIGNATURE_BITS`` bits per item (packed ``uint8``): bit ``h % bits`` for each shingle.
        entry_items: Item of each prefix entry.
        entry_tokens: Order key of each prefix entry (a function of the shingle).
    """

    sizes: np.ndarray
    need: np.ndarray
    signatures: np.ndarray
    entry_items: np.ndarray
    entry_tokens: np.ndarray

    @classmethod
    def build(cls, keys: list[str], threshold: float) -> ShingleIndex:
        """Encode, sort and hash the shingles of every matching key; keep prefixes and signatures."""
        source, starts, widths = _shingle_codes(keys)
        groups = [_Rows.of(source, starts, widths, members) for members in _width_groups(widths)]
        df = np.zeros(min(_DF_BUCKETS, 1 << int(widths.sum()).bit_length()), dtype=np.int64)
        sizes = np.zeros(len(keys), dtype=np.int64)
        signatures = np.zeros((len(keys), SIGNATURE_BITS // 8), dtype=np.uint8)
        for rows in groups:
            df += np.bincount(rows.hashes[rows.hashes >= 0] & (len(df) - 1), minlength=len(df))
            sizes[rows.members] = rows.sizes()
            signatures[rows.members] = rows.signatures()
        need = required_overlap(sizes, threshold)
        prefixes = [rows.prefix(df, sizes, need) for rows in groups]
        items = np.concatenate([p[0] for p in prefixes]) if prefixes else np.zeros(0, np.int64)
        tokens = np.concatenate([p[1] for p in prefixes]) if prefixes else np.zeros(0, np.int32)
        return cls(sizes, need, signatures, items, tokens)


def _shingle_codes(keys: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Integer codes of all shingles: one code per 4-character window, one per short key.

    Args:
        keys: Matching keys.

    Returns:
        ``(source, starts, widths)``: item ``k``'s shingle codes (with repeats) are
        ``source[starts[k] : starts[k] + widths[k]]``. Equal codes mean equal shingles.
    """
    points, lengths = code_points(keys)
    letters = _dense_letters(points)
    base = int(letters.max(initial=0)) + 1
    windows = _window_codes(letters, base)
    starts, widths, short = shingle_layout(lengths, len(windows))
    code = np.zeros(len(short), dtype=np.int64)
    for column in padded_short_keys(letters, lengths, short)[:, : SHINGLE - 1].T:
        code = code * base + column
    return np.concatenate([windows, -1 - code]), starts, widths  # short keys negative: never a window


def _dense_letters(points: np.ndarray) -> np.ndarray:
    """Code points renumbered 1..K in code point order (0 is left free for padding)."""
    present = np.zeros(0x110000, dtype=np.int64)
    present[points] = 1
    return np.cumsum(present)[points]


def _window_codes(letters: np.ndarray, base: int) -> np.ndarray:
    """A non-negative integer for every window of ``SHINGLE`` letters (injective on windows)."""
    count = len(letters) - SHINGLE + 1
    if count <= 0:
        return np.zeros(0, dtype=np.int64)
    if base**SHINGLE < 2**62:
        codes = letters[:count].copy()
        for k in range(1, SHINGLE):
            codes = codes * base + letters[k : k + count]
        return codes
    pairs = letters[: len(letters) - 1] * base + letters[1:]  # letters < 2**21: fits easily
    _, dense = np.unique(pairs, return_inverse=True)
    dense = dense.astype(np.int64).ravel()
    return dense[:count] * (int(dense.max()) + 1) + dense[2 : 2 + count]


def _width_groups(widths: np.ndarray) -> Iterator[np.ndarray]:
    """Items with shingles, in groups of similar width (so that padded rows waste little)."""
    members = np.flatnonzero(widths > 0)
    members = members[np.argsort(widths[members], kind="stable")]
    sorted_widths = widths[members]
    start = 0
    while start < len(members):
        limit = sorted_widths[start] + max(32, sorted_widths[start] // 4)
        stop = int(np.searchsorted(sorted_widths, limit, side="right"))
        yield members[start:stop]
        start = stop


@dataclass
class _Rows:
    """Shingles of a group of items as padded rows: sorted codes hashed to 31 bits, -1 for none.

    Attributes:
        members: Item indexes of the rows.
        hashes: 31-bit hash of each distinct shingle; -1 for padding and repeats.
    """

    members: np.ndarray
    hashes: np.ndarray

    @classmethod
    def of(cls, source: np.ndarray, starts: np.ndarray, widths: np.ndarray, members: np.ndarray) -> _Rows:
        """Sort each member's codes, drop repeats and hash them."""
        width = widths[members]
        rows = np.repeat(np.arange(len(members)), width)
        cols = np.arange(int(width.sum())) - np.repeat(np.cumsum(width) - width, width)
        matrix = np.full((len(members), int(width.max())), _NONE64, dtype=np.int64)
        matrix[rows, cols] = source[np.repeat(starts[members], width) + cols]
        matrix.sort(axis=1)
        distinct = matrix != _NONE64
        distinct[:, 1:] &= matrix[:, 1:] != matrix[:, :-1]
        hashes = ((matrix * _HASH_MUL) >> 33) & 0x7FFFFFFF
        return cls(members, np.where(distinct, hashes, -1).astype(np.int32))

    def sizes(self) -> np.ndarray:
        """Number of distinct shingles per row."""
        return (self.hashes >= 0).sum(axis=1)

    def signatures(self) -> np.ndarray:
        """Packed ``SIGNATURE_BITS``-bit signature per row."""
        rows, cols = np.nonzero(self.hashes >= 0)
        return token_signatures(rows, self.hashes[rows, cols], len(self.members))

    def prefix(self, df: np.ndarray, sizes: np.ndarray, need: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Posting entries ``(item, token)`` of each row's prefix (ties with its last token included).

        The token of a shingle is its order key: capped hashed document frequency (``df`` has a
        power-of-two number of buckets), then hash bits. Keys are a function of the shingle, so taking
        every shingle up to a key value gives an initial segment of one global order, as prefix filtering
        requires; equal tokens only add candidates.
        """
        valid = self.hashes >= 0
        frequency = np.minimum(df[self.hashes & (len(df) - 1)], _DF_CAP)
        keys = np.where(valid, (frequency << 19) | (self.hashes >> 12), NONE32).astype(np.int32)
        keys.sort(axis=1)
        size, required = sizes[self.members], need[self.members]
        length = np.minimum(size, size - required + PREFIX_EXTRA)
        last = keys[np.arange(len(keys)), np.maximum(length - 1, 0)]
        keep = (keys <= last[:, None]) & (length > 0)[:, None]
        rows = np.nonzero(keep)[0]
        return self.members[rows].astype(np.int64), keys[keep]
