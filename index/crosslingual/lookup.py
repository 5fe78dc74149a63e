"""Read-only string tables in one file, looked up in place through ``mmap`` (nothing is decoded up front).

The dictionary cache (:mod:`index.crosslingual.dictionary`) is written in this form so that a fresh process is
ready to translate in a few milliseconds: opening the file maps it and reads a small JSON header; a lookup is a
binary search over the sorted UTF-8 keys (about 17 probes for 100k keys) and decodes one value.

Layout: ``MAGIC``, the header length (8 bytes, little-endian), the JSON header (the caller's ``extra`` data,
each table's size and the section lengths), padding to 4 bytes, then per table four sections, each padded to 4
bytes: key offsets (``uint32``, n + 1, native byte order: the file is a local cache), the keys (UTF-8, sorted
by bytes, concatenated), value offsets (``uint32``, n + 1) and the values (UTF-8). A value is a list of
strings joined with ``SEP``. The header holds a CRC-32 of the sections; a short, truncated, damaged or
foreign file raises :class:`TableError`.
"""

from __future__ import annotations

import json
import mmap
import os
import struct
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path

MAGIC = b"BULLETIN-TABLES\x01"
SEP = "\x1f"
_LENGTH = struct.Struct("<Q")
_SECTIONS = 4  # per table: key offsets, keys, value offsets, values


class TableError(ValueError):
    """The file is not a complete table file of this format."""


class StringTable(Mapping[str, list[str]]):
    """One sorted table of a table file: key -> list of strings, read from the mapped file."""

    def __init__(self, sections: list[memoryview], size: int) -> None:
        key_offsets, self._keys, value_offsets, self._values = sections
        self._key_offsets, self._value_offsets = key_offsets.cast("I"), value_offsets.cast("I")
        self._size = size
        if not len(self._key_offsets) == len(self._value_offsets) == size + 1:
            raise TableError("table offsets do not match its size")
        if self._key_offsets[size] != len(self._keys) or self._value_offsets[size] != len(self._values):
            raise TableError("table offsets do not match its data")

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[str]:
        for i in range(self._size):
            yield self._key(i).decode("utf-8")

    def __getitem__(self, key: str) -> list[str]:
        i = self._find(key.encode("utf-8")) if isinstance(key, str) else -1
        if i < 0:
            raise KeyError(key)
        value = bytes(self._values[self._value_offsets[i] : self._value_offsets[i + 1]]).decode("utf-8")
        return value.split(SEP) if value else []

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._find(key.encode("utf-8")) >= 0

    def _key(self, i: int) -> bytes:
        return bytes(self._keys[self._key_offsets[i] : self._key_offsets[i + 1]])

    def _find(self, target: bytes) -> int:
        lo, hi = 0, self._size
        while lo < hi:
            mid = (lo + hi) // 2
            if self._key(mid) < target:
                lo = mid + 1
            else:
                hi = mid
        return lo if lo < self._size and self._key(lo) == target else -1


def write_tables(path: Path, tables: Mapping[str, Mapping[str, list[str]]], extra: object = None) -> None:
    """Write tables (name -> key -> strings; no string may contain ``SEP``) and JSON-able ``extra`` data to
    ``path``, atomically: a temporary file beside it, then replaced."""
    sections: list[bytes] = []
    sizes: dict[str, int] = {}
    for name, table in tables.items():
        keys = sorted((k.encode("utf-8") for k in table), key=bytes)
        values = [SEP.join(table[k.decode("utf-8")]).encode("utf-8") for k in keys]
        sizes[name] = len(keys)
        sections += [_offsets(keys), b"".join(keys), _offsets(values), b"".join(values)]
    body = b"".join(section + _padding(len(section)) for section in sections)
    header = json.dumps({"extra": extra, "tables": sizes, "lengths": [len(s) for s in sections],
                         "crc32": zlib.crc32(body)}, ensure_ascii=False).encode("utf-8")
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            head = MAGIC + _LENGTH.pack(len(header)) + header
            handle.write(head + _padding(len(head)))
            handle.write(body)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def read_tables(path: Path) -> tuple[dict[str, StringTable], object]:
    """The tables of a file written by :func:`write_tables`, and its ``extra`` data; the file stays mapped.

    Raises:
        OSError: The file cannot be read.
        TableError: It is not a complete table file of this format.
    """
    with open(path, "rb") as handle:
        if os.fstat(handle.fileno()).st_size < len(MAGIC) + _LENGTH.size:
            raise TableError(f"{path}: not a table file")
        buffer = memoryview(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))
    start = len(MAGIC) + _LENGTH.size
    if bytes(buffer[: len(MAGIC)]) != MAGIC:
        raise TableError(f"{path}: not a table file")
    (length,) = _LENGTH.unpack(buffer[len(MAGIC) : start])
    try:
        header = json.loads(bytes(buffer[start : start + length]).decode("utf-8"))
        position = start + length + len(_padding(start + length))
        if zlib.crc32(buffer[position:]) != header["crc32"]:
            raise TableError(f"{path}: checksum mismatch (damaged)")
        views = []
        for size in header["lengths"]:
            views.append(buffer[position : position + int(size)])
            position += int(size) + len(_padding(int(size)))
        if position != len(buffer) or len(views) != _SECTIONS * len(header["tables"]):
            raise TableError(f"{path}: {len(buffer)} bytes where {position} were expected (truncated or damaged)")
        tables = {name: StringTable(views[_SECTIONS * n : _SECTIONS * (n + 1)], int(size))
                  for n, (name, size) in enumerate(header["tables"].items())}
    except TableError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise TableError(f"{path}: damaged header ({exc})") from exc
    return tables, header.get("extra")


def _offsets(blobs: list[bytes]) -> bytes:
    offsets = [0]
    for blob in blobs:
        offsets.append(offsets[-1] + len(blob))
    if offsets[-1] >= 2**32:
        raise ValueError("table section over 4 GB")
    return struct.pack(f"={len(offsets)}I", *offsets)


def _padding(length: int) -> bytes:
    return b"\0" * (-length % 4)
