"""Embedding cache keyed by (model, passage text hash): unchanged text is never re-encoded.

A model's vectors live in ``<slug>/`` as append-only chunks (``chunk-NNNNNN.npy`` + ``.keys.json``), each
written once: a save after adding one bulletin writes a few kilobytes, not the whole cache. Matrices are
memory-mapped and keys read on the first lookup, so opening the cache costs nothing until it is used.
Past ``MAX_CHUNKS`` a save merges every chunk into one. A cache written before chunks (``<slug>.npy`` +
``<slug>.keys.json``) is read as the oldest chunk.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

MAX_CHUNKS = 32


class EmbeddingCache:
    """Vectors of one model in a folder (see module doc); a damaged chunk is ignored (it is only a cache)."""

    def __init__(self, folder: Path, model: str, dim: int) -> None:
        slug = re.sub(r"[^A-Za-z0-9._-]+", "_", model)
        self._dir = folder / slug
        self.dim = dim
        self._rows: dict[str, tuple[int, int]] | None = None  # key -> (chunk, row), read lazily
        self._chunks: list[np.ndarray] = []
        self._new: dict[str, np.ndarray] = {}

    def _chunk_paths(self) -> list[tuple[Path, Path]]:
        legacy = [(self._dir.with_suffix(".npy"), self._dir.with_suffix(".keys.json"))]
        chunks = sorted(self._dir.glob("chunk-*.npy")) if self._dir.is_dir() else []
        return [p for p in legacy if p[0].is_file()] + [(p, p.with_suffix(".keys.json")) for p in chunks]

    def _index(self) -> dict[str, tuple[int, int]]:
        if self._rows is None:
            self._rows = {}
            for npy, keys_path in self._chunk_paths():
                try:
                    keys = json.loads(keys_path.read_text(encoding="utf-8"))
                    matrix = np.load(npy, allow_pickle=False, mmap_mode="r")
                except (OSError, ValueError):
                    continue
                if matrix.shape != (len(keys), self.dim):
                    continue
                chunk = len(self._chunks)
                self._chunks.append(matrix)
                self._rows.update((k, (chunk, i)) for i, k in enumerate(keys))
        return self._rows

    def __contains__(self, key: str) -> bool:
        return key in self._new or key in self._index()

    def get(self, key: str) -> np.ndarray:
        if key in self._new:
            return self._new[key]
        chunk, row = self._index()[key]
        return np.asarray(self._chunks[chunk][row])

    def get_many(self, keys: Sequence[str]) -> np.ndarray:
        """Vectors of the given keys (all present), as one float32 matrix (gathered chunk by chunk)."""
        out = np.empty((len(keys), self.dim), dtype=np.float32)
        index = self._index()
        where = [index.get(k, (-1, -1)) if k not in self._new else (-1, -1) for k in keys]
        chunks = np.array([c for c, _ in where], dtype=np.int64)
        rows = np.array([r for _, r in where], dtype=np.int64)
        for chunk in np.unique(chunks[chunks >= 0]).tolist():
            at = np.flatnonzero(chunks == chunk)
            order = np.argsort(rows[at], kind="stable")  # ascending rows: sequential reads of the chunk
            out[at[order]] = self._chunks[chunk][rows[at][order]]
        for at in np.flatnonzero(chunks < 0).tolist():
            out[at] = self._new[keys[at]]
        return out

    def put(self, keys: Sequence[str], vectors: np.ndarray) -> None:
        for key, vector in zip(keys, vectors, strict=True):
            self._new[key] = vector

    def save(self) -> None:
        """Write the new vectors as one more chunk (or merge all chunks past ``MAX_CHUNKS``)."""
        if not self._new:
            return
        paths = self._chunk_paths()
        self._dir.mkdir(parents=True, exist_ok=True)
        if len(paths) + 1 > MAX_CHUNKS:
            self._merge(paths)
        else:
            self._write_chunk(list(self._new), np.stack(list(self._new.values())))
        self._rows, self._chunks, self._new = None, [], {}

    def _merge(self, paths: list[tuple[Path, Path]]) -> None:
        index = self._index()
        keys = [k for k in index if k not in self._new] + list(self._new)
        self._write_chunk(keys, self.get_many(keys))
        for npy, keys_path in paths:
            keys_path.unlink(missing_ok=True)  # keys first: a chunk without keys is ignored
            npy.unlink(missing_ok=True)

    def _write_chunk(self, keys: list[str], matrix: np.ndarray) -> None:
        """Matrix then keys, each through a temp file and rename: a chunk is visible once complete."""
        numbers = [int(p.stem.removeprefix("chunk-")) for p in self._dir.glob("chunk-*.npy")]
        stem = self._dir / f"chunk-{max(numbers, default=0) + 1:06d}"
        tmp_npy, tmp_keys = self._dir / f".tmp-{stem.name}.npy", self._dir / f".tmp-{stem.name}.keys"
        np.save(tmp_npy, matrix.astype(np.float32, copy=False), allow_pickle=False)
        tmp_keys.write_text(json.dumps(keys), encoding="utf-8")
        os.replace(tmp_npy, stem.with_suffix(".npy"))
        os.replace(tmp_keys, stem.with_suffix(".keys.json"))
