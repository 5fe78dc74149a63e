"""The archive's exception family: every error names the file and the reason."""

from __future__ import annotations


class ArchiveError(Exception):
    """A file could not be turned into items."""

    def __init__(self, path: str, reason: str, line: int | None = None) -> None:
        self.path = str(path)
        self.reason = reason
        self.line = line
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {reason}")


class UnsupportedFile(ArchiveError):
    """The file type is not one the archive reads."""


class UnreadableFile(ArchiveError):
    """The file exists but cannot be decoded (binary, truncated, too big, empty)."""


class BadRecord(ArchiveError):
    """A row of a structured item file (.jsonl/.csv) is malformed."""
