"""Bulletin documents -> typed items. Knows nothing of search or UI.

Public API: :func:`read` (one file), :func:`read_dir` (a folder), :func:`read_many` (files and
folders), :class:`DirResult`, ``SUPPORTED_SUFFIXES``, the records :class:`Bulletin`, :class:`Item`,
:class:`ParsedFile`, and the error family rooted at :class:`ArchiveError`. Near-duplicates:
:func:`mark_duplicates` (all files), :func:`mark_appended` (added files against a saved
:class:`DedupeState`, which raises :class:`DedupeStateError` when it cannot be loaded).
"""

from archive.api import (
    SUPPORTED_SUFFIXES,
    DirResult,
    assign_bulletin_ids,
    discover,
    pdf_layout,
    read,
    read_dir,
    read_many,
)
from archive.dedupe import DedupeState, DedupeStateError, mark_appended, mark_duplicates
from archive.errors import ArchiveError, BadRecord, UnreadableFile, UnsupportedFile
from archive.layout.parse import parse_text
from archive.model import KINDS, Bulletin, Item, ParsedFile
from archive.version import parser_fingerprint

__all__ = [
    "KINDS",
    "SUPPORTED_SUFFIXES",
    "ArchiveError",
    "BadRecord",
    "Bulletin",
    "DedupeState",
    "DedupeStateError",
    "DirResult",
    "Item",
    "ParsedFile",
    "UnreadableFile",
    "UnsupportedFile",
    "assign_bulletin_ids",
    "discover",
    "mark_appended",
    "mark_duplicates",
    "parser_fingerprint",
    "pdf_layout",
    "parse_text",
    "read",
    "read_dir",
    "read_many",
]
