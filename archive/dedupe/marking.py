"""Near-duplicate items across bulletins (e.g. the same Xinhua story in two issues).

Two items are near-duplicates when they share at least ``threshold`` of the character shingles of the
larger shingle set (:func:`similarity`). An item is marked as a duplicate of the earliest similar item of
another bulletin (bulletins by date then file name, items in file order), or of that item's original.

The search is an exact set-similarity join instead of a scan of every earlier item:

1. shingles are encoded as integers with numpy (one row per item, sorted, duplicates dropped);
2. with one global order of shingles (rarest first), every item keeps its *prefix*, its first
   ``n - o + PREFIX_EXTRA`` shingles, where ``o`` is the overlap a similar item needs. Two items that
   share ``c >= o`` shingles share at least ``min(PREFIX_EXTRA, c)`` shingles of their prefixes
   (prefix filtering, Bayardo et al. WWW 2007, with the count filter of Xiao et al. WWW 2008), so only
   pairs sharing that many prefix shingles, counted through an inverted index of prefixes, are candidates;
3. a 1024-bit signature per item bounds each candidate's symmetric difference from below and drops
   most of them;
4. the remaining pairs are checked with :func:`shingles` and :func:`similarity` under exactly the rule of
   the former pairwise implementation, so the marks do not depend on any hash or order chosen above.

:func:`mark_appended` marks only newly added bulletins, against the saved
:class:`archive.dedupe.state.DedupeState` of the bulletins marked before, with the same result.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from archive.model import Bulletin, Item, ParsedFile
from archive.normalize import match_key

if TYPE_CHECKING:
    from archive.dedupe.state import DedupeState

THRESHOLD = 0.8
SHINGLE = 4
PREFIX_EXTRA = 4  # candidates must share min(PREFIX_EXTRA, overlap) prefix shingles
SIGNATURE_BITS = 1024
CHUNK_VISITS = 1 << 22  # posting entries counted per numpy batch

_DF_BUCKETS = 1 << 22  # at most: fewer for small inputs (any order of shingles is exact, this one is fast)
_DF_CAP = 4094  # order keys: 12 bits of document frequency, 19 bits of hash, below the sentinel
_HASH_MUL = np.int64(-7046029254386353131)  # 0x9E3779B97F4A7C15, Fibonacci hashing
_NONE64 = np.iinfo(np.int64).max
_NONE32 = np.iinfo(np.int32).max
_POPCOUNT = np.array([bin(i).count("1") for i in range(256)], dtype=np.int32)


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


def order_key(bulletin: Bulletin) -> tuple[str, str]:
    """Where a bulletin's items come in dedupe order: issue date (undated last), then file name."""
    return bulletin.date or "9999", bulletin.source_file


def _order(files: Sequence[ParsedFile]) -> list[int]:
    """File indexes by bulletin date (undated last) then file name."""
    return sorted(range(len(files)), key=lambda i: order_key(files[i].bulletin))


def mark_duplicates(files: list[ParsedFile], threshold: float = THRESHOLD) -> list[ParsedFile]:
    """Set ``duplicate_of`` on items that repeat an item of an earlier bulletin.

    Args:
        files: Parsed files in any order.
        threshold: Minimum :func:`similarity` for a near-duplicate.

    Returns:
        The files in the same order, with ``duplicate_of`` filled where found
        (values already given, e.g. in structured files, are kept).
    """
    order = _order(files)
    items, bulletin_ids = _flatten(files, order)
    first = earliest_matches([item.text for item in items], bulletin_ids, _probes(items), threshold)
    return _with_marks(files, order, items, [""] * len(items), first)


def mark_appended(state: DedupeState, new: list[ParsedFile], threshold: float = THRESHOLD) -> list[ParsedFile]:
    """Mark newly added files against the saved state of the files marked before.

    Gives exactly what :func:`mark_duplicates` gives the new files when run on the old files followed
    by ``new``: an item repeating an old item points at that item's original, one repeating only an
    earlier new item points at that item's original.

    Args:
        state: State of the old files (:meth:`archive.dedupe.state.DedupeState.load`).
        new: The added files, in any order.
        threshold: Minimum :func:`similarity` for a near-duplicate.

    Returns:
        ``new`` in the same order, with ``duplicate_of`` filled where found.

    Raises:
        ValueError: Some new file does not sort after every old one (``state.sorts_before(new)`` is false).
    """
    if not state.sorts_before(new):
        raise ValueError("new files must sort after every file of the dedupe state; mark all files instead")
    order = _order(new)
    items, bulletin_ids = _flatten(new, order)
    texts = [item.text for item in items]
    probes = _probes(items)
    old_roots = state.first_matches(texts, bulletin_ids, probes, threshold)
    probes &= np.array([not root for root in old_roots], dtype=bool)
    first = earliest_matches(texts, bulletin_ids, probes, threshold)
    return _with_marks(new, order, items, old_roots, first)


