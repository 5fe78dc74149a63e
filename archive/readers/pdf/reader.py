"""PDF -> text shaped like the bulletin's text dump, read with the layout (pypdfium2).

Lines keep their page, position, size and weight (:mod:`~archive.readers.pdf.lines`); running headers,
footers and page numbers go (:mod:`~archive.readers.pdf.furniture`); columns and boxes are read in order
(:mod:`~archive.readers.pdf.order`); lines become paragraphs (:mod:`~archive.readers.pdf.flow`); pages
without a text layer are read by Tesseract when installed (:mod:`~archive.readers.pdf.ocr`). Every failure
becomes an :class:`~archive.errors.UnreadableFile` naming the file and the reason.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from archive.errors import UnreadableFile
from archive.readers.document import document
from archive.readers.extracted import Extracted
from archive.readers.formats import Format
from archive.readers.pdf.flow import body_type, flow
from archive.readers.pdf.furniture import furniture
from archive.readers.pdf.lines import Page, read_page
from archive.readers.pdf.ocr import Ocr, find_tesseract, ocr_page
from archive.readers.pdf.order import Chunk, page_chunks, right_margin

NO_TEXT_LAYER = "no text layer; install tesseract-ocr to read scans"


@dataclass(frozen=True)
class LineView:
    """One line as the reader saw it, for ``--debug-layout``.

    Attributes:
        page: 1-based page number.
        column: 0-based column (-1 across columns, -2 for furniture).
        y: Top of the line in points from the top of the page.
        size: Font size in points.
        bold: Bold type.
        decision: ``header``, ``footer``, ``page-number``, ``heading``, ``body``, ``box`` or ``contents``.
        text: The line's text.
    """

    page: int
    column: int
    y: float
    size: float
    bold: bool
    decision: str
    text: str


@dataclass(frozen=True)
class Layout:
    """A read PDF: its pages, the furniture marks, the chunks in reading order and the OCR'd pages."""

    pages: tuple[Page, ...]
    marks: dict[tuple[int, int], str]
    chunks: tuple[Chunk, ...]
    ocr_pages: tuple[int, ...]
    unread_pages: tuple[int, ...] = ()  # scanned pages left out (no Tesseract)


def _open(data: bytes, path: str):
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise UnreadableFile(path, "not a PDF file (no %PDF header)")
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        reason = "PDF is encrypted" if "password" in str(exc).lower() else f"PDF is damaged or truncated ({exc})"
        raise UnreadableFile(path, reason) from exc


def _pages(doc, path: str) -> tuple[tuple[Page, ...], tuple[int, ...], tuple[int, ...]]:
    """Pages read (scans through OCR when Tesseract is installed), OCR'd page numbers, scans left out."""
    pages = [read_page(doc[i], i + 1) for i in range(len(doc))]
    scanned = tuple(p.number for p in pages if p.scanned)
    if not scanned:
        return tuple(pages), (), ()
    ocr = find_tesseract()
    if ocr is None:
        if all(not p.lines for p in pages):
            raise UnreadableFile(path, NO_TEXT_LAYER)
        return tuple(pages), (), scanned
    return tuple(_ocr(ocr, doc, p, path) if p.scanned else p for p in pages), scanned, ()


def _ocr(ocr: Ocr, doc, page: Page, path: str) -> Page:
    try:
        return ocr_page(ocr, doc[page.number - 1], page.number)
    except (OSError, RuntimeError, ValueError) as exc:
        raise UnreadableFile(path, f"OCR failed on page {page.number} ({exc})") from exc


def read_layout(data: bytes, path: str) -> Layout:
    """Pages, furniture and reading order of a PDF.

    Raises:
        UnreadableFile: Not a PDF, damaged, encrypted, or a scan without Tesseract.
    """
    doc = _open(data, path)
    try:
        pages, ocr_pages, unread = _pages(doc, path)
    except UnreadableFile:
        raise
    except Exception as exc:  # pdfium raises on damaged pages
        raise UnreadableFile(path, f"PDF is damaged or truncated ({type(exc).__name__}: {exc})") from exc
    finally:
        doc.close()
    marks = furniture(pages)
    right = _right_edge(pages, marks)
    chunks = [c for p in pages for c in page_chunks(p, {i for (n, i) in marks if n == p.number}, right)]
    ordered = tuple([c for c in chunks if not c.box] + [c for c in chunks if c.box])
    return Layout(pages, marks, ordered, ocr_pages, unread)


def _right_edge(pages: Sequence[Page], marks: dict[tuple[int, int], str]) -> float:
    """The document's right margin of text; infinite (no line is full) when no margin shows."""
    margin = right_margin([ln for p in pages for i, ln in enumerate(p.lines) if (p.number, i) not in marks])
    return math.inf if margin is None else margin


def _ranges(numbers: Sequence[int]) -> str:
    """``1, 2, 3, 5`` -> ``1–3, 5``."""
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(f"{a}–{b}" if a != b else str(a) for a, b in spans)


def pdf_extract(data: bytes, path: str) -> Extracted:
    """Text of a PDF shaped like its text dump, with the OCR'd pages noted.

    Raises:
        UnreadableFile: Not a PDF, truncated, encrypted, a scan without Tesseract, or no text.
    """
    layout = read_layout(data, path)
    text, _ = flow(layout.chunks, body_type(layout.chunks))
    if not text.strip():
        raise UnreadableFile(path, "PDF has no extractable text")
    notes: tuple[str, ...] = ()
    if layout.ocr_pages:
        ocr = find_tesseract()
        notes = (f"{_pages_word(layout.ocr_pages)} read by OCR (tesseract {ocr.languages if ocr else ''})",)
    if layout.unread_pages:
        notes += (f"{_pages_word(layout.unread_pages)} left out: {NO_TEXT_LAYER}",)
    return Extracted(text, "read as PDF", layout.ocr_pages, notes)


def _pages_word(numbers: Sequence[int]) -> str:
    return f"{'page' if len(numbers) == 1 else 'pages'} {_ranges(numbers)}"


def debug_layout(data: bytes, path: str) -> list[LineView]:
    """Every line of a PDF with its place, type and what the reader decided about it.

    Raises:
        UnreadableFile: As :func:`pdf_extract`.
    """
    layout = read_layout(data, path)
    _, decisions = flow(layout.chunks, body_type(layout.chunks))
    column = {id(ln): c.column for c in layout.chunks for ln in c.lines}
    views = []
    for page in layout.pages:
        for i, ln in enumerate(page.lines):
            mark = layout.marks.get((page.number, i))
            decision = mark or decisions.get(id(ln), "body")
            views.append(LineView(page.number, -2 if mark else column.get(id(ln), 0), round(ln.top, 1), ln.size,
                                  ln.bold, decision, ln.text))
    return views


FORMAT = Format("pdf", (".pdf",), document(pdf_extract, "read as PDF"))
