"""Bulletin documents -> typed items. Knows nothing of search or UI."""

from archive.errors import ArchiveError, BadRecord, UnreadableFile, UnsupportedFile
from archive.model import KINDS, Bulletin, Item, ParsedFile

__all__ = ["KINDS", "ArchiveError", "BadRecord", "Bulletin", "Item", "ParsedFile", "UnreadableFile", "UnsupportedFile"]
