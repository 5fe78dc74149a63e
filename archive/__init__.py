"""Bulletin documents -> typed items. Knows nothing of search or UI.

Public API: :func:`read` (one file), :func:`read_dir` (a folder), :func:`read_many` (files and
folders), :class:`DirResult`, ``SUPPORTED_SUFFIXES``, the records :class:`Bulletin`, :class:`Item`,
:class:`ParsedFile`, and the error family rooted at :class:`ArchiveError`. Near-duplicates:
:func:`mark_duplicates` (all files), :func:`mark_appended` (added files against a saved
:class:`DedupeState`, which raises :class:`DedupeStateError` when it cannot be loaded).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# Each name is imported from its module on first use (PEP 562): a searcher, which needs only the records,
# does not load the PDF, HTML and layout readers nor the near-duplicate code.
_HOMES = {
    **dict.fromkeys(("SUPPORTED_SUFFIXES", "DirResult", "assign_bulletin_ids", "discover", "pdf_layout", "read",
                     "read_dir", "read_many"), "archive.api"),
    **dict.fromkeys(("DedupeState", "DedupeStateError", "mark_appended", "mark_duplicates"), "archive.dedupe"),
    **dict.fromkeys(("ArchiveError", "BadRecord", "UnreadableFile", "UnsupportedFile"), "archive.errors"),
    "parse_text": "archive.layout.parse",
    **dict.fromkeys(("KINDS", "Bulletin", "Item", "ParsedFile"), "archive.model"),
    "parser_fingerprint": "archive.version",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'archive' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])


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
