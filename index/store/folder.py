"""The index folder: builds written aside, switched in atomically, described by a manifest.

Layout of an index root::

    CURRENT                 name of the build that serves searches (replaced atomically)
    builds/<name>/          manifest.json, parts/<part>/ (items and vectors), keyword/, vectors.json
    cache/                  embedding cache, shared by builds

A process killed mid-build leaves CURRENT pointing at the previous, complete build.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from index.errors import IndexCorrupt, IndexMissing

FORMAT_VERSION = 2  # 2: items and vectors stored as parts
MANIFEST = "manifest.json"


class IndexStore:
    """Owns an index root folder: where builds go and which one is current."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.builds = self.root / "builds"
        self.cache_dir = self.root / "cache"

    def current(self) -> Path | None:
        """Folder of the serving build, or None when nothing was built yet."""
        try:
            name = (self.root / "CURRENT").read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        folder = self.builds / name
        if not name or not folder.is_dir():
            raise IndexCorrupt(f"{self.root}: CURRENT names a missing build '{name}'; run 'bulletins build --rebuild'")
        return folder

    def require_current(self) -> Path:
        folder = self.current()
        if folder is None:
            raise IndexMissing(f"no index at {self.root}; build it with 'bulletins build --index {self.root}'")
        return folder

    def read_manifest(self, folder: Path | None = None) -> dict:
        folder = folder or self.require_current()
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise IndexCorrupt(f"{folder}: unreadable manifest ({exc}); run 'bulletins build --rebuild'") from exc
        version = manifest.get("format_version")
        if isinstance(version, int) and version < FORMAT_VERSION:
            raise IndexCorrupt(f"{folder}: the index was written by an older version (format {version}, now "
                               f"{FORMAT_VERSION}); run 'bulletins build' to build it again")
        if version != FORMAT_VERSION:
            raise IndexCorrupt(f"{folder}: index format {version} is not "
                               f"{FORMAT_VERSION}; run 'bulletins build --rebuild'")
        return manifest

    def outdated(self) -> bool:
        """True when the serving build was written in an older index format (a build replaces it)."""
        folder = self.current()
        if folder is None:
            return False
        try:
            stat = (folder / MANIFEST).stat()
        except OSError:
            return False  # damaged, not old: read_manifest says so
        version = _format_version(folder, stat.st_mtime_ns, stat.st_size)
        return isinstance(version, int) and version < FORMAT_VERSION

    def new_build(self) -> Path:
        """A fresh, empty folder to build into (invisible to searchers until committed)."""
        name = time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
        folder = self.builds / f".tmp-{name}"
        folder.mkdir(parents=True)
        return folder

    def commit(self, tmp: Path) -> Path:
        """Make a finished build current: rename it, then atomically replace CURRENT."""
        final = tmp.with_name(tmp.name.removeprefix(".tmp-"))
        previous = self.current()
        _fsync_tree(tmp)
        tmp.rename(final)
        pointer = self.root / f".CURRENT.{uuid.uuid4().hex[:6]}"
        pointer.write_text(final.name + "\n", encoding="utf-8")
        _fsync_file(pointer)
        os.replace(pointer, self.root / "CURRENT")
        self.prune(keep={final, previous})
        return final

    def prune(self, keep: set[Path | None]) -> None:
        """Remove builds not in ``keep`` (the new and the previous one, which a running app
        may still be reading) and leftovers of interrupted builds."""
        for folder in self.builds.iterdir():
            if folder not in keep and folder.is_dir():
                shutil.rmtree(folder, ignore_errors=True)
        for stale in self.root.glob(".CURRENT.*"):
            stale.unlink(missing_ok=True)

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Exclusive lock for writers (CLI build, app uploads); readers never wait."""
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / ".lock").open("w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


@functools.lru_cache(maxsize=16)
def _format_version(folder: Path, mtime_ns: int, size: int) -> object:
    """The format a build folder was written in, read once per manifest version (the app asks on every page
    run; a large archive's manifest is big). None when the manifest is unreadable: damaged, not old."""
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8")).get("format_version")
    except (OSError, ValueError):
        return None


def _fsync_file(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            _fsync_file(path)
