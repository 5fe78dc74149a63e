"""Incremental marking: added bulletins against the saved state of the bulletins marked before.

:func:`mark_appended` gives the added files exactly the marks :func:`archive.dedupe.marking.mark_duplicates`
would give them after the old files. New items are first looked up among the saved parts
(:func:`first_matches`): each probe looks up its rarest tokens (at least enough for prefix filtering, more
while within ``VISIT_BUDGET`` postings), counts under how many of them each old item is listed, drops items
by count, size and signature bounds, and checks the rest in dedupe order with
:func:`archive.dedupe.keys.matches`. Items without an old match are then joined among the new files alone.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from archive.dedupe.join import earliest_matches
from archive.dedupe.keys import PREFIX_EXTRA, THRESHOLD, key_shingles, matches, required_overlap
from archive.dedupe.marking import file_order, flatten, unmarked, with_marks
from archive.dedupe.signatures import popcount_rows, shingle_tokens, token_signatures
from archive.dedupe.state import DedupeState, Part
from archive.model import ParsedFile
from archive.normalize import match_key

VISIT_BUDGET = 1 << 12  # posting entries a new item may visit beyond the minimum its prefix needs
COUNT_CELLS = 1 << 22  # (probe, item) counters per bincount
PROBE_BATCH = 256  # new items looked up together


def mark_appended(state: DedupeState, new: list[ParsedFile], threshold: float = THRESHOLD) -> list[ParsedFile]:
    """Mark newly added files against the saved state of the files marked before.

    Gives exactly what :func:`archive.dedupe.marking.mark_duplicates` gives the new files when run on the
    old files followed by ``new``: an item repeating an old item points at that item's original, one
    repeating only an earlier new item points at that item's original.

    Args:
        state: State of the old files (:meth:`archive.dedupe.state.DedupeState.load`).
        new: The added files, in any order.
        threshold: Minimum :func:`archive.dedupe.keys.similarity` for a near-duplicate.

    Returns:
        ``new`` in the same order, with ``duplicate_of`` filled where found.

    Raises:
        ValueError: Some new file does not sort after every old one (``state.sorts_before(new)`` is false).
    """
    if not state.sorts_before(new):
        raise ValueError("new files must sort after every file of the dedupe state; mark all files instead")
    order = file_order(new)
    items, bulletin_ids = flatten(new, order)
    texts = [item.text for item in items]
    probes = unmarked(items)
    old_roots = first_matches(state, texts, bulletin_ids, probes, threshold)
    probes &= np.array([not root for root in old_roots], dtype=bool)
    first = earliest_matches(texts, bulletin_ids, probes, threshold)
    return with_marks(new, order, items, old_roots, first)


def first_matches(state: DedupeState, texts: Sequence[str], bulletins: Sequence[str], probes: np.ndarray,
                  threshold: float) -> list[str]:
    """For each probe text, the original of the earliest saved item of another bulletin that it repeats.

    Args:
        state: The saved parts.
        texts: New item texts.
        bulletins: Bulletin id of each.
        probes: Which texts to look up.
        threshold: Minimum similarity, as in :func:`archive.dedupe.join.earliest_matches`.

    Returns:
        Per text, the matched item's original (its ``duplicate_of`` or id), '' if none.
    """
    roots = [""] * len(texts)
    if not len(state) or not threshold <= 1.0:  # above 1 (or NaN) nothing can match
        return roots
    wanted = np.flatnonzero(probes).tolist()
    for start in range(0, len(wanted), PROBE_BATCH):
        batch = _Probes.of(texts, bulletins, wanted[start : start + PROBE_BATCH], threshold)
        for q, part, item in _verified(state, batch, _candidates(state, batch, threshold), threshold):
            roots[batch.texts[q]] = state.parts[part].roots[item]
    return roots


def _candidates(state: DedupeState, probes: _Probes, threshold: float) -> np.ndarray:
    """Rows ``(probe, part, item)`` of old items that pass the filters, by probe then dedupe order."""
    spans = [[segment.spans(probes.tokens) for segment in part.segments] for part in state.parts]
    frequency = sum((lengths for part in spans for _, lengths in part), np.zeros(len(probes.tokens), np.int64))
    prefixes = _Prefixes.of(probes, frequency)
    chosen = prefixes.chosen
    found = [np.zeros((0, 4), np.int64)]
    for p, part in enumerate(state.parts):
        for segment, (starts, lengths) in zip(part.segments, spans[p], strict=True):
            items = segment.items(starts[chosen], lengths[chosen])
            rows = _shared(np.repeat(probes.owner[chosen], lengths[chosen]), items)
            rows = rows[_plausible(rows, part, probes, prefixes, threshold)]
            found.append(np.c_[rows[:, 0], np.full(len(rows), p), rows[:, 1], state.positions(p, rows[:, 1])])
    table = np.concatenate(found)
    return table[np.lexsort((table[:, 3], table[:, 0])), :3]


def _verified(state: DedupeState, probes: _Probes, candidates: np.ndarray, threshold: float
              ) -> Iterator[tuple[int, int, int]]:
    """``(probe, part, item)`` for the first candidate of each probe of another bulletin that matches."""
    cache: dict[tuple[int, int], set[str]] = {}
    done = -1
    for q, p, item in candidates.tolist():
        part = state.parts[p]
        if q == done or part.bulletins[int(part.file_of(item))].id == probes.bulletins[q]:
            continue
        if (p, item) not in cache:
            cache[p, item] = key_shingles(part.keys[item])
        if matches(probes.grams[q], cache[p, item], threshold):
            done = q
            yield q, p, item


@dataclass(frozen=True)
class _Probes:
    """New items to look up, with what the filters need per probe.

    Attributes:
        texts: Index of each probe among the new texts.
        bulletins: Bulletin id of each probe.
        grams: Distinct shingles of each probe.
        tokens: Token of every shingle, probe after probe.
        owner: Probe of each token.
        size: Distinct shingles per probe.
        need: :func:`archive.dedupe.keys.required_overlap` per probe.
        distinct: Whether the probe's shingles have distinct tokens (the signature bound needs it).
        signatures: Packed token signature per probe.
    """

    texts: list[int]
    bulletins: list[str]
    grams: list[set[str]]
    tokens: np.ndarray
    owner: np.ndarray
    size: np.ndarray
    need: np.ndarray
    distinct: np.ndarray
    signatures: np.ndarray

    @classmethod
    def of(cls, texts: Sequence[str], bulletins: Sequence[str], indexes: Sequence[int], threshold: float) -> _Probes:
        """The texts at ``indexes`` that have shingles (an item without shingles repeats nothing)."""
        found = [(i, key_shingles(match_key(texts[i]))) for i in indexes]
        found = [(i, grams) for i, grams in found if grams]
        ordered = [gram for _, grams in found for gram in sorted(grams)]
        tokens, starts, _ = shingle_tokens(ordered)
        tokens = tokens[starts]
        size = np.array([len(grams) for _, grams in found], dtype=np.int64)
        owner = np.repeat(np.arange(len(found)), size)
        pairs = np.sort(owner.astype(np.uint64) << np.uint64(32) | tokens)
        distinct = np.ones(len(found), dtype=bool)
        distinct[(pairs[1:][pairs[1:] == pairs[:-1]] >> np.uint64(32)).astype(np.int64)] = False
        return cls([i for i, _ in found], [bulletins[i] for i, _ in found], [g for _, g in found], tokens, owner,
                   size, required_overlap(size, threshold), distinct, token_signatures(owner, tokens, len(found)))


@dataclass(frozen=True)
class _Prefixes:
    """The tokens each probe looks up, and what a candidate must then share.

    Attributes:
        chosen: Indexes into the probes' tokens.
        shared: Per probe, looked-up tokens a candidate must list it under.
        slack: Per probe, shingles not looked up.
    """

    chosen: np.ndarray
    shared: np.ndarray
    slack: np.ndarray

    @classmethod
    def of(cls, probes: _Probes, frequency: np.ndarray) -> _Prefixes:
        """Each probe's rarest tokens: at least enough, more while within ``VISIT_BUDGET`` postings.

        A probe of ``n`` shingles needs ``o`` shared with a match; of any ``L >= n - o + 1`` of them, a
        match shares at least ``L - (n - o)`` (prefix filtering, any order). Rarest first keeps the
        posting lists short; a longer prefix makes a stronger count filter.
        """
        chosen, shared, slack = [np.zeros(0, np.int64)], np.zeros_like(probes.size), np.zeros_like(probes.size)
        bounds = np.r_[0, np.cumsum(probes.size)]
        for q, (n, o) in enumerate(zip(probes.size.tolist(), probes.need.tolist(), strict=True)):
            mine = np.arange(bounds[q], bounds[q + 1])
            mine = mine[np.lexsort((probes.tokens[mine], frequency[mine]))]
            minimum = n - o + min(PREFIX_EXTRA, o)
            visits = np.cumsum(frequency[mine]) - frequency[mine[:minimum]].sum()
            length = max(minimum, int(np.searchsorted(visits, VISIT_BUDGET, side="right")))
            chosen.append(mine[:length])
            shared[q], slack[q] = length - (n - o), n - length
        return cls(np.concatenate(chosen), shared, slack)


def _shared(probes: np.ndarray, items: np.ndarray) -> np.ndarray:
    """Rows ``(probe, item, count)``: under how many of a probe's looked-up tokens each item is listed.

    Args:
        probes: Probe of each listed item, non-decreasing.
        items: The listed items.
    """
    width = int(items.max(initial=0)) + 1
    step = max(1, COUNT_CELLS // width)  # probes counted per bincount
    found = [np.zeros((0, 3), np.int64)]
    bounds = np.searchsorted(probes, np.arange(0, int(probes.max(initial=0)) + step + 1, step))
    for group, (start, stop) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
        first = group * step
        counts = np.bincount((probes[start:stop] - first) * width + items[start:stop])
        cells = np.flatnonzero(counts)
        found.append(np.c_[first + cells // width, cells % width, counts[cells]])
    return np.concatenate(found)


def _plausible(rows: np.ndarray, part: Part, probes: _Probes, prefixes: _Prefixes, threshold: float) -> np.ndarray:
    """Which ``(probe, item, count)`` rows may still match, by count, size and signature bounds.

    With ``c`` the shingles shared, ``n``/``s`` the probe's shingles and the item's tokens (``s`` is at
    most the item's shingles): ``c <= count + slack``, a match has ``c >= t * s`` and
    ``c >= max(need(n), need(s))``, and when the probe's tokens are distinct the signatures differ in at
    most ``(n - c) + (s - c)`` bits (each such bit needs a token the other side lacks).
    """
    q, items, count = rows[:, 0], rows[:, 1], rows[:, 2]
    size = part.sizes[items].astype(np.int64)
    keep = (count >= prefixes.shared[q]) & (threshold * size <= (count + prefixes.slack[q]) * (1 + 1e-9))
    check = np.flatnonzero(keep & probes.distinct[q])
    need = np.maximum(probes.need[q[check]], required_overlap(size[check], threshold))
    differing = popcount_rows(probes.signatures[q[check]] ^ part.signatures[items[check]])
    keep[check] = differing <= probes.size[q[check]] + size[check] - 2 * need
    return keep