def _flatten(files: Sequence[ParsedFile], order: list[int]) -> tuple[list[Item], list[str]]:
    """Items of the files in dedupe order, and the bulletin id of each."""
    items = [item for fi in order for item in files[fi].items]
    return items, [files[fi].bulletin.id for fi in order for _ in files[fi].items]


def _probes(items: Sequence[Item]) -> np.ndarray:
    """Which items to find originals for: those without a given ``duplicate_of``."""
    return np.array([not item.duplicate_of for item in items], dtype=bool)


def _with_marks(files: Sequence[ParsedFile], order: list[int], items: list[Item], old_roots: Sequence[str],
                first: Sequence[int]) -> list[ParsedFile]:
    """The files with ``duplicate_of`` set from the matches found.

    Args:
        files: The files, in their given order.
        order: File indexes in dedupe order.
        items: Their items in dedupe order.
        old_roots: Per item, the original of its match among files marked before ('' if none); wins over
            ``first``.
        first: Per item, the index in ``items`` of its earliest match (-1 if none).
    """
    roots: list[str] = []
    marked = []
    for index, item in enumerate(items):
        match = old_roots[index] or (roots[first[index]] if first[index] >= 0 else "")
        marked.append(replace(item, duplicate_of=match) if match and not item.duplicate_of else item)
        roots.append(item.duplicate_of or match or item.id)
    result = list(files)
    start = 0
    for fi in order:
        count = len(files[fi].items)
        result[fi] = ParsedFile(files[fi].bulletin, tuple(marked[start : start + count]))
        start += count
    return result


def earliest_matches(texts: Sequence[str], bulletins: Sequence[str], probes: np.ndarray,
                     threshold: float = THRESHOLD) -> list[int]:
    """For each text, the index of the earliest earlier text of another bulletin that it repeats.

    Args:
        texts: Item texts in processing order.
        bulletins: Bulletin id of each text.
        probes: Which texts to look up (the others only serve as possible originals).
        threshold: Minimum :func:`similarity`.

    Returns:
        One index per text, -1 where there is no match (or the text is not a probe).
    """
    first = [-1] * len(texts)
    if not len(texts) or not threshold <= 1.0:  # above 1 (or NaN) nothing can match
        return first
    codes = _bulletin_codes(bulletins)
    sets = _ShingleIndex.build([match_key(text) for text in texts], threshold)
    pairs = _candidate_pairs(sets, codes, probes)
    pairs = _signature_filter(sets, pairs)
    for j, i in _verified(texts, pairs, threshold):
        first[j] = i
    return first


def _matches(grams: set[str], other: set[str], threshold: float) -> bool:
    """The rule of the pairwise implementation: enough shared shingles, then :func:`similarity`."""
    common = len(grams & other)
    return common > 0 and common >= threshold * len(grams) and similarity(grams, other) >= threshold


def _bulletin_codes(bulletins: Sequence[str]) -> np.ndarray:
    """Bulletin ids as small integers (equal ids, equal codes)."""
    seen: dict[str, int] = {}
    return np.array([seen.setdefault(b, len(seen)) for b in bulletins], dtype=np.int64)


def required_overlap(sizes: np.ndarray, threshold: float) -> np.ndarray:
    """A lower bound (at least 1) on the shared shingles a similar item needs, per set size.

    ``common / max(n_a, n_b) >= threshold`` in floating point implies ``common >= threshold * n`` up to
    rounding for both sizes; the factor ``1 - 1e-9`` keeps the bound on the safe side of that rounding.
    """
    need = np.ceil(threshold * sizes.astype(np.float64) * (1.0 - 1e-9))
    return np.maximum(need, 1).astype(np.int64)


