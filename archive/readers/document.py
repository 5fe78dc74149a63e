"""Documents: formats whose reader gives text (and how it was read), which the layout parser turns into items."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from archive.errors import UnreadableFile
from archive.layout.parse import parse_text
from archive.model import Meta, ParsedFile
from archive.readers.extracted import Extracted
from archive.readers.formats import Read
from archive.readers.sidecar import merge, split_front_matter

Extract = Callable[[bytes, str], "str | Extracted"]  # (the file's bytes, its path) -> its text


def document(extract: Extract, how: str, front_matter: bool = False) -> Read:
    """How a document format is read: its text by ``extract`` (noted as ``how`` unless the reader says more), then
    the layout parser; with ``front_matter``, a leading metadata block in the text counts as a sidecar."""

    def read(path: Path, data: bytes, bid: str, meta: Meta) -> ParsedFile:
        got = extract(data, str(path))
        got = got if isinstance(got, Extracted) else Extracted(got, how)
        text = got.text
        if front_matter:
            front, text = split_front_matter(text)
            meta = merge(meta, front)
        parsed = parse_text(text, bid, str(path), meta)
        if not parsed.items:
            raise UnreadableFile(str(path), "no bulletin items found in the text")
        bulletin = replace(parsed.bulletin, notes=(got.how, *got.notes, *parsed.bulletin.notes))
        # OCR is known per page, items are not: every item of a file with scanned pages carries the flag.
        items = tuple(replace(it, ocr=True) for it in parsed.items) if got.ocr else parsed.items
        return ParsedFile(bulletin, items)

    return read
