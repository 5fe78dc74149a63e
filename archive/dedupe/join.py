"""Earliest near-duplicate of each item among earlier items: an exact set-similarity join in memory.

Instead of a scan of every earlier item:

1. :class:`archive.dedupe.shingle_index.ShingleIndex` encodes every item's shingles and keeps its prefix in
   one global order of shingles. Two items that share ``c >= o`` shingles share at least
   ``min(PREFIX_EXTRA, c)`` shingles of their prefixes (prefix filtering, Bayardo et al. WWW 2007, with
   the count filter of Xiao et al. WWW 2008), so only pairs sharing that many prefix shingles, counted
   through an inverted index of prefixes, are candidates;
2. a 1024-bit signature per item bounds each candidate's symmetric difference from below and drops
   most of them;
3. the remaining pairs are checked with :func:`archive.dedupe.keys.matches`, exactly the rule of the
   former pairwise implementation, so the marks do not depend on any hash or order chosen above.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from archive.dedupe.keys import PREFIX_EXTRA, THRESHOLD, matches, shingles
from archive.dedupe.shingle_index import NONE32, ShingleIndex
from archive.dedupe.signatures import popcount_rows, ragged
from archive.normalize import match_key

CHUNK_VISITS = 1 << 22  # posting entries counted per numpy batch
THREADS = min(2, os.cpu_count() or 1)  # batches counted at once


def earliest_matches(texts: Sequence[str], bulletins: Sequence[str], probes: np.ndarray,
                     threshold: float = THRESHOLD) -> list[int]:
    """For each text, the index of the earliest earlier text of another bulletin that it repeats.

    Args:
        texts: Item texts in processing order.
        bulletins: Bulletin id of each text.
        probes: Which texts to look up (the others only serve as possible originals).
        threshold: Minimum :func:`archive.dedupe.keys.similarity`.

    Returns:
        One index per text, -1 where there is no match (or the text is not a probe).
    """
    first = [-1] * len(texts)
    if not len(texts) or not threshold <= 1.0:  # above 1 (or NaN) nothing can match
        return first
    codes = _bulletin_codes(bulletins)
    sets = ShingleIndex.build([match_key(text) for text in texts], threshold)
    pairs = _candidate_pairs(sets, codes, probes)
    pairs = _signature_filter(sets, pairs)
    for j, i in _verified(texts, pairs, threshold):
        first[j] = i
    return first


def _bulletin_codes(bulletins: Sequence[str]) -> np.ndarray:
    """Bulletin ids as small integers (equal ids, equal codes)."""
    seen: dict[str, int] = {}
    return np.array([seen.setdefault(b, len(seen)) for b in bulletins], dtype=np.int64)


def _candidate_pairs(index: ShingleIndex, bulletins: np.ndarray, probes: np.ndarray) -> np.ndarray:
    """Pairs ``(earlier, later)`` of items of different bulletins sharing enough prefix tokens.

    Every prefix entry of a probe visits the entries before it in its token's posting list (sorted by
    item); a pair is a candidate when the later item visits the earlier one ``min(PREFIX_EXTRA, need)``
    times. The visits of a group of probes with similar counts are laid out as padded ``int32`` rows and
    counted by sorting each row (numpy sorts short ``int32`` rows much faster than one long array).

    Args:
        index: Shingle index of all items.
        bulletins: Bulletin code per item.
        probes: Items to find originals for.

    Returns:
        An ``(m, 2)`` array of item indexes ``(earlier, later)``.
    """
    postings = _Postings.of(index.entry_items, index.entry_tokens, probes, len(bulletins))
    wanted = np.minimum(index.need, PREFIX_EXTRA)
    with ThreadPoolExecutor(THREADS) as pool:  # numpy's sorting and gathering release the GIL
        found = list(pool.map(lambda group: postings.pairs(group, wanted, bulletins), postings.groups()))
    return np.concatenate(found) if found else np.zeros((0, 2), dtype=np.int64)


@dataclass
class _Postings:
    """Prefix entries sorted by (token, item), and for each probe the entries it owns.

    Attributes:
        items: Item of each entry, in (token, item) order.
        starts: Index of the first entry of the same token.
        visits: Entries of the same token before this one (0 for non-probes).
        owned: Entry indexes grouped by item; item ``k`` owns ``owned[bounds[k] : bounds[k + 1]]``.
        bounds: Offsets into ``owned`` per item.
        totals: Visits per item.
    """

    items: np.ndarray
    starts: np.ndarray
    visits: np.ndarray
    owned: np.ndarray
    bounds: np.ndarray
    totals: np.ndarray

    @classmethod
    def of(cls, items: np.ndarray, tokens: np.ndarray, probes: np.ndarray, count: int) -> _Postings:
        """Sort the entries and count the visits of each probe."""
        order = np.lexsort((items, tokens))
        items, tokens = items[order].astype(np.int32), tokens[order]
        position = np.arange(len(items))
        starts = np.maximum.accumulate(np.where(np.r_[True, tokens[1:] != tokens[:-1]], position, 0))
        visits = np.where(probes[items], position - starts, 0)
        owned = np.argsort(items, kind="stable")
        bounds = np.r_[0, np.cumsum(np.bincount(items, minlength=count))]
        totals = np.bincount(items, weights=visits, minlength=count).astype(np.int64)
        return cls(items, starts, visits, owned, bounds, totals)

    def groups(self) -> Iterator[np.ndarray]:
        """Probes in groups of similar visit counts, about ``CHUNK_VISITS`` padded visits each."""
        probes = np.flatnonzero(self.totals)
        probes = probes[np.argsort(self.totals[probes], kind="stable")]
        totals = self.totals[probes]
        start = 0
        while start < len(probes):
            widest = int(np.searchsorted(totals, 2 * totals[start], side="right"))
            width = int(totals[widest - 1])
            stop = min(widest, start + max(1, CHUNK_VISITS // width))
            yield probes[start:stop]
            start = stop

    def pairs(self, probes: np.ndarray, wanted: np.ndarray, bulletins: np.ndarray) -> np.ndarray:
        """Candidate pairs ``(earlier, later)`` among the visits of ``probes``."""
        entries = self.owned[ragged(self.bounds[probes], self.bounds[probes + 1] - self.bounds[probes])]
        counts = self.visits[entries]
        earlier = self.items[ragged(self.starts[entries], counts)]
        totals = self.totals[probes]
        rows = np.repeat(np.arange(len(probes)), totals)
        cols = np.arange(len(rows)) - np.repeat(np.cumsum(totals) - totals, totals)
        matrix = np.full((len(probes), int(totals.max())), NONE32, dtype=np.int32)
        matrix[rows, cols] = np.where(earlier < probes[rows], earlier, NONE32)
        matrix.sort(axis=1)
        return _repeated(matrix, probes, wanted[probes], bulletins)


def _repeated(matrix: np.ndarray, probes: np.ndarray, wanted: np.ndarray, bulletins: np.ndarray) -> np.ndarray:
    """``(value, probe)`` for values repeated at least ``wanted`` times in a probe's sorted row."""
    found = [_repeated_k(matrix[wanted == k], probes[wanted == k], int(k), bulletins) for k in np.unique(wanted)]
    return np.concatenate(found)


