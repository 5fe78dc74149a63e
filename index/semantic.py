"""The embedding index: a unit-vector matrix of item passages, saved as .npy + JSON metadata.

Below ``QUANTIZE_FROM`` passages a query scans the float32 matrix exactly (held in memory; the reference).
From there on the build also writes a quantized copy (index/quantized.py: binary codes and int8) and a query
rescores its finalists exactly from vectors.npy on disk, so the float32 matrix is never loaded. vectors.json
records which method a build uses and its parameters; a method this version does not know is a clear error.
Passage texts live in a UTF-8 blob read on demand (vectors.texts.npy + vectors.text_offsets.npy).
"""

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
from index.quantized import METHOD as QUANTIZED
from index.quantized import FloatRows, QuantizedParams, QuantizedVectors
from index.store import IndexCorrupt, IndexMismatch
from index.vectors import search_items

VECTORS, META = "vectors.npy", "vectors.json"
TEXTS, TEXT_OFFSETS = "vectors.texts.npy", "vectors.text_offsets.npy"
EXACT = "exact"
QUANTIZE_FROM = 65_536  # passages (~16k items): from here on builds are quantized (method "auto"; the
# quantized search costs ~12 ms from the start, the exact scan ~0.25 ms per 1k passages: even at ~50k)

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SemanticHit:
    row: int  # item row in the index's item table
    score: float
    passage: str  # the best-matching passage ("why this matched")


