"""The local engine's index folder as the factory (index/engines.py) reaches it: open its serving build, name
it, describe it without opening it (building into it is :mod:`index.build`'s)."""

from __future__ import annotations

from pathlib import Path

from index.interface.records import BuildInfo, Location
from index.local.engine import LocalEngine
from index.local.manifest import build_info
from index.store.folder import IndexStore


def open_engine(location: Location) -> LocalEngine:
    return LocalEngine.open(Path(location))


def latest_build(location: Location) -> str | None:
    """The serving build's name; None when nothing was built, or only in an older index format."""
    store = IndexStore(Path(location))
    folder = None if store.outdated() else store.current()
    return None if folder is None else folder.name


def describe(location: Location) -> BuildInfo:
    store = IndexStore(Path(location))
    folder = store.require_current()
    return build_info(folder, store.read_manifest(folder))
