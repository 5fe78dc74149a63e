"""How a part's dedupe state lies on disk: an aligned arrays file, strings as arrays, inverted-index segments.

The arrays are written one after another (64-byte aligned) after a 64-byte header naming the save, and
memory-mapped as one file when loaded; every array is checked against the table of the metadata
(:mod:`archive.dedupe.state`) before use. Strings are saved as one UTF-8 array and the end offset of
each; tokens are indexed per segment of up to ``SEGMENT_ITEMS`` items, numbered within it as ``uint16``.
"""

from __future__ import annotations

import mmap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

from archive.dedupe.signatures import SIGNATURE_BITS, ragged, shingle_tokens, token_signatures

FORMAT = 1
SEGMENT_ITEMS = 1 << 16  # item numbers within a segment fit in uint16
CHUNK_ITEMS = 1 << 13  # items hashed per numpy batch when saving
META_FILE = "dedupe.meta.json"
ARRAYS_FILE = "dedupe.arrays"

_ALIGN = 64


class DedupeStateError(ValueError):
    """A part's saved dedupe state is missing, damaged, or was saved by other matching code."""


def write_arrays(path: Path, arrays: dict[str, np.ndarray], stamp: str) -> dict[str, dict]:
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
    """The arrays file's first ``_ALIGN`` bytes: format and the save's stamp."""
    return f"dedupe arrays {FORMAT} {stamp}\n".encode().ljust(_ALIGN, b"\0")


@dataclass(frozen=True)
class ArrayFile:
    """A part's memory-mapped arrays file and its table (from the metadata)."""

    path: Path
    memory: np.ndarray
    table: dict

    @classmethod
    def open(cls, folder: Path, table: dict, stamp: str) -> ArrayFile:
        """Map the file; it must be the one the metadata was written with."""
        path = folder / ARRAYS_FILE
        try:
            with path.open("rb") as file:  # the kernel's read-ahead is kept: measured faster from disk
                memory = np.frombuffer(mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ), dtype=np.uint8)
        except (OSError, ValueError) as exc:
            raise DedupeStateError(f"{path}: cannot read ({exc})") from exc
        if memory[:_ALIGN].tobytes() != _header(stamp):
            raise DedupeStateError(f"{path}: not the arrays {folder / META_FILE} describes")
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


def text_arrays(name: str, strings: Sequence[str]) -> dict[str, np.ndarray]:
    """Strings as one UTF-8 array ``name`` and the end offset of each, ``name.ends``."""
    encoded = [s.encode("utf-8", "surrogatepass") for s in strings]
    return {name: np.frombuffer(b"".join(encoded), dtype=np.uint8),
            f"{name}.ends": np.cumsum([len(e) for e in encoded], dtype=np.int64)}


@dataclass(frozen=True)
class Texts:
    """Strings saved by :func:`text_arrays`."""

    blob: np.ndarray
    ends: np.ndarray

    @classmethod
    def load(cls, arrays: ArrayFile, name: str, count: int) -> Texts:
        """The ``count`` strings saved as ``name``, their offsets checked."""
        ends = arrays.get(f"{name}.ends", (np.int64,), (count,))
        blob = arrays.get(name, (np.uint8,), (int(ends[-1]) if count else 0,))
        if count and (ends[0] < 0 or np.any(ends[1:] < ends[:-1])):
            raise DedupeStateError(f"{arrays.path}: offsets of {name} are not increasing")
        return cls(blob, ends)

    def __getitem__(self, index: int) -> str:
        """String ``index``, decoded."""
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
class Segment:
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
    def load(cls, arrays: ArrayFile, number: int, base: int, meta: dict) -> Segment:
        """Segment ``number`` of the arrays file, its first item being part item ``base``."""
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
        local = self.postings[ragged(starts, lengths)].astype(np.int64)
        if local.size and local.max() >= self.count:
            raise DedupeStateError("damaged dedupe postings: item number out of range")
        return local + self.base


def segment_arrays(keys: Sequence[str]) -> tuple[dict[str, np.ndarray], list[dict]]:
    """The keys indexed in segments of ``SEGMENT_ITEMS`` items.

    Returns:
        The arrays (every segment's, then ``sizes`` and ``signatures`` per item) and each segment's metadata.
    """
    starts = range(0, len(keys), SEGMENT_ITEMS)
    segments = [Segment.build(k, keys[start : start + SEGMENT_ITEMS]) for k, start in enumerate(starts)]
    arrays: dict[str, np.ndarray] = {}
    for segment in segments:
        arrays |= segment.arrays
    arrays["sizes"] = np.concatenate([np.zeros(0, np.int32), *(s.sizes for s in segments)])
    arrays["signatures"] = np.concatenate([np.zeros((0, SIGNATURE_BITS // 8), np.uint8),
                                           *(s.signatures for s in segments)])
    return arrays, [s.meta for s in segments]


def _distinct_entries(keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Distinct ``(token, item)`` pairs of the keys, sorted: tokens (``uint32``) and items (``uint16``)."""
    combined = [np.zeros(0, np.uint64)]
    for start in range(0, len(keys), CHUNK_ITEMS):
        tokens, starts, widths = shingle_tokens(keys[start : start + CHUNK_ITEMS])
        items = np.repeat(np.arange(start, start + len(widths), dtype=np.uint64), widths)
        combined.append(tokens[ragged(starts, widths)].astype(np.uint64) << np.uint64(16) | items)
    entries = _sorted_unique(np.concatenate(combined))
    return (entries >> np.uint64(16)).astype(np.uint32), (entries & np.uint64(0xFFFF)).astype(np.uint16)


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted (sorts ``values`` in place; much faster than ``np.unique`` here)."""
    values.sort()
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values
