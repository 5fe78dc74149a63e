"""A file format as a reader declares it: its name, its suffixes, and how it turns a file into a bulletin's items.

Every reader module declares its ``FORMAT``; ``archive/readers/__init__.py`` lists them in one registry, from which
every list of supported suffixes is made (what a build reads, what an upload accepts, the error naming them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from archive.model import Meta, ParsedFile

# (path, the file's bytes, its bulletin id, its sidecar's metadata) -> the bulletin and its items
Read = Callable[[Path, bytes, str, Meta], ParsedFile]


@dataclass(frozen=True)
class Format:
    """A file format.

    Attributes:
        name: A short name (``pdf``).
        suffixes: The file name suffixes it reads, lower case with the dot (``.pdf``).
        read: Reads one file; raises :class:`~archive.errors.ArchiveError` naming the file and the reason.
    """

    name: str
    suffixes: tuple[str, ...]
    read: Read
