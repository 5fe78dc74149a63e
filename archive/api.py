"""The public reading API: one file, a folder, or a list of files and folders."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from archive.dedupe.marking import mark_duplicates
from archive.errors import ArchiveError, UnreadableFile, UnsupportedFile
from archive.ids import bulletin_id
from archive.model import Item, ParsedFile
from archive.readers import MAX_BYTES, SUPPORTED_SUFFIXES, format_of, read_bytes
from archive.readers.pdf.reader import LineView, debug_layout
from archive.readers.sidecar import is_sidecar, read_sidecar

log = logging.getLogger(__name__)



@dataclass(frozen=True)
class DirResult:
    """What reading many files yields: the files read and the errors of those that failed."""

    files: tuple[ParsedFile, ...] = ()
    errors: tuple[ArchiveError, ...] = ()

    @property
    def items(self) -> tuple[Item, ...]:
        """All items of all files, file by file."""
        return tuple(it for f in self.files for it in f.items)


def _read(path: Path, bid: str, max_bytes: int) -> ParsedFile:
    if is_sidecar(path):
        raise UnsupportedFile(str(path), "is a metadata sidecar, not a bulletin")
    fmt = format_of(path)
    if fmt is None:
        suffix = path.suffix.lower() or "(none)"
        raise UnsupportedFile(str(path), f"unsupported file type {suffix}; supported: {' '.join(SUPPORTED_SUFFIXES)}")
    if not path.is_file():
        raise UnreadableFile(str(path), "no such file" if not path.exists() else "not a regular file")
    return fmt.read(path, read_bytes(path, max_bytes), bid, read_sidecar(path))


def read(path: str | Path, *, max_bytes: int = MAX_BYTES, bulletin: str | None = None) -> ParsedFile:
    """Read one bulletin file into its bulletin record and items.

    Args:
        path: A file with one of ``SUPPORTED_SUFFIXES``.
        max_bytes: Largest accepted file size (50 MB).
        bulletin: Bulletin id to use instead of the slug of the file stem.

    Returns:
        The parsed file.

    Raises:
        ArchiveError: A subclass naming the file and the reason; never any other exception.
    """
    path = Path(path)
    try:
        return _read(path, bulletin or bulletin_id(path), max_bytes)
    except ArchiveError:
        raise
    except RecursionError as exc:
        raise UnreadableFile(str(path), "document is nested too deeply to read") from exc
    except Exception as exc:  # the promise: ArchiveError only, whatever a library raises
        log.debug("unexpected error reading %s", path, exc_info=True)
        raise UnreadableFile(str(path), f"unexpected error ({type(exc).__name__}: {exc})") from exc


def discover(folder: Path) -> list[Path]:
    """Supported, non-sidecar files under ``folder`` (recursively), sorted by relative path."""
    found = [p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES]
    return sorted((p for p in found if not is_sidecar(p) and not p.name.startswith(".")),
                  key=lambda p: p.relative_to(folder).as_posix())


def _expand(paths: Iterable[str | Path]) -> tuple[list[Path], list[ArchiveError]]:
    files: list[Path] = []
    errors: list[ArchiveError] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files.extend(discover(p))
        elif p.exists() or p.suffix:
            files.append(p)
        else:
            errors.append(UnreadableFile(str(p), "no such file or folder"))
    return list(dict.fromkeys(files)), errors


def read_many(paths: Iterable[str | Path], *, max_bytes: int = MAX_BYTES) -> DirResult:
    """Read files and folders; failures (and skipped bad records) go to ``errors``, the rest is still read.

    Args:
        paths: Files and/or folders (folders are read recursively).
        max_bytes: Largest accepted file size.

    Returns:
        Parsed files in the given order (folders sorted), near-duplicates marked across files.
    """
    files, errors = _expand(paths)
    parsed: list[ParsedFile] = []
    for path, bid in assign_bulletin_ids(files).items():
        try:
            parsed.append(read(path, max_bytes=max_bytes, bulletin=bid))
            errors.extend(parsed[-1].problems)
        except ArchiveError as exc:
            log.debug("skipped %s", exc)
            errors.append(exc)
    return DirResult(tuple(mark_duplicates(parsed)), tuple(errors))


def assign_bulletin_ids(paths: Iterable[Path]) -> dict[Path, str]:
    """Bulletin id of each file, unique across them; depends only on the paths and their order."""
    used: set[str] = set()
    return {path: _unique_bulletin_id(path, used) for path in paths}


def _unique_bulletin_id(path: Path, used: set[str]) -> str:
    """Slug of the stem; ``-pdf``-style suffixes keep two files with one stem apart."""
    bid = bulletin_id(path)
    if bid in used:
        bid = f"{bid}-{path.suffix.lstrip('.').lower()}"
    n = 2
    base = bid
    while bid in used:
        bid, n = f"{base}-{n}", n + 1
    used.add(bid)
    return bid


def pdf_layout(path: str | Path, *, max_bytes: int = MAX_BYTES) -> list[LineView]:
    """Every line of a PDF with what the reader decided about it (header, heading, body, column...).

    Raises:
        ArchiveError: Not a PDF, or unreadable (named with the reason).
    """
    path = Path(path)
    if path.suffix.lower() != ".pdf":
        raise UnsupportedFile(str(path), "the layout view is for PDF files")
    return debug_layout(read_bytes(path, max_bytes), str(path))


def read_dir(folder: str | Path, *, max_bytes: int = MAX_BYTES) -> DirResult:
    """Read every supported file under ``folder`` (recursively, sorted, sidecars skipped).

    Args:
        folder: The folder to read.
        max_bytes: Largest accepted file size.

    Returns:
        Files read and errors; a missing folder is reported as an error.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return DirResult((), (UnreadableFile(str(folder), "no such folder"),))
    return read_many([folder], max_bytes=max_bytes)
