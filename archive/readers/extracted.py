"""What a reader returns: the text, how it was read, and which pages (if any) were read by OCR."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Extracted:
    """A document's extracted text.

    Attributes:
        text: The text, shaped like a plain-text dump (paragraphs separated by blank lines).
        how: A note on how it was read (``read as PDF``, ``decoded as utf-8``).
        ocr_pages: 1-based numbers of the pages read by OCR (empty when none was).
        notes: Further remarks for the bulletin record (e.g. which pages were read by OCR).
    """

    text: str
    how: str
    ocr_pages: tuple[int, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def ocr(self) -> bool:
        """Whether any of the text was read by OCR (its items may hold recognition errors)."""
        return bool(self.ocr_pages)
