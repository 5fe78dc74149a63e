"""The one place an engine is chosen: by where the index lives.

A folder is the local engine (whoosh + numpy, embedded). Engines that live elsewhere are named by a URL whose
scheme is registered in :data:`ENGINES`; every front end reaches an engine through :func:`open_archive`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from index.errors import IndexMissing, IndexProblem
from index.interface.records import BuildInfo, HybridConfig, Location
from index.local import location as local
from index.search.engine import Engine
from index.search.searcher import Searcher
from index.solr import engine as solr
from index.vectors.encoders import Encoder

if TYPE_CHECKING:
    from index.build.builder import BuildReport, Progress


@dataclass(frozen=True)
class EngineKind:
    """What the factory needs of one kind of engine, at a location: open its serving build (an
    :class:`~index.search.engine.Engine`), name that build, describe it without opening it, and build into it."""

    open: Callable[[Location], Engine]
    latest_build: Callable[[Location], str | None]
    describe: Callable[[Location], BuildInfo]
    build: Callable[..., BuildReport]


def _build_folder(data_dir: Path, location: Location, **options: object) -> BuildReport:
    from index.build.builder import (
        build as build_folder,  # the builder and the readers load when a build runs
    )

    return build_folder(data_dir, Path(location), **options)  # type: ignore[arg-type]


def _build_solr(data_dir: Path, location: Location, **options: object) -> BuildReport:
    from index.build.solr import build as build_solr

    return build_solr(data_dir, location, **options)  # type: ignore[arg-type]


LOCAL = EngineKind(local.open_engine, local.latest_build, local.describe, _build_folder)
SOLR = EngineKind(solr.SolrEngine.open, solr.latest_build, solr.describe, _build_solr)
ENGINES: dict[str, EngineKind] = {"": LOCAL, "solr": SOLR}  # URL scheme ('' for a folder) -> the engine there


def scheme(location: Location) -> str:
    """'' for a folder, else the URL scheme of an engine's address (``solr`` for ``solr://host/...``)."""
    text = str(location)
    head, sep, _ = text.partition("://")
    return head.lower() if sep and head.isalpha() else ""


def kind_of(location: Location) -> EngineKind:
    """The kind of engine that lives at ``location``. Raises IndexProblem for an address no engine serves."""
    kind = ENGINES.get(scheme(location))
    if kind is None:
        known = ", ".join(f"{k}://" for k in ENGINES if k)
        raise IndexProblem(f"{location}: no search engine serves '{scheme(location)}://' addresses in this "
                           f"version (an index folder{', or ' + known if known else ''})")
    return kind


def open_engine(location: Location) -> Engine:
    """The engine holding the index at ``location`` (its serving build). Raises IndexProblem."""
    return kind_of(location).open(location)


def open_archive(location: Location, encoder: Encoder | None = None, config: HybridConfig | None = None
                 ) -> Searcher:
    """The archive at ``location`` behind the search interface.

    Raises:
        IndexProblem: missing, damaged or mismatched index (plain-words message).
    """
    return Searcher(open_engine(location), encoder, config)


def latest_build(location: Location) -> str | None:
    """The name of the build now serving at ``location``; None when nothing was built there yet, or only in an
    older index format (a first-run build replaces it). Raises IndexCorrupt for a pointer to a missing build."""
    return kind_of(location).latest_build(location)


def describe(location: Location) -> BuildInfo:
    """The build serving at ``location``, described without opening it (``bulletins info``). Raises IndexProblem."""
    return kind_of(location).describe(location)


def model_of(location: Location) -> tuple[str, int]:
    """The embedding model of the build serving at ``location``, and its dimension, read before opening it (so
    that the model loads while the index opens)."""
    info = describe(location)
    return info.model, info.dim


def build(data_dir: Path, location: Location, **options: object) -> BuildReport:
    """Build or update the index at ``location`` from ``data_dir`` (options as :func:`index.build.builder.build`)."""
    return kind_of(location).build(data_dir, location, **options)


def ensure_built(location: Location, data_dir: Path, progress: Progress | None = None, model: str | None = None
                 ) -> BuildReport | None:
    """Build the index from ``data_dir`` if ``location`` has none (or only one in an older format); None when
    a current one exists. Concurrent first runs are safe: the builder holds the index lock, and a second build
    finds the first one's result up to date.

    Raises:
        IndexMissing: there is no index and no data folder to build it from.
    """
    if latest_build(location) is not None:
        return None
    if not data_dir.is_dir():
        raise IndexMissing(f"no index at {location}, and no data folder {data_dir} to build it from")
    return build(data_dir, location, model=model, progress=progress, wait_keyword=False)
