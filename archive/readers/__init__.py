"""One reader per file format, each declaring its suffixes as a :class:`Format` (``FORMAT`` in its module), listed
once in :data:`_READERS`: what a build reads, what an upload accepts and the error naming the supported types are
all made from it.

Documents (text, PDF, DOCX) are read to text and turned into items by the layout parser (:mod:`.document`); web
pages by :mod:`archive.readers.html` (a page is one news item, a bulletin issue, or a bilingual pair); structured
item files (``.jsonl``, ``.csv``) by :mod:`archive.readers.structured`. A sidecar ``NAME.meta.toml`` is read by
:mod:`archive.readers.sidecar`.
"""

from __future__ import annotations

from pathlib import Path

from archive.readers.docx import FORMAT as DOCX
from archive.readers.extracted import Extracted
from archive.readers.formats import Format
from archive.readers.html import FORMAT as HTML
from archive.readers.pdf.reader import FORMAT as PDF
from archive.readers.structured import FORMAT as STRUCTURED
from archive.readers.text import FORMAT as TEXT
from archive.readers.text import MAX_BYTES, decode, read_bytes

_READERS: tuple[Format, ...] = (TEXT, PDF, HTML, DOCX, STRUCTURED)

FORMATS: dict[str, Format] = {suffix: f for f in _READERS for suffix in f.suffixes}  # suffix -> its format
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(FORMATS)


def format_of(path: Path) -> Format | None:
    """The format a file's suffix names, None when no reader reads it."""
    return FORMATS.get(path.suffix.lower())


__all__ = ["FORMATS", "MAX_BYTES", "SUPPORTED_SUFFIXES", "Extracted", "Format", "decode", "format_of", "read_bytes"]
