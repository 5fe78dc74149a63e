"""Embedding cache keyed by (model, passage text hash): unchanged text is never re-encoded."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np


class EmbeddingCache:
    """Vectors of one model, stored as ``<model>.npy`` + ``<model>.keys.json`` in a folder."""

    def __init__(self, folder: Path, model: str, dim: int) -> None:
        slug = re.sub(r"[^A-Za-z0-9._-]+", "_", model)
        self._npy, self._keys_path = folder / f"{slug}.npy", folder / f"{slug}.keys.json"
        self.dim = dim
        self._rows: dict[str, int] = {}
        self._matrix = np.zeros((0, dim), dtype=np.float32)
        self._new: dict[str, np.ndarray] = {}
        self._load()

    def _load(self) -> None:
        try:
            keys = json.loads(self._keys_path.read_text(encoding="utf-8"))
            matrix = np.load(self._npy, allow_pickle=False)
        except (OSError, ValueError):
            return  # no cache yet, or a damaged one: start empty (it is only a cache)
        if matrix.shape == (len(keys), self.dim):
            self._rows, self._matrix = {k: i for i, k in enumerate(keys)}, matrix

    def __contains__(self, key: str) -> bool:
        return key in self._rows or key in self._new

    def get(self, key: str) -> np.ndarray:
        return self._new[key] if key in self._new else self._matrix[self._rows[key]]

    def put(self, keys: Sequence[str], vectors: np.ndarray) -> None:
        for key, vector in zip(keys, vectors, strict=True):
            self._new[key] = vector

    def save(self) -> None:
        """Append new vectors and write both files atomically (temp file + rename)."""
        if not self._new:
            return
        keys = list(self._rows) + list(self._new)
        matrix = np.vstack([self._matrix, np.stack(list(self._new.values()))]).astype(np.float32)
        self._npy.parent.mkdir(parents=True, exist_ok=True)
        tmp_npy, tmp_keys = self._npy.with_suffix(".tmp.npy"), self._keys_path.with_suffix(".tmp")
        np.save(tmp_npy, matrix, allow_pickle=False)
        tmp_keys.write_text(json.dumps(keys), encoding="utf-8")
        os.replace(tmp_npy, self._npy)
        os.replace(tmp_keys, self._keys_path)
        self._rows, self._matrix, self._new = {k: i for i, k in enumerate(keys)}, matrix, {}
