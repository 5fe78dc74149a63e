"""Saved near-duplicate state of marked bulletins, so that added bulletins are marked without the old ones.

A build's items are stored as an ordered list of *parts*; :meth:`DedupeState.save_part` writes, once, what
:func:`archive.dedupe.marking.mark_appended` needs about a part's (already marked) files into the part's folder:

``dedupe.arrays``
    the part's arrays, one after another (64-byte aligned) after a 64-byte header naming the save;
    memory-mapped as one file when loaded.
``dedupe.meta.json``
    format, fingerprint of the matching rule, the files (bulletin id, date, source file, item count), the
    segments, and each array's dtype, shape and offset; written last, so a part without it is incomplete.

The arrays: ``keys`` and ``keys.ends`` (every item's matching key, UTF-8, concatenated, and where each
ends: the exact check of a candidate); ``roots`` and ``roots.ends`` (every item's original, its
``duplicate_of`` or own id: what a new item repeating it points at); ``sizes`` and ``signatures`` (per item,
its number of distinct tokens and a ``SIGNATURE_BITS``-bit signature of them: filters); and per segment of
up to ``SEGMENT_ITEMS`` items an inverted index, ``seg<k>.tokens`` (sorted distinct tokens),
``seg<k>.offsets`` (where each token's items start) and ``seg<k>.postings`` (the items, ``uint16``,
numbered within the segment).

A *token* is a 32-bit hash of a shingle's code points, the same in every process and part: an old item
sharing ``c`` shingles with a new one is listed under at least ``c`` of its tokens (counted with
multiplicity), hash collisions only add candidates, and the exact rule (:func:`archive.dedupe.marking.key_shingles`
of the saved keys) decides. Loading reads the metadata and maps the arrays file; a lookup touches the
postings of a few rare tokens and a few candidates' keys.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

import archive.normalize
from archive.dedupe.marking import (
    PREFIX_EXTRA,
    SHINGLE,
    SIGNATURE_BITS,
    _matches,
    _popcount_rows,
    _ragged,
    code_points,
    key_shingles,
    order_key,
    padded_short_keys,
    required_overlap,
    shingle_layout,
)
from archive.model import Bulletin, ParsedFile
from archive.normalize import match_key

FORMAT = 1
SEGMENT_ITEMS = 1 << 16  # item numbers within a segment fit in uint16
CHUNK_ITEMS = 1 << 13  # items hashed per numpy batch when saving
VISIT_BUDGET = 1 << 12  # posting entries a new item may visit beyond the minimum its prefix needs
COUNT_CELLS = 1 << 22  # (probe, item) counters per bincount
PROBE_BATCH = 256  # new items looked up together

_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_MIX1, _MIX2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_META = "dedupe.meta.json"
_ARRAYS = "dedupe.arrays"
_ALIGN = 64


class DedupeStateError(ValueError):
    """A part's saved dedupe state is missing, damaged, or was saved by other matching code."""


@cache
def rule_fingerprint() -> str:
    """Hash of what saved keys and tokens depend on: format, matching key code, Unicode version."""
    digest = hashlib.sha256(f"{FORMAT}:{SHINGLE}:{unicodedata.unidata_version}:".encode())
    digest.update(Path(archive.normalize.__file__).read_bytes())
    return digest.hexdigest()[:16]


