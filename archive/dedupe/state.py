"""Saved near-duplicate state of marked bulletins, so that added bulletins are marked without the old ones.

A build's items are stored as an ordered list of *parts*; :meth:`DedupeState.save_part` writes, once,
what :func:`archive.dedupe.incremental.mark_appended` needs about a part's (already marked) files into the
part's folder:

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
multiplicity), hash collisions only add candidates, and the exact rule (:func:`archive.dedupe.keys.matches`
on the saved keys) decides. Loading reads the metadata and maps the arrays file
(:mod:`archive.dedupe.storage`); a lookup (:mod:`archive.dedupe.incremental`) touches the postings of a few
rare tokens and a few candidates' keys.
"""

from __future__ import annotations

import hashlib
import json
import os
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

import archive.normalize
from archive.dedupe.keys import SHINGLE, order_key
from archive.dedupe.signatures import SIGNATURE_BITS
from archive.dedupe.storage import (
    ARRAYS_FILE,
    FORMAT,
    META_FILE,
    ArrayFile,
    DedupeStateError,
    Segment,
    Texts,
    segment_arrays,
    text_arrays,
    write_arrays,
)
from archive.model import Bulletin, ParsedFile
from archive.normalize import match_key


@cache
def rule_fingerprint() -> str:
    """Hash of what saved keys and tokens depend on: format, matching key code, Unicode version."""
    digest = hashlib.sha256(f"{FORMAT}:{SHINGLE}:{unicodedata.unidata_version}:".encode())
    digest.update(Path(archive.normalize.__file__).read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Part:
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
    keys: Texts
    roots: Texts
    sizes: np.ndarray
    signatures: np.ndarray
    segments: tuple[Segment, ...]

    @classmethod
    def load(cls, folder: Path) -> Part:
        """The part saved in ``folder``, checked against its metadata.

        Raises:
            DedupeStateError: The part's files are missing, damaged, or were saved by other matching code.
        """
        meta = _read_meta(folder)
        try:
            files, segments, count = meta["files"], meta["segments"], int(meta["items"])
            arrays = ArrayFile.open(folder, meta["arrays"], meta["stamp"])
            bulletins = tuple(Bulletin(id=f["bulletin"], title="", date=f["date"], source_file=f["source_file"])
                              for f in files)
            counts = np.array([int(f["items"]) for f in files], dtype=np.int64)
            bases = np.cumsum([0] + [int(s["items"]) for s in segments])
            if np.any(counts < 0) or counts.sum() != count or bases[-1] != count:
                raise DedupeStateError(f"{folder / META_FILE}: item counts do not add up")
            loaded = tuple(Segment.load(arrays, k, int(bases[k]), s) for k, s in enumerate(segments))
            ends = np.cumsum(counts)
            return cls(bulletins, ends - counts, ends, Texts.load(arrays, "keys", count),
                       Texts.load(arrays, "roots", count), arrays.get("sizes", (np.int32,), (count,)),
                       arrays.get("signatures", (np.uint8,), (count, SIGNATURE_BITS // 8)), loaded)
        except DedupeStateError:
            raise
        except (KeyError, TypeError, ValueError) as exc:
            raise DedupeStateError(f"{folder / META_FILE}: malformed ({exc!r})") from exc

    def file_of(self, items: np.ndarray) -> np.ndarray:
        """File index of each part item number."""
        return np.searchsorted(self.file_ends, items, side="right")


def _read_meta(folder: Path) -> dict:
    """The part's metadata, checked against this code's format and matching rule."""
    path = folder / META_FILE
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


class DedupeState:
    """What incremental marking needs to know about already marked items, stored per part.

    Write a part with :meth:`save_part`, read all parts with :meth:`load`. A part's files are never
    modified after saving, so parts can be hard-linked from build to build.
    """

    def __init__(self, parts: Sequence[Part]) -> None:
        """State of the given loaded parts, in order (see :meth:`load`)."""
        self._parts = tuple(parts)
        self._positions = _file_positions(self._parts)
        keys = [order_key(b) for part in self._parts for b in part.bulletins]
        self._last = max(keys) if keys else None

    def __len__(self) -> int:
        """Number of items in the state."""
        return sum(len(part.sizes) for part in self._parts)

    @property
    def parts(self) -> tuple[Part, ...]:
        """The saved parts, in their given order."""
        return self._parts

    def positions(self, part: int, items: np.ndarray) -> np.ndarray:
        """Position in dedupe order, among all parts' items, of part ``part``'s items ``items``."""
        files = self._parts[part].file_of(items)
        return self._positions[part][files] + items - self._parts[part].file_starts[files]

    @staticmethod
    def save_part(folder: Path, files: Sequence[ParsedFile]) -> None:
        """Write what later incremental marking needs about these (already marked) files into ``folder``.

        Args:
            folder: An existing folder owned by this part; files named ``dedupe.*`` are written.
            files: The part's files, with ``duplicate_of`` set as marked.
        """
        items = [item for file in files for item in file.items]
        keys = [match_key(item.text) for item in items]
        arrays = text_arrays("keys", keys) | text_arrays("roots", [item.duplicate_of or item.id for item in items])
        indexed, segments = segment_arrays(keys)
        arrays |= indexed
        meta = {"format": FORMAT, "fingerprint": rule_fingerprint(), "items": len(items), "segments": segments,
                "files": [{"bulletin": f.bulletin.id, "date": f.bulletin.date, "source_file": f.bulletin.source_file,
                           "items": len(f.items)} for f in files]}
        meta["stamp"] = hashlib.sha256(json.dumps(meta, sort_keys=True).encode()).hexdigest()[:16]
        meta["arrays"] = write_arrays(folder / ARRAYS_FILE, arrays, meta["stamp"])
        temporary = folder / f"{META_FILE}.tmp"
        temporary.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, folder / META_FILE)

    @classmethod
    def load(cls, folders: Sequence[Path]) -> DedupeState:
        """State of all parts, in order.

        Raises:
            DedupeStateError: A part's files are missing, damaged, or were saved by other matching code.
        """
        return cls([Part.load(Path(folder)) for folder in folders])

    def sorts_before(self, new: Sequence[ParsedFile]) -> bool:
        """True when every new file sorts strictly after every file in the state (dedupe order)."""
        return self._last is None or all(order_key(f.bulletin) > self._last for f in new)


def _file_positions(parts: Sequence[Part]) -> list[np.ndarray]:
    """Per part and file, the dedupe-order position of the file's first item among all parts' items.

    Files sort by :func:`archive.dedupe.keys.order_key`, ties by part then file: the order
    :func:`archive.dedupe.marking.mark_duplicates` gives the parts' files concatenated.
    """
    records = sorted((order_key(b), p, f) for p, part in enumerate(parts) for f, b in enumerate(part.bulletins))
    positions = [np.zeros(len(part.bulletins), np.int64) for part in parts]
    at = 0
    for _, p, f in records:
        positions[p][f] = at
        at += int(parts[p].file_ends[f] - parts[p].file_starts[f])
    return positions