def _repeated_k(matrix: np.ndarray, probes: np.ndarray, k: int, bulletins: np.ndarray) -> np.ndarray:
    """``(value, probe)`` for values repeated at least ``k`` times in a probe's sorted row."""
    span = matrix.shape[1] - k + 1
    if span <= 0:
        return np.zeros((0, 2), dtype=np.int64)
    head = matrix[:, :span]
    hit = (head == matrix[:, k - 1 :]) & (head != NONE32)
    hit[:, 1:] &= head[:, 1:] != head[:, :-1]  # count each run once
    rows, cols = np.nonzero(hit)
    earlier, later = head[rows, cols].astype(np.int64), probes[rows].astype(np.int64)
    other = bulletins[earlier] != bulletins[later]
    return np.stack([earlier[other], later[other]], axis=1)


def _signature_filter(index: ShingleIndex, pairs: np.ndarray, batch: int = 1 << 16) -> np.ndarray:
    """Drop pairs whose signatures already differ in more bits than a similar pair's shingle sets may.

    Each differing signature bit needs its own shingle in exactly one of the two sets, so the popcount of
    the XOR is at most ``|A ^ B| = n_a + n_b - 2 * common``, and ``common >= max(need_a, need_b)``.
    """
    def kept(start: int) -> np.ndarray:
        part = pairs[start : start + batch]
        a, b = part[:, 0], part[:, 1]
        differing = popcount_rows(index.signatures[a] ^ index.signatures[b])
        allowed = index.sizes[a] + index.sizes[b] - 2 * np.maximum(index.need[a], index.need[b])
        return part[differing <= allowed]

    with ThreadPoolExecutor(THREADS) as pool:
        parts = list(pool.map(kept, range(0, len(pairs), batch)))
    return np.concatenate(parts) if parts else pairs


def _verified(texts: Sequence[str], pairs: np.ndarray, threshold: float) -> Iterator[tuple[int, int]]:
    """``(later, earliest earlier)`` for each later item with a pair that passes the exact rule."""
    cache: dict[int, set[str]] = {}

    def grams(k: int) -> set[str]:
        if k not in cache:
            cache[k] = shingles(texts[k])
        return cache[k]

    done = -1
    for earlier, later in pairs[np.lexsort((pairs[:, 0], pairs[:, 1]))].tolist() if len(pairs) else ():
        if later != done and matches(grams(later), grams(earlier), threshold):
            done = later
            yield later, earlier