class PassageTexts:
    """Passage texts in one UTF-8 blob (memory-mapped) with offsets: decoded only when shown."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray) -> None:
        self.blob, self.offsets = blob, offsets

    @classmethod
    def from_texts(cls, texts: Sequence[str]) -> PassageTexts:
        encoded = [t.encode("utf-8") for t in texts]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(e) for e in encoded], out=offsets[1:])
        return cls(np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets)

    def __len__(self) -> int:
        return self.offsets.shape[0] - 1

    def __getitem__(self, row: int) -> str:
        return self.blob[self.offsets[row] : self.offsets[row + 1]].tobytes().decode("utf-8")


class VectorIndex:
    """Passages of all items (contiguous per item, items in table order) and their vectors.

    ``quantized`` is None for the exact scan, else the compressed index used above ``QUANTIZE_FROM``.
    """

    def __init__(self, model: str, matrix: np.ndarray, starts: np.ndarray, texts: Sequence[str],
                 quantized: QuantizedVectors | None = None, rows: FloatRows | None = None) -> None:
        self.model, self.matrix, self.starts = model, matrix, starts
        self.texts = texts
        self.dim = int(matrix.shape[1])
        self.quantized = quantized
        self.rows = rows or FloatRows(matrix)
        self.owner = np.repeat(np.arange(len(starts), dtype=np.int32), np.diff(np.append(starts, len(texts))))

    @property
    def method(self) -> str:
        return EXACT if self.quantized is None else QUANTIZED

    @classmethod
    def build(
        cls, items: Sequence[Item], encoder: Encoder, cache: EmbeddingCache, progress: Progress | None = None,
        method: str = "auto", params: QuantizedParams | None = None,
    ) -> VectorIndex:
        """Embed every item's passages, encoding only texts the cache does not hold.

        ``method``: "exact", "binary-int8", or "auto" (quantized from ``QUANTIZE_FROM`` passages on).
        """
        passages, starts = [], []
        for item in items:
            starts.append(len(passages))
            passages.extend(item_passages(item))
        keys = [text_key(p.text) for p in passages]
        _encode_missing(passages, keys, encoder, cache, progress)
        matrix = np.stack([cache.get(k) for k in keys]) if keys else np.zeros((0, encoder.dim), np.float32)
        return cls.from_matrix(encoder.name, matrix.astype(np.float32, copy=False), np.array(starts, np.int64),
                               [p.text for p in passages], method, params)

    @classmethod
    def from_matrix(cls, model: str, matrix: np.ndarray, starts: np.ndarray, texts: Sequence[str],
                    method: str = "auto", params: QuantizedParams | None = None) -> VectorIndex:
        if method == "auto":
            method = QUANTIZED if matrix.shape[0] >= QUANTIZE_FROM else EXACT
        if method not in (EXACT, QUANTIZED):
            raise ValueError(f"unknown vector search method '{method}': use auto, {EXACT} or {QUANTIZED}")
        quantized = QuantizedVectors.build(matrix, params) if method == QUANTIZED else None
        return cls(model, matrix, starts, texts, quantized)

    def search(self, query_vector: np.ndarray, k: int, mask: np.ndarray | None = None) -> list[SemanticHit]:
        if self.matrix.shape[0] == 0:
            return []
        query = np.asarray(query_vector, dtype=np.float32)
        if self.quantized is None:
            top = search_items(self.matrix, self.starts, query, k, mask)
        else:
            top = self.quantized.search(self.rows, self.starts, self.owner, query, k, mask)
        return [SemanticHit(int(r), float(s), self.texts[int(p)])
                for r, s, p in zip(top.rows, top.scores, top.passages, strict=True)]

    def item_vector(self, row: int) -> np.ndarray:
        """Mean of an item's passage vectors, re-normalised (for 'similar items')."""
        end = self.starts[row + 1] if row + 1 < len(self.starts) else self.matrix.shape[0]
        mean = self.rows.read(self.starts[row : row + 1], np.array([end])).mean(axis=0)
        return mean / (np.linalg.norm(mean) or 1.0)

    def save(self, folder: Path) -> None:
        np.save(folder / VECTORS, self.matrix, allow_pickle=False)
        texts = self.texts if isinstance(self.texts, PassageTexts) else PassageTexts.from_texts(self.texts)
        np.save(folder / TEXTS, texts.blob, allow_pickle=False)
        np.save(folder / TEXT_OFFSETS, texts.offsets, allow_pickle=False)
        search = {"method": EXACT} if self.quantized is None else self.quantized.save(folder)
        meta = {
            "model": self.model, "dim": self.dim, "items": len(self.starts), "passages": len(self.texts),
            "starts": self.starts.tolist(), "search": search,
        }
        (folder / META).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path, expected_model: str | None = None, mmap: bool = False) -> VectorIndex:
        """Read a saved index; a quantized one keeps the float32 matrix on disk (``mmap`` is then implied)."""
        try:
            meta = json.loads((folder / META).read_text(encoding="utf-8"))
            search = meta.get("search", {"method": EXACT})
            on_disk = mmap or search["method"] != EXACT
            matrix = np.load(folder / VECTORS, allow_pickle=False, mmap_mode="r" if on_disk else None)
            texts = _load_texts(folder, meta)
        except (OSError, ValueError, KeyError) as exc:
            raise IndexCorrupt(f"{folder}: vectors unreadable ({exc}); run 'bulletins build --rebuild'") from exc
        if expected_model and meta["model"] != expected_model:
            raise IndexMismatch(
                f"{folder}: the index was built with model '{meta['model']}', not '{expected_model}'; "
                f"rebuild with 'bulletins build --rebuild --model {expected_model}'")
        if matrix.shape != (meta["passages"], meta["dim"]) or len(meta["starts"]) != meta["items"] \
                or len(texts) != meta["passages"]:
            raise IndexCorrupt(f"{folder}: vectors {matrix.shape} do not match their metadata; "
                               "run 'bulletins build --rebuild'")
        starts = np.array(meta["starts"], dtype=np.int64)
        if search["method"] == EXACT:
            return cls(meta["model"], matrix, starts, texts)
        return cls(meta["model"], matrix, starts, texts, _load_quantized(folder, search, matrix.shape),
                   FloatRows(matrix, folder / VECTORS))


def _load_texts(folder: Path, meta: dict) -> Sequence[str]:
    if "passage_texts" in meta:  # builds before the text blob
        return meta["passage_texts"]
    return PassageTexts(np.load(folder / TEXTS, allow_pickle=False, mmap_mode="r"),
                        np.load(folder / TEXT_OFFSETS, allow_pickle=False))


def _load_quantized(folder: Path, search: dict, shape: tuple[int, int]) -> QuantizedVectors:
    if search.get("method") != QUANTIZED or search.get("version") != QuantizedVectors.VERSION:
        raise IndexMismatch(
            f"{folder}: vectors use search method '{search.get('method')}' version {search.get('version')}, "
            f"which this version cannot read ({QUANTIZED} version {QuantizedVectors.VERSION}); "
            "run 'bulletins build --rebuild'")
    try:
        return QuantizedVectors.load(folder, search, *shape)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise IndexCorrupt(f"{folder}: quantized vectors unreadable ({exc}); run 'bulletins build --rebuild'") from exc


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
