"""Adding bulletins from outside (the app's admin upload): check, preview, then copy and index.

Nothing is written until ``commit``; a file that fails to parse is never written.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import archive
from archive.model import Bulletin, Item
from archive.readers.sidecar import SIDECAR_SUFFIX
from index.build.builder import BuildReport, Progress, build
from index.vectors.encoders import Encoder

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
_SAFE_NAME = re.compile(r"^[\w\u4e00-\u9fff][\w\u4e00-\u9fff .()（）-]*$")


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


@dataclass(frozen=True)
class Preview:
    """What an upload would do. status: new, replaces, unchanged, sidecar, rejected or failed."""

    name: str
    status: str
    reason: str = ""
    bulletin: Bulletin | None = None
    items: tuple[Item, ...] = ()

    @property
    def writable(self) -> bool:
        return self.status in ("new", "replaces", "sidecar")


def check_name(name: str) -> str:
    """'' if the name is a safe, supported file name; otherwise why it is refused."""
    if name != Path(name).name or name in (".", "..") or not _SAFE_NAME.match(name):
        return "the file name must be a plain name (letters, digits, . _ - space), no folders"
    if not (name.endswith(SIDECAR_SUFFIX) or Path(name).suffix.lower() in archive.SUPPORTED_SUFFIXES):
        return f"unsupported file type; use one of {', '.join(archive.SUPPORTED_SUFFIXES)} or {SIDECAR_SUFFIX}"
    return ""


def _refusal(upload: Upload, data_dir: Path, held: set[str]) -> Preview | None:
    reason = check_name(upload.name)
    if reason:
        return Preview(upload.name, "rejected", reason)
    target = data_dir / upload.name
    if target.is_file() and target.read_bytes() == upload.data:
        return Preview(upload.name, "unchanged", "this file is already in the archive; nothing to do")
    if _digest(upload.data) in held:
        return Preview(upload.name, "unchanged", "the archive already holds this file under another name")
    if len(upload.data) > MAX_UPLOAD_BYTES:
        limit = MAX_UPLOAD_BYTES / (1024 * 1024)
        return Preview(upload.name, "rejected", f"file is larger than the {limit:g} MB limit")
    return None


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def preview(uploads: Sequence[Upload], data_dir: Path) -> list[Preview]:
    """Parse uploads in a scratch folder (sidecars applied) and say what committing would do."""
    previews: dict[str, Preview] = {}
    held = {_digest(p.read_bytes()) for p in archive.discover(data_dir)} if data_dir.is_dir() else set()
    with tempfile.TemporaryDirectory(prefix="bulletins-upload-") as scratch:
        for up in uploads:
            refusal = _refusal(up, data_dir, held)
            if refusal:
                previews[up.name] = refusal
            else:
                (Path(scratch) / up.name).write_bytes(up.data)
        for up in uploads:
            if up.name not in previews:
                previews[up.name] = _parse_one(Path(scratch) / up.name, data_dir)
    return [previews[up.name] for up in uploads]


def _parse_one(path: Path, data_dir: Path) -> Preview:
    if path.name.endswith(SIDECAR_SUFFIX):
        return Preview(path.name, "sidecar", "metadata for the bulletin of the same name")
    try:
        parsed = archive.read(path)
    except archive.ArchiveError as exc:
        return Preview(path.name, "failed", exc.reason)
    status = "replaces" if (data_dir / path.name).exists() else "new"
    return Preview(path.name, status, "", parsed.bulletin, parsed.items)


def commit(uploads: Sequence[Upload], previews: Sequence[Preview], data_dir: Path, index_root: Path,
           progress: Progress | None = None, encoder: Encoder | None = None) -> BuildReport | None:
    """Write the writable uploads into the data folder (atomically, each) and update the index
    (with ``encoder`` if given, e.g. the model the app already holds, else the index's own model)."""
    chosen = [u for u, p in zip(uploads, previews, strict=True) if p.writable]
    if not chosen:
        return None
    data_dir.mkdir(parents=True, exist_ok=True)
    for up in chosen:
        tmp = data_dir / f".{up.name}.part"
        tmp.write_bytes(up.data)
        os.replace(tmp, data_dir / up.name)
    return build(data_dir, index_root, progress=progress, encoder=encoder)
