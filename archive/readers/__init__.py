"""One reader per file format: a document's bytes -> its text (:class:`Extracted`), for the layout parser.

Web pages are read into items by :mod:`archive.readers.html` (a page is one news item, a bulletin issue, or a
bilingual pair); structured item files (``.jsonl``, ``.csv``) are decoded as text here and turned into items by
:mod:`archive.readers.structured`; a sidecar ``NAME.meta.toml`` is read by :mod:`archive.readers.sidecar`.
A new document format is one module with a ``(data, path) -> str`` (or ``-> Extracted``) function, registered
in ``FORMATS`` below.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from archive.readers.docx import docx_text
from archive.readers.extracted import Extracted
from archive.readers.pdf.reader import pdf_extract
from archive.readers.text import MAX_BYTES, decode, read_bytes

# suffix -> (reader, how it was read); any other supported suffix is decoded as text.
FORMATS: dict[str, tuple[Callable[[bytes, str], str | Extracted], str]] = {
    ".pdf": (pdf_extract, "read as PDF"),
    ".docx": (docx_text, "read as DOCX"),
}


def text_of(path: Path, data: bytes) -> Extracted:
    """Extracted text of a file, a note on how it was read, and the pages read by OCR.

    Raises:
        UnreadableFile: The bytes cannot be read as the suffix says.
    """
    reader = FORMATS.get(path.suffix.lower())
    if reader is not None:
        func, how = reader
        got = func(data, str(path))
        return got if isinstance(got, Extracted) else Extracted(got, how)
    text, codec = decode(data, str(path))
    return Extracted(text, f"decoded as {codec}")


__all__ = ["FORMATS", "MAX_BYTES", "Extracted", "decode", "read_bytes", "text_of"]
