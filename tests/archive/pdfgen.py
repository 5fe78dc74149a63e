"""Print a bulletin's text version to PDF in several layouts (test tooling; PDFs are generated, not committed).

Layouts (:data:`LAYOUTS`): one to three columns, a running header (bulletin name and issue) and a page
number in one of several styles (``- 3 -``, ``第3页``/``Page 3``, ``3/12``, a bare number), larger/bold
headings, the "about" text in a framed sidebar on page 1, a contents page with dot leaders and page
numbers, English words hyphenated at line ends, paragraphs running across column and page breaks.
:func:`scan` turns a PDF into an image-only PDF (pypdfium2 renders, Pillow wraps) for the OCR path.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.archive.pdfblocks import LAYOUTS, Layout, bulletin_blocks
from tests.archive.pdfprint import print_bulletin

__all__ = ["LAYOUTS", "Layout", "print_pdf", "scan"]


def print_pdf(text_file: Path, out: Path, layout: Layout) -> int:
    """Print ``text_file`` (a bulletin's text version) to ``out`` in ``layout``; copy its sidecar beside it.

    Returns:
        The number of pages.
    """
    bulletin = bulletin_blocks(text_file.read_text(encoding="utf-8"), text_file)
    pages = print_bulletin(out, layout, bulletin)
    sidecar = text_file.with_suffix(".meta.toml")
    if sidecar.exists():
        shutil.copyfile(sidecar, out.with_suffix(".meta.toml"))
    return pages


def scan(pdf: Path, out: Path, dpi: int = 200) -> int:
    """An image-only copy of ``pdf`` (no text layer), as a scanner would make it.

    Returns:
        The number of pages.
    """
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    images = [page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for page in doc]
    doc.close()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    sidecar = pdf.with_suffix(".meta.toml")
    if sidecar.exists():
        shutil.copyfile(sidecar, out.with_suffix(".meta.toml"))
    return len(images)
