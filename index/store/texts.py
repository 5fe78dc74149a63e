"""Texts kept as UTF-8 blobs with offsets, decoded one by one when shown: the store's titles and texts, and the
vector index's passages. A saved blob stays on disk, mapped; a query's texts are read with pread."""

from __future__ import annotations

import os
import weakref
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from index.errors import IndexCorrupt
from index.store.preads import ShortRead, read_ranges


class Utf8Texts:
    """Texts in one UTF-8 blob with offsets (in memory): decoded only when shown. The item table's titles and
    texts (index/store/table.py), and the vector index's passage texts.

    A saved part's blob stays on disk (memory-mapped); :meth:`many` reads the texts of a query's hits
    with pread (index/store/preads.py: one disk round trip for all of them when the page cache is cold,
    where touching the map page by page took up to 70 ms in a first query).
    """

    def __init__(self, blob: np.ndarray, offsets: np.ndarray, path: Path | None = None) -> None:
        self.blob, self.offsets = blob, offsets
        self._file: tuple[int, int] | None = None  # (fd, data offset) of the blob's .npy file
        if path is not None:
            self._file = (os.open(path, os.O_RDONLY), int(getattr(blob, "offset", 0)))
            weakref.finalize(self, os.close, self._file[0])

    @classmethod
    def from_texts(cls, texts: Sequence[str]) -> Utf8Texts:
        encoded = [t.encode("utf-8") for t in texts]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(e) for e in encoded], out=offsets[1:])
        return cls(np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets)

    def __len__(self) -> int:
        return self.offsets.shape[0] - 1

    def __getitem__(self, row: int) -> str:
        if row < 0:  # from the end, as a sequence
            row += len(self)
        return self.blob[self.offsets[row] : self.offsets[row + 1]].tobytes().decode("utf-8")

    def many(self, rows: np.ndarray) -> list[str]:
        """The texts of these rows, in order."""
        if self._file is None:
            return [self[int(r)] for r in rows]
        fd, data = self._file
        begin, end = self.offsets[rows], self.offsets[rows + 1]
        buffer = memoryview(bytearray(int((end - begin).sum())))
        bounds = np.concatenate([[0], np.cumsum(end - begin)]).tolist()
        views = [buffer[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
        try:
            read_ranges(fd, (begin + data).tolist(), views)
        except ShortRead as exc:
            raise IndexCorrupt(f"passage texts truncated ({exc.strerror}); run 'bulletins build --rebuild'") from exc
        return [bytes(v).decode("utf-8") for v in views]


class JoinedTexts:
    """The texts of several parts, addressed by global row."""

    def __init__(self, parts: Sequence[Utf8Texts]) -> None:
        self.parts = list(parts)
        self.bounds = np.concatenate([[0], np.cumsum([len(p) for p in parts])]).astype(np.int64)

    def __len__(self) -> int:
        return int(self.bounds[-1])

    def __getitem__(self, row: int) -> str:
        if row < 0:
            row += len(self)
        n = int(np.searchsorted(self.bounds, row, side="right")) - 1
        return self.parts[n][row - int(self.bounds[n])]

    def many(self, rows: np.ndarray) -> list[str]:
        """The texts of these global rows, in order (one batch of reads per part)."""
        rows = np.asarray(rows, dtype=np.int64)
        part = np.searchsorted(self.bounds, rows, side="right") - 1
        out: list[str] = [""] * rows.shape[0]
        for n in range(len(self.parts)):  # not np.unique: its first call imports numpy.ma (~60 ms)
            at = np.flatnonzero(part == n)
            for i, text in zip(at.tolist(), self.parts[n].many(rows[at] - self.bounds[n]), strict=True):
                out[i] = text
        return out