@dataclass
class _ShingleIndex:
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
    def build(cls, keys: list[str], threshold: float) -> _ShingleIndex:
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
        bits = np.zeros((len(self.members), SIGNATURE_BITS), dtype=bool)
        bits[rows, self.hashes[rows, cols] & (SIGNATURE_BITS - 1)] = True
        return np.packbits(bits, axis=1)

    def prefix(self, df: np.ndarray, sizes: np.ndarray, need: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Posting entries ``(item, token)`` of each row's prefix (ties with its last token included).

        The token of a shingle is its order key: capped hashed document frequency (``df`` has a
        power-of-two number of buckets), then hash bits. Keys are a function of the shingle, so taking
        every shingle up to a key value gives an initial segment of one global order, as prefix filtering
        requires; equal tokens only add candidates.
        """
        valid = self.hashes >= 0
        frequency = np.minimum(df[self.hashes & (len(df) - 1)], _DF_CAP)
        keys = np.where(valid, (frequency << 19) | (self.hashes >> 12), _NONE32).astype(np.int32)
        keys.sort(axis=1)
        size, required = sizes[self.members], need[self.members]
        length = np.minimum(size, size - required + PREFIX_EXTRA)
        last = keys[np.arange(len(keys)), np.maximum(length - 1, 0)]
        keep = (keys <= last[:, None]) & (length > 0)[:, None]
        rows = np.nonzero(keep)[0]
        return self.members[rows].astype(np.int64), keys[keep]


def _candidate_pairs(index: _ShingleIndex, bulletins: np.ndarray, probes: np.ndarray) -> np.ndarray:
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
    found = [postings.pairs(group, wanted, bulletins) for group in postings.groups()]
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
        entries = self.owned[_ragged(self.bounds[probes], self.bounds[probes + 1] - self.bounds[probes])]
        counts = self.visits[entries]
        earlier = self.items[_ragged(self.starts[entries], counts)]
        totals = self.totals[probes]
        rows = np.repeat(np.arange(len(probes)), totals)
        cols = np.arange(len(rows)) - np.repeat(np.cumsum(totals) - totals, totals)
        matrix = np.full((len(probes), int(totals.max())), _NONE32, dtype=np.int32)
        matrix[rows, cols] = np.where(earlier < probes[rows], earlier, _NONE32)
        matrix.sort(axis=1)
        return _repeated(matrix, probes, wanted[probes], bulletins)


def _ragged(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenated ranges ``starts[k] .. starts[k] + counts[k] - 1``."""
    offsets = np.cumsum(counts) - counts
    return np.repeat(starts - offsets, counts) + np.arange(int(counts.sum()))


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
    hit = (head == matrix[:, k - 1 :]) & (head != _NONE32)
    hit[:, 1:] &= head[:, 1:] != head[:, :-1]  # count each run once
    rows, cols = np.nonzero(hit)
    earlier, later = head[rows, cols].astype(np.int64), probes[rows].astype(np.int64)
    other = bulletins[earlier] != bulletins[later]
    return np.stack([earlier[other], later[other]], axis=1)


def _signature_filter(index: _ShingleIndex, pairs: np.ndarray, batch: int = 1 << 16) -> np.ndarray:
    """Drop pairs whose signatures already differ in more bits than a similar pair's shingle sets may.

    Each differing signature bit needs its own shingle in exactly one of the two sets, so the popcount of
    the XOR is at most ``|A ^ B| = n_a + n_b - 2 * common``, and ``common >= max(need_a, need_b)``.
    """
    kept = []
    for start in range(0, len(pairs), batch):
        part = pairs[start : start + batch]
        a, b = part[:, 0], part[:, 1]
        differing = _popcount_rows(index.signatures[a] ^ index.signatures[b])
        allowed = index.sizes[a] + index.sizes[b] - 2 * np.maximum(index.need[a], index.need[b])
        kept.append(part[differing <= allowed])
    return np.concatenate(kept) if kept else pairs


def _popcount_rows(bits: np.ndarray) -> np.ndarray:
    """Number of set bits per row of a packed ``uint8`` matrix."""
    if hasattr(np, "bitwise_count"):  # numpy >= 2
        return np.bitwise_count(bits.view(np.uint64)).sum(axis=1, dtype=np.int64)
    return _POPCOUNT[bits].sum(axis=1)


def _verified(texts: Sequence[str], pairs: np.ndarray, threshold: float) -> Iterator[tuple[int, int]]:
    """``(later, earliest earlier)`` for each later item with a pair that passes the exact rule."""
    cache: dict[int, set[str]] = {}

    def grams(k: int) -> set[str]:
        if k not in cache:
            cache[k] = shingles(texts[k])
        return cache[k]

    done = -1
    for earlier, later in pairs[np.lexsort((pairs[:, 0], pairs[:, 1]))].tolist() if len(pairs) else ():
        if later != done and _matches(grams(later), grams(earlier), threshold):
            done = later
            yield later, earlier

