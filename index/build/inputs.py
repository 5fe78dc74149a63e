"""The data folder as a build sees it: every bulletin file with its hash, stat key and bulletin id."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import archive
from archive.readers.sidecar import sidecar_path


@dataclass(frozen=True)
class Inputs:
    """The data folder as the build sees it: per file (relative path) its hash, stat key and bulletin id."""

    hashes: dict[str, str]
    stats: dict[str, list[int]]
    bulletin_ids: dict[str, str]
    paths: dict[str, Path]


def scan(data_dir: Path, known: dict | None = None) -> Inputs:
    """Hash every bulletin file (with its sidecar); a file whose size and mtime match ``known`` (a previous
    manifest) keeps its recorded hash."""
    paths = archive.discover(data_dir)
    old_hashes, old_stats = (known or {}).get("files", {}), (known or {}).get("stats", {})
    hashes, stats, ids, by_rel = {}, {}, {}, {}
    for path, bid in archive.assign_bulletin_ids(paths).items():
        rel = path.relative_to(data_dir).as_posix()
        sidecar = sidecar_path(path)
        stats[rel] = _stat_key(path) + (_stat_key(sidecar) if sidecar.is_file() else [])
        if rel in old_hashes and old_stats.get(rel) == stats[rel]:
            hashes[rel] = old_hashes[rel]
        else:
            digest = hashlib.sha256(path.read_bytes())
            if sidecar.is_file():
                digest.update(sidecar.read_bytes())
            hashes[rel] = digest.hexdigest()
        ids[rel], by_rel[rel] = bid, path
    return Inputs(hashes, stats, ids, by_rel)


def _stat_key(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]
