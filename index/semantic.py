"""The embedding index: a unit-vector matrix of item passages, saved as .npy + JSON metadata."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from archive.model import Item
from index.embed_cache import EmbeddingCache
from index.encoders import Encoder
from index.passages import Passage, item_passages, text_key
from index.store import IndexCorrupt, IndexMismatch
from index.vectors import search_items

VECTORS, META = "vectors.npy", "vectors.json"

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SemanticHit:
    row: int  # item row in the index's item table
    score: float
    passage: str  # the best-matching passage ("why this matched")


class VectorIndex:
    """Passages of all items (contiguous per item, items in table order) and their vectors."""

    def __init__(self, model: str, matrix: np.ndarray, starts: np.ndarray, passages: Sequence[Passage]) -> None:
        self.model, self.matrix, self.starts = model, matrix, starts
        self.passages = list(passages)
        self.dim = int(matrix.shape[1])

    @classmethod
    def build(
        cls, items: Sequence[Item], encoder: Encoder, cache: EmbeddingCache, progress: Progress | None = None
    ) -> VectorIndex:
        """Embed every item's passages, encoding only texts the cache does not hold."""
        passages, starts = [], []
        for item in items:
            starts.append(len(passages))
            passages.extend(item_passages(item))
        keys = [text_key(p.text) for p in passages]
        _encode_missing(passages, keys, encoder, cache, progress)
        matrix = np.stack([cache.get(k) for k in keys]) if keys else np.zeros((0, encoder.dim), np.float32)
        return cls(encoder.name, matrix.astype(np.float32), np.array(starts, dtype=np.int64), passages)

    def search(self, query_vector: np.ndarray, k: int, mask: np.ndarray | None = None) -> list[SemanticHit]:
        if self.matrix.shape[0] == 0:
            return []
        top = search_items(self.matrix, self.starts, query_vector, k, mask)
        return [SemanticHit(int(r), float(s), self.passages[p].text)
                for r, s, p in zip(top.rows, top.scores, top.passages, strict=True)]

    def item_vector(self, row: int) -> np.ndarray:
        """Mean of an item's passage vectors, re-normalised (for 'similar items')."""
        end = self.starts[row + 1] if row + 1 < len(self.starts) else self.matrix.shape[0]
        mean = self.matrix[self.starts[row] : end].mean(axis=0)
        return mean / (np.linalg.norm(mean) or 1.0)

    def save(self, folder: Path) -> None:
        np.save(folder / VECTORS, self.matrix, allow_pickle=False)
        meta = {
            "model": self.model, "dim": self.dim, "items": len(self.starts), "passages": len(self.passages),
            "starts": self.starts.tolist(), "passage_items": [p.item_id for p in self.passages],
            "passage_texts": [p.text for p in self.passages],
        }
        (folder / META).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path, expected_model: str | None = None, mmap: bool = False) -> VectorIndex:
        try:
            meta = json.loads((folder / META).read_text(encoding="utf-8"))
            matrix = np.load(folder / VECTORS, allow_pickle=False, mmap_mode="r" if mmap else None)
        except (OSError, ValueError) as exc:
            raise IndexCorrupt(f"{folder}: vectors unreadable ({exc}); run 'bulletins build --rebuild'") from exc
        if expected_model and meta["model"] != expected_model:
            raise IndexMismatch(
                f"{folder}: the index was built with model '{meta['model']}', not '{expected_model}'; "
                f"rebuild with 'bulletins build --rebuild --model {expected_model}'")
        if matrix.shape != (meta["passages"], meta["dim"]) or len(meta["starts"]) != meta["items"]:
            raise IndexCorrupt(f"{folder}: vectors {matrix.shape} do not match their metadata; "
                               "run 'bulletins build --rebuild'")
        passages = [Passage(i, t) for i, t in zip(meta["passage_items"], meta["passage_texts"], strict=True)]
        return cls(meta["model"], matrix, np.array(meta["starts"], dtype=np.int64), passages)


def _encode_missing(
    passages: list[Passage], keys: list[str], encoder: Encoder, cache: EmbeddingCache,
    progress: Progress | None, batch: int = 256,
) -> None:
    todo: dict[str, str] = {}
    for key, passage in zip(keys, passages, strict=True):
        if key not in cache and key not in todo:
            todo[key] = passage.text
    pending = list(todo.items())
    for start in range(0, len(pending), batch):
        chunk = pending[start : start + batch]
        cache.put([k for k, _ in chunk], encoder.encode([t for _, t in chunk]))
        if progress:
            progress(min(start + batch, len(pending)), len(pending))