def shingle_tokens(keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """32-bit tokens of the shingles of matching keys, the same in every process.

    Returns:
        ``(tokens, starts, widths)``, laid out as :func:`archive.dedupe.marking.shingle_layout` says.
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
    """Packed ``SIGNATURE_BITS``-bit signature per item: bit ``token % SIGNATURE_BITS`` of each token it has."""
    bits = np.zeros((count, SIGNATURE_BITS), dtype=bool)
    bits[items, tokens & (SIGNATURE_BITS - 1)] = True
    return np.packbits(bits, axis=1)


def _text_arrays(name: str, strings: Sequence[str]) -> dict[str, np.ndarray]:
    """Strings as one UTF-8 array ``name`` and the end offset of each, ``name.ends``."""
    encoded = [s.encode("utf-8", "surrogatepass") for s in strings]
    return {name: np.frombuffer(b"".join(encoded), dtype=np.uint8),
            f"{name}.ends": np.cumsum([len(e) for e in encoded], dtype=np.int64)}


@dataclass(frozen=True)
class _Texts:
    """Strings saved by :func:`_text_arrays`."""

    blob: np.ndarray
    ends: np.ndarray

    @classmethod
    def load(cls, arrays: _ArrayFile, name: str, count: int) -> _Texts:
        ends = arrays.get(f"{name}.ends", (np.int64,), (count,))
        blob = arrays.get(name, (np.uint8,), (int(ends[-1]) if count else 0,))
        if count and (ends[0] < 0 or np.any(ends[1:] < ends[:-1])):
            raise DedupeStateError(f"{arrays.path}: offsets of {name} are not increasing")
        return cls(blob, ends)

    def __getitem__(self, index: int) -> str:
        start = int(self.ends[index - 1]) if index else 0
        try:
            return self.blob[start : self.ends[index]].tobytes().decode("utf-8", "surrogatepass")
        except UnicodeDecodeError as exc:
            raise DedupeStateError(f"damaged dedupe text {index}: {exc}") from exc


class _Built(NamedTuple):
    """A segment's metadata and arrays, and per item its number of distinct tokens and its signature."""

    meta: dict
    arrays: dict[str, np.ndarray]
    sizes: np.ndarray
    signatures: np.ndarray


@dataclass(frozen=True)
class _Segment:
    """Inverted index of up to ``SEGMENT_ITEMS`` consecutive items of a part.

    Attributes:
        base: Part item number of the segment's first item.
        count: Number of items.
        tokens: Sorted distinct tokens.
        offsets: Token ``k``'s items are ``postings[offsets[k] : offsets[k + 1]]``.
        postings: Item numbers within the segment, ascending per token.
    """

    base: int
    count: int
    tokens: np.ndarray
    offsets: np.ndarray
    postings: np.ndarray

    @staticmethod
    def build(number: int, keys: Sequence[str]) -> _Built:
        """Index the keys' tokens as segment ``number``."""
        tokens, items = _distinct_entries(keys)
        first = np.flatnonzero(np.r_[True, tokens[1:] != tokens[:-1]]) if len(tokens) else np.zeros(0, np.int64)
        dtype = np.uint32 if len(items) < 2**32 else np.int64
        arrays = {f"seg{number}.tokens": tokens[first], f"seg{number}.offsets": np.r_[first, len(items)].astype(dtype),
                  f"seg{number}.postings": items}
        meta = {"items": len(keys), "tokens": len(first), "entries": len(items)}
        sizes = np.bincount(items, minlength=len(keys)).astype(np.int32)
        return _Built(meta, arrays, sizes, token_signatures(items, tokens, len(keys)))

    @classmethod
    def load(cls, arrays: _ArrayFile, number: int, base: int, meta: dict) -> _Segment:
        name = f"seg{number}"
        tokens = arrays.get(f"{name}.tokens", (np.uint32,), (meta["tokens"],))
        offsets = arrays.get(f"{name}.offsets", (np.uint32, np.int64), (meta["tokens"] + 1,))
        postings = arrays.get(f"{name}.postings", (np.uint16,), (meta["entries"],))
        if offsets[0] != 0 or offsets[-1] != meta["entries"]:
            raise DedupeStateError(f"{arrays.path}: offsets of {name} do not span its postings")
        return cls(base, meta["items"], tokens, offsets, postings)

    def spans(self, tokens: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where each token's posting list starts, and its length (0 for tokens not in the segment)."""
        if not len(self.tokens):
            return np.zeros(len(tokens), np.int64), np.zeros(len(tokens), np.int64)
        at = np.minimum(np.searchsorted(self.tokens, tokens), len(self.tokens) - 1)
        starts = self.offsets[at].astype(np.int64)
        lengths = np.where(self.tokens[at] == tokens, self.offsets[at + 1].astype(np.int64) - starts, 0)
        if np.any(lengths < 0):
            raise DedupeStateError("damaged dedupe postings: offsets decrease")
        return starts, lengths

    def items(self, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Part item numbers in the given posting ranges, concatenated."""
        local = self.postings[_ragged(starts, lengths)].astype(np.int64)
        if local.size and local.max() >= self.count:
            raise DedupeStateError("damaged dedupe postings: item number out of range")
        return local + self.base


def _distinct_entries(keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Distinct ``(token, item)`` pairs of the keys, sorted: tokens (``uint32``) and items (``uint16``)."""
    combined = [np.zeros(0, np.uint64)]
    for start in range(0, len(keys), CHUNK_ITEMS):
        tokens, starts, widths = shingle_tokens(keys[start : start + CHUNK_ITEMS])
        items = np.repeat(np.arange(start, start + len(widths), dtype=np.uint64), widths)
        combined.append(tokens[_ragged(starts, widths)].astype(np.uint64) << np.uint64(16) | items)
    entries = _sorted_unique(np.concatenate(combined))
    return (entries >> np.uint64(16)).astype(np.uint32), (entries & np.uint64(0xFFFF)).astype(np.uint16)


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted (sorts ``values`` in place; much faster than ``np.unique`` here)."""
    values.sort()
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def _write_arrays(path: Path, arrays: dict[str, np.ndarray], stamp: str) -> dict[str, dict]:
    """Write the arrays after a header holding ``stamp``; return each one's dtype, shape and offset."""
    table = {}
    with path.open("wb") as out:
        out.write(_header(stamp))
        for name, array in arrays.items():
            out.write(b"\0" * (-out.tell() % _ALIGN))
            table[name] = {"dtype": array.dtype.str, "shape": list(array.shape), "offset": out.tell()}
            out.write(np.ascontiguousarray(array).tobytes())
    return table


def _header(stamp: str) -> bytes:
    return f"dedupe arrays {FORMAT} {stamp}\n".encode().ljust(_ALIGN, b"\0")


@dataclass(frozen=True)
class _ArrayFile:
    """A part's memory-mapped arrays file and its table (from the metadata)."""

    path: Path
    memory: np.ndarray
    table: dict

    @classmethod
    def open(cls, folder: Path, table: dict, stamp: str) -> _ArrayFile:
        """Map the file; it must be the one the metadata was written with."""
        path = folder / _ARRAYS
        try:
            with path.open("rb") as file:  # the kernel's read-ahead is kept: measured faster from disk
                memory = np.frombuffer(mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ), dtype=np.uint8)
        except (OSError, ValueError) as exc:
            raise DedupeStateError(f"{path}: cannot read ({exc})") from exc
        if memory[:_ALIGN].tobytes() != _header(stamp):
            raise DedupeStateError(f"{path}: not the arrays {folder / _META} describes")
        return cls(path, memory, table)

    def get(self, name: str, dtypes: tuple[type, ...], shape: tuple[int, ...]) -> np.ndarray:
        """Array ``name``, a view of the mapping, after checking its type, shape and extent."""
        spec = self.table[name]
        dtype, offset = np.dtype(spec["dtype"]), int(spec["offset"])
        if dtype not in [np.dtype(d) for d in dtypes] or tuple(spec["shape"]) != shape:
            raise DedupeStateError(f"{self.path}: {name} should be {shape} of {np.dtype(dtypes[0])}, "
                                   f"is {tuple(spec['shape'])} of {dtype}")
        end = offset + dtype.itemsize * int(np.prod(shape))
        if offset < _ALIGN or offset % dtype.itemsize or end > len(self.memory):
            raise DedupeStateError(f"{self.path}: {name} is misaligned or lies outside the file (truncated?)")
        return self.memory[offset:end].view(dtype).reshape(shape)


@dataclass(frozen=True)
class _Part:
    """One part's saved state.

    Attributes:
        bulletins: Per file, its bulletin (id, date, source file).
        file_starts: Per file, the part item number of its first item.
        file_ends: Per file, the part item number after its last item.
        keys: Matching key per item.
        roots: Original per item.
        sizes: Distinct tokens per item (at most its distinct shingles).
        signatures: Packed token signature per item.
        segments: Inverted indexes.
    """

    bulletins: tuple[Bulletin, ...]
    file_starts: np.ndarray
    file_ends: np.ndarray
    keys: _Texts
    roots: _Texts
    sizes: np.ndarray
    signatures: np.ndarray
    segments: tuple[_Segment, ...]

    @classmethod
    def load(cls, folder: Path) -> _Part:
        meta = _read_meta(folder)
        try:
            files, segments, count = meta["files"], meta["segments"], int(meta["items"])
            arrays = _ArrayFile.open(folder, meta["arrays"], meta["stamp"])
            bulletins = tuple(Bulletin(id=f["bulletin"], title="", date=f["date"], source_file=f["source_file"])
                              for f in files)
            counts = np.array([int(f["items"]) for f in files], dtype=np.int64)
            bases = np.cumsum([0] + [int(s["items"]) for s in segments])
            if np.any(counts < 0) or counts.sum() != count or bases[-1] != count:
                raise DedupeStateError(f"{folder / _META}: item counts do not add up")
            loaded = tuple(_Segment.load(arrays, k, int(bases[k]), s) for k, s in enumerate(segments))
            ends = np.cumsum(counts)
            return cls(bulletins, ends - counts, ends, _Texts.load(arrays, "keys", count),
                       _Texts.load(arrays, "roots", count), arrays.get("sizes", (np.int32,), (count,)),
                       arrays.get("signatures", (np.uint8,), (count, SIGNATURE_BITS // 8)), loaded)
        except DedupeStateError:
            raise
        except (KeyError, TypeError, ValueError) as exc:
            raise DedupeStateError(f"{folder / _META}: malformed ({exc!r})") from exc

    def file_of(self, items: np.ndarray) -> np.ndarray:
        """File index of each part item number."""
        return np.searchsorted(self.file_ends, items, side="right")


def _read_meta(folder: Path) -> dict:
    """The part's metadata, checked against this code's format and matching rule."""
    path = folder / _META
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DedupeStateError(f"{path}: cannot read ({exc})") from exc
    if not isinstance(meta, dict):
        raise DedupeStateError(f"{path}: not a dedupe state")
    found = meta.get("fingerprint")
    if found != rule_fingerprint():
        raise DedupeStateError(f"{path}: saved by other matching code ({found} != {rule_fingerprint()})")
    return meta


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
        need: :func:`archive.dedupe.marking.required_overlap` per probe.
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


class DedupeState:
    """What incremental marking needs to know about already marked items, stored per part.

    Write a part with :meth:`save_part`, read all parts with :meth:`load`. A part's files are never
    modified after saving, so parts can be hard-linked from build to build.
    """

    def __init__(self, parts: Sequence[_Part]) -> None:
        self._parts = tuple(parts)
        self._positions = _file_positions(self._parts)
        keys = [order_key(b) for part in self._parts for b in part.bulletins]
        self._last = max(keys) if keys else None

    def __len__(self) -> int:
        """Number of items in the state."""
        return sum(len(part.sizes) for part in self._parts)

    @staticmethod
    def save_part(folder: Path, files: Sequence[ParsedFile]) -> None:
        """Write what later incremental marking needs about these (already marked) files into ``folder``.

        Args:
            folder: An existing folder owned by this part; files named ``dedupe.*`` are written.
            files: The part's files, with ``duplicate_of`` set as marked.
        """
        items = [item for file in files for item in file.items]
        keys = [match_key(item.text) for item in items]
        arrays = _text_arrays("keys", keys) | _text_arrays("roots", [item.duplicate_of or item.id for item in items])
        starts = range(0, len(keys), SEGMENT_ITEMS)
        segments = [_Segment.build(k, keys[start : start + SEGMENT_ITEMS]) for k, start in enumerate(starts)]
        for segment in segments:
            arrays |= segment.arrays
        arrays["sizes"] = np.concatenate([np.zeros(0, np.int32), *(s.sizes for s in segments)])
        arrays["signatures"] = np.concatenate([np.zeros((0, SIGNATURE_BITS // 8), np.uint8),
                                               *(s.signatures for s in segments)])
        meta = {"format": FORMAT, "fingerprint": rule_fingerprint(), "items": len(items),
                "segments": [s.meta for s in segments],
                "files": [{"bulletin": f.bulletin.id, "date": f.bulletin.date, "source_file": f.bulletin.source_file,
                           "items": len(f.items)} for f in files]}
        meta["stamp"] = hashlib.sha256(json.dumps(meta, sort_keys=True).encode()).hexdigest()[:16]
        meta["arrays"] = _write_arrays(folder / _ARRAYS, arrays, meta["stamp"])
        temporary = folder / f"{_META}.tmp"
        temporary.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, folder / _META)

    @classmethod
    def load(cls, folders: Sequence[Path]) -> DedupeState:
        """State of all parts, in order.

        Raises:
            DedupeStateError: A part's files are missing, damaged, or were saved by other matching code.
        """
        return cls([_Part.load(Path(folder)) for folder in folders])

    def sorts_before(self, new: Sequence[ParsedFile]) -> bool:
        """True when every new file sorts strictly after every file in the state (dedupe order)."""
        return self._last is None or all(order_key(f.bulletin) > self._last for f in new)

    def first_matches(self, texts: Sequence[str], bulletins: Sequence[str], probes: np.ndarray,
                      threshold: float) -> list[str]:
        """For each probe text, the original of the earliest saved item of another bulletin that it repeats.

        Args:
            texts: New item texts.
            bulletins: Bulletin id of each.
            probes: Which texts to look up.
            threshold: Minimum similarity, as in :func:`archive.dedupe.marking.earliest_matches`.

        Returns:
            Per text, the matched item's original (its ``duplicate_of`` or id), '' if none.
        """
        roots = [""] * len(texts)
        if not len(self) or not threshold <= 1.0:  # above 1 (or NaN) nothing can match
            return roots
        wanted = np.flatnonzero(probes).tolist()
        for start in range(0, len(wanted), PROBE_BATCH):
            batch = _Probes.of(texts, bulletins, wanted[start : start + PROBE_BATCH], threshold)
            for q, part, item in self._verified(batch, self._candidates(batch, threshold), threshold):
                roots[batch.texts[q]] = self._parts[part].roots[item]
        return roots

    def _candidates(self, probes: _Probes, threshold: float) -> np.ndarray:
        """Rows ``(probe, part, item)`` of old items that pass the filters, by probe then dedupe order."""
        spans = [[segment.spans(probes.tokens) for segment in part.segments] for part in self._parts]
        frequency = sum((lengths for part in spans for _, lengths in part), np.zeros(len(probes.tokens), np.int64))
        prefixes = _Prefixes.of(probes, frequency)
        chosen = prefixes.chosen
        found = [np.zeros((0, 4), np.int64)]
        for p, part in enumerate(self._parts):
            for segment, (starts, lengths) in zip(part.segments, spans[p], strict=True):
                items = segment.items(starts[chosen], lengths[chosen])
                rows = _shared(np.repeat(probes.owner[chosen], lengths[chosen]), items)
                rows = rows[_plausible(rows, part, probes, prefixes, threshold)]
                found.append(np.c_[rows[:, 0], np.full(len(rows), p), rows[:, 1], self._position(p, rows[:, 1])])
        table = np.concatenate(found)
        return table[np.lexsort((table[:, 3], table[:, 0])), :3]

    def _position(self, part: int, items: np.ndarray) -> np.ndarray:
        """Position in dedupe order of the part's items."""
        files = self._parts[part].file_of(items)
        return self._positions[part][files] + items - self._parts[part].file_starts[files]

    def _verified(self, probes: _Probes, candidates: np.ndarray, threshold: float
                  ) -> Iterator[tuple[int, int, int]]:
        """``(probe, part, item)`` for the first candidate of each probe of another bulletin that matches."""
        cache: dict[tuple[int, int], set[str]] = {}
        done = -1
        for q, p, item in candidates.tolist():
            part = self._parts[p]
            if q == done or part.bulletins[int(part.file_of(item))].id == probes.bulletins[q]:
                continue
            if (p, item) not in cache:
                cache[p, item] = key_shingles(part.keys[item])
            if _matches(probes.grams[q], cache[p, item], threshold):
                done = q
                yield q, p, item


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


def _plausible(rows: np.ndarray, part: _Part, probes: _Probes, prefixes: _Prefixes, threshold: float) -> np.ndarray:
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
    differing = _popcount_rows(probes.signatures[q[check]] ^ part.signatures[items[check]])
    keep[check] = differing <= probes.size[q[check]] + size[check] - 2 * need
    return keep


def _file_positions(parts: Sequence[_Part]) -> list[np.ndarray]:
    """Per part and file, the dedupe-order position of the file's first item among all parts' items.

    Files sort by :func:`archive.dedupe.marking.order_key`, ties by part then file: the order
    :func:`archive.dedupe.marking.mark_duplicates` gives the parts' files concatenated.
    """
    records = sorted((order_key(b), p, f) for p, part in enumerate(parts) for f, b in enumerate(part.bulletins))
    positions = [np.zeros(len(part.bulletins), np.int64) for part in parts]
    at = 0
    for _, p, f in records:
        positions[p][f] = at
        at += int(parts[p].file_ends[f] - parts[p].file_starts[f])
    return positions
