"""The one place an engine is chosen: by where the index lives.

A folder is the local engine (whoosh + numpy, embedded). Engines that live elsewhere are named by a URL whose
scheme is registered in :data:`ENGINES`; every front end reaches an engine through :func:`open_archive`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from index.errors import IndexMissing, IndexProblem
from index.interface.records import BuildInfo, HybridConfig, Location
from index.local.engine import LocalEngine
from index.local.manifest import build_info
from index.search.engine import Engine
from index.search.searcher import Searcher
from index.store.folder import IndexStore
from index.vectors.encoders import Encoder

if TYPE_CHECKING:  # the builder (and the archive's readers) load only when a build runs
    from index.build.builder import BuildReport, Progress



def _local(location: Location) -> Engine:
    return LocalEngine.open(Path(location))


ENGINES: dict[str, Callable[[Location], Engine]] = {"": _local}  # URL scheme ('' for a folder) -> opener


def scheme(location: Location) -> str:
    """'' for a folder, else the URL scheme of an engine's address (``solr`` for ``solr://host/...``)."""
    text = str(location)
    head, sep, _ = text.partition("://")
    return head.lower() if sep and head.isalpha() else ""


def open_engine(location: Location) -> Engine:
    """The engine holding the index at ``location`` (its current build).

    Raises:
        IndexProblem: nothing usable there, or no engine for that kind of address.
    """
    kind = scheme(location)
    opener = ENGINES.get(kind)
    if opener is None:
        raise IndexProblem(f"{location}: no search engine for '{kind}://' addresses in this version "
                           f"(known: a folder{''.join(', ' + k + '://' for k in ENGINES if k)})")
    return opener(location)


def open_archive(location: Location, encoder: Encoder | None = None, config: HybridConfig | None = None
                 ) -> Searcher:
    """The archive at ``location`` behind the search interface.

    Raises:
        IndexProblem: missing, damaged or mismatched index (plain-words message).
    """
    return Searcher(open_engine(location), encoder, config)


def latest_build(location: Location) -> str | None:
    """The name of the build now serving at ``location``; None when nothing was built there yet, or only in an
    older index format (a first-run build replaces it).

    Raises:
        IndexCorrupt: the location names a build that does not exist.
    """
    _local_only(location)
    store = IndexStore(Path(location))
    folder = None if store.outdated() else store.current()
    return None if folder is None else folder.name


def model_of(location: Location) -> tuple[str, int]:
    """The embedding model of the build serving at ``location``, and its dimension, read before opening it (so
    that the model loads while the index opens)."""
    _local_only(location)
    manifest = IndexStore(Path(location)).read_manifest()
    return manifest["model"], int(manifest.get("dim", 0))


def describe(location: Location) -> BuildInfo:
    """The build serving at ``location``, described without opening it (``bulletins info``).

    Raises:
        IndexProblem: nothing usable there.
    """
    _local_only(location)
    store = IndexStore(Path(location))
    folder = store.require_current()
    return build_info(folder, store.read_manifest(folder))


def build(data_dir: Path, location: Location, **options: object) -> BuildReport:
    """Build or update the index at ``location`` from ``data_dir`` (see :func:`index.build.builder.build`)."""
    _local_only(location)
    from index.build.builder import build as build_local

    return build_local(data_dir, Path(location), **options)  # type: ignore[arg-type]


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


def _local_only(location: Location) -> None:
    if scheme(location):
        raise IndexProblem(f"{location}: building and managing builds is available for index folders only")
