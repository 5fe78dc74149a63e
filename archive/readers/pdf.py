"""PDF -> text.

Every failure becomes an :class:`~archive.errors.UnreadableFile` naming the file and the reason.
"""

from __future__ import annotations

import io

from archive.errors import UnreadableFile


def pdf_text(data: bytes, path: str) -> str:
    """Text of a PDF, pages joined line to line.

    Raises:
        UnreadableFile: Not a PDF, truncated, encrypted, or no extractable text.
    """
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise UnreadableFile(path, "not a PDF file (no %PDF header)")
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableFile(path, "PDF is encrypted")
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnreadableFile:
        raise
    except Exception as exc:  # pypdf raises many types on damaged files
        raise UnreadableFile(path, f"PDF is damaged or truncated ({type(exc).__name__}: {exc})") from exc
    text = "\n".join(pages)  # a page break is no paragraph break: paragraphs run across pages
    if not text.strip():
        raise UnreadableFile(path, "PDF has no extractable text (scanned images?)")
    return text
