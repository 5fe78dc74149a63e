"""DOCX -> text; heading styles become Markdown ``#`` headings."""

from __future__ import annotations

import io
import re

from archive.errors import UnreadableFile
from archive.readers.document import document
from archive.readers.formats import Format


def docx_text(data: bytes, path: str) -> str:
    """Text of a DOCX; heading styles become Markdown ``#`` headings.

    Raises:
        UnreadableFile: Not a DOCX, truncated or damaged.
    """
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        blocks = [_docx_paragraph(p) for p in document.paragraphs]
        for table in document.tables:
            blocks.extend(cell.text for row in table.rows for cell in row.cells)
    except Exception as exc:  # zipfile/lxml/KeyError on damaged files
        raise UnreadableFile(path, f"DOCX is damaged or truncated ({type(exc).__name__}: {exc})") from exc
    text = "\n\n".join(b for b in blocks if b.strip())
    if not text.strip():
        raise UnreadableFile(path, "DOCX has no text")
    return text


def _docx_paragraph(paragraph: object) -> str:
    text = paragraph.text.strip()
    style = (getattr(paragraph.style, "name", "") or "").lower()
    m = re.match(r"heading (\d)", style)
    if m and text:
        return "#" * int(m.group(1)) + " " + text
    return "# " + text if style == "title" and text else text


FORMAT = Format("docx", (".docx",), document(docx_text, "read as DOCX"))
