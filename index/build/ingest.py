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
from index.build import audit
from index.build.builder import BuildReport, Progress, build
from index.errors import IndexProblem
from index.store.folder import IndexStore
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


def _refusal(upload: Upload, data_dir: Path, held: set[str], indexed: set[str] | None) -> Preview | None:
    reason = check_name(upload.name)
    if reason:
        return Preview(upload.name, "rejected", reason)
    target = data_dir / upload.name
    interrupted = indexed is not None and upload.name not in indexed and not upload.name.endswith(SIDECAR_SUFFIX)
    if target.is_file() and target.read_bytes() == upload.data and not interrupted:
        return Preview(upload.name, "unchanged", "this file is already in the archive; nothing to do")
    if _digest(upload.data) in held:
        return Preview(upload.name, "unchanged", "the archive already holds this file under another name")
    if len(upload.data) > MAX_UPLOAD_BYTES:
        limit = MAX_UPLOAD_BYTES / (1024 * 1024)
        return Preview(upload.name, "rejected", f"file is larger than the {limit:g} MB limit")
    return None


def index_folder(index_root: Path | str) -> Path:
    """The index folder uploads update; an engine living elsewhere (``scheme://…``) is refused in plain words."""
    if "://" in str(index_root):
        raise IndexProblem(f"{index_root}: uploads update an index folder; for this index, copy the file into the "
                           f"data folder and run 'bulletins build --index {index_root}' (or serve with --watch)")
    return Path(index_root)


def _indexed(index_root: Path | str | None) -> set[str] | None:
    """Names of the files the index's current build holds (None: not asked; empty: no usable index)."""
    if index_root is None:
        return None
    index_root = index_folder(index_root)
    try:
        return set(IndexStore(index_root).read_manifest().get("files", {}))
    except IndexProblem:
        return set()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def preview(uploads: Sequence[Upload], data_dir: Path, index_root: Path | str | None = None) -> list[Preview]:
    """Parse uploads in a scratch folder (sidecars applied) and say what committing would do.

    Args:
        uploads: The uploaded files.
        data_dir: The bulletins folder they would be written into.
        index_root: The index folder, if known: a file already in the data folder that the index does not
            hold (an upload interrupted before its build finished) is then indexed again, not refused as
            unchanged.
    """
    previews: dict[str, Preview] = {}
    indexed = _indexed(index_root)  # IndexProblem for an index that is not a folder
    held = {_digest(p.read_bytes()) for p in archive.discover(data_dir)
            if indexed is None or p.relative_to(data_dir).as_posix() in indexed} if data_dir.is_dir() else set()
    with tempfile.TemporaryDirectory(prefix="bulletins-upload-") as scratch:
        for up in uploads:
            refusal = _refusal(up, data_dir, held, indexed)
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


def commit(uploads: Sequence[Upload], previews: Sequence[Preview], data_dir: Path, index_root: Path | str,
           progress: Progress | None = None, encoder: Encoder | None = None, *, actor: str = "admin page"
           ) -> BuildReport | None:
    """Write the writable uploads into the data folder (atomically, each) and update the index.

    Every upload is recorded in the index's audit log (:mod:`index.build.audit`) with ``actor``: the
    written ones as ``added`` (or ``error`` if the build fails), the others with their preview's status.

    Args:
        uploads: The uploaded files.
        previews: Their previews (from :func:`preview`), in the same order.
        data_dir: The bulletins folder the files are written into.
        index_root: The index folder to update.
        progress: Build progress callback.
        encoder: The model to embed with, e.g. the one the app already holds (default: the index's own).
        actor: Who is adding the files (an API key's name, the admin page's user), for the audit log.

    Returns:
        The build's report, or None when nothing was writable.
    """
    index_root = index_folder(index_root)
    pairs = list(zip(uploads, previews, strict=True))
    for up, p in pairs:
        if not p.writable:
            audit.record(index_root, actor, up.name, up.data, p.status, reason=p.reason)
    chosen = [(u, p) for u, p in pairs if p.writable]
    if not chosen:
        return None
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        for up, _ in chosen:
            tmp = data_dir / f".{up.name}.part"
            tmp.write_bytes(up.data)
            os.replace(tmp, data_dir / up.name)
        report = build(data_dir, index_root, progress=progress, encoder=encoder, wait_keyword=False)
    except Exception as exc:
        for up, _ in chosen:
            audit.record(index_root, actor, up.name, up.data, "error", reason=f"{type(exc).__name__}: {exc}")
        raise
    for up, p in chosen:
        audit.record(index_root, actor, up.name, up.data, "added", items=len(p.items),
                     bulletin=p.bulletin.id if p.bulletin else "")
    return report
