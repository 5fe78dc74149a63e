"""Byte ranges of a file read with pread: from the page cache at once, from the disk all together.

A query reads a few hundred scattered ranges (float32 rows of its finalists, texts of its hits). Read one
by one, a cold range costs a full disk round trip and the next one waits for it: ~200 ranges took 12-20 ms
after the page cache was dropped (bench/semantic_cold.py). Here every range is first tried with
``RWF_NOWAIT`` (served only from the page cache, so a warm query pays nothing extra); the ranges that are
not cached are then all announced to the kernel (``POSIX_FADV_WILLNEED``: reads queued without waiting)
before the blocking reads, so the disk serves them in parallel (~5 ms for the same 200). Where either call
is missing (not Linux) or refused by the file system, ranges are simply read one by one.

:func:`read_mapped_file` copies a memory-mapped .npy file into memory with plain reads (opening an index).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Sequence

import numpy as np

_NOWAIT = getattr(os, "RWF_NOWAIT", 0)
_WILLNEED = getattr(os, "POSIX_FADV_WILLNEED", None)
_UNSUPPORTED = (errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS)
_state = {"nowait": bool(_NOWAIT)}  # switched off for good once a file system refuses it


class ShortRead(OSError):
    """The file ends before a requested range does (a truncated file)."""


def read_ranges(fd: int, offsets: Sequence[int], views: Sequence[memoryview]) -> None:
    """Fill ``views[i]`` with the bytes of ``fd`` from ``offsets[i]`` on; ShortRead if the file is shorter."""
    missing = []
    for offset, view in zip(offsets, views, strict=True):
        got = _cached(fd, view, offset)
        if got < len(view):
            missing.append((offset + got, view[got:]))
    if len(missing) > 1 and _WILLNEED is not None:
        for offset, view in missing:
            try:
                os.posix_fadvise(fd, offset, len(view), _WILLNEED)
            except OSError:  # advice only
                break
    for offset, view in missing:
        while len(view):
            got = os.preadv(fd, [view], offset)
            if got <= 0:
                raise ShortRead(errno.EIO, f"file ends before byte {offset}")
            offset, view = offset + got, view[got:]


def _cached(fd: int, view: memoryview, offset: int) -> int:
    """Bytes of the range read from the page cache without waiting for the disk (0 when none can be)."""
    if not _state["nowait"] or not len(view):
        return 0
    try:
        return os.preadv(fd, [view], offset, _NOWAIT)
    except BlockingIOError:
        return 0
    except OSError as exc:
        if exc.errno not in _UNSUPPORTED:
            raise
        _state["nowait"] = False
        return 0


def read_mapped_file(array: np.ndarray, out: np.ndarray) -> bool:
    """Fill ``out`` from the file that ``array`` maps, with plain reads (no page of the map touched), if it
    maps the whole data of a .npy file (np.load's mmap_mode); False, and nothing read, otherwise."""
    path = getattr(array, "filename", None)
    if not isinstance(array, np.memmap) or path is None or not array.flags.c_contiguous:
        return False
    offset = int(array.offset)
    with open(path, "rb") as f:
        if os.fstat(f.fileno()).st_size != offset + array.nbytes:  # a view of part of the file
            return False
        f.seek(offset)
        return f.readinto(memoryview(out).cast("B")) == array.nbytes
