"""Deterministic stand-ins for unit tests (never the only test of a feature)."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence

import numpy as np

from index.vectors.encoders import normalise


class FakeEncoder:
    """Bag of hashed character bigrams: texts sharing bigrams get similar vectors. Counts what it encodes."""

    def __init__(self, name: str = "fake", dim: int = 64, delay: float = 0.0) -> None:
        self.name, self.dim, self.delay = name, dim, delay
        self.encoded: list[str] = []

    def encode(self, texts: Sequence[str], *, query: bool = False) -> np.ndarray:
        self.encoded.extend(texts)
        if self.delay:
            time.sleep(self.delay)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            lowered = text.lower()
            for a, b in zip(lowered, lowered[1:], strict=False):
                digest = hashlib.md5((a + b).encode()).digest()
                out[row, digest[0] % self.dim] += 1.0
        return normalise(out)
