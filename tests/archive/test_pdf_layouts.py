"""PDFs printed from each bulletin's text version, in several layouts, parse as the text does.

In the spirit of olmOCR-Bench: for every bulletin x layout, presence (every item's text is found),
absence (no running header, footer or page number inside any item), order (items in the text's order)
and item equality (kind, section, title, dates, source, speaker, place and whitespace-normalised text
equal to the text version's). A scanned variant of two bulletins goes through Tesseract.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import archive
from archive.layout.toc import overlap
from archive.readers.pdf.ocr import find_tesseract
from archive.readers.pdf.reader import NO_TEXT_LAYER
from tests.archive.pdfcompare import check_presence_absence_order, compare
from tests.archive.pdfgen import LAYOUTS, Layout, print_pdf, scan
from tests.paths import CORPUS, SAMPLE

BULLETINS = [SAMPLE, *sorted(CORPUS.glob("*.txt"))]
OCR_BULLETINS = ("weekly-2021-37", "monitor-2022-05")  # one Chinese, one English: OCR takes seconds a page
FURNITURE = re.compile(r"第\s*\d+\s*页|^\s*-\s*\d+\s*-|\b\d+\s*/\s*\d+\b|\bPage \d+\b")


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """Every bulletin printed in every layout (one folder per layout, the sidecar beside each PDF)."""
    root = tmp_path_factory.mktemp("pdf-layouts")
    out = {}
    for layout in LAYOUTS:
        (root / layout.name).mkdir()
        for text in BULLETINS:
            pdf = root / layout.name / f"{text.stem}.pdf"
            print_pdf(text, pdf, layout)
            out[(text.stem, layout.name)] = pdf
    return out


CASES = [pytest.param(text, layout, id=f"{text.stem}-{layout.name}") for text in BULLETINS for layout in LAYOUTS]


@pytest.mark.parametrize(("text", "layout"), CASES)
def test_items_equal_the_text_version(printed: dict, text: Path, layout: Layout) -> None:
    result = compare(text, printed[(text.stem, layout.name)])
    assert result.rate >= 0.95, "\n".join(result.differences())


def _furniture(text: Path, layout: Layout, pages: int) -> list[str]:
    """What the generator printed as page furniture: header, footer text and page numbers."""
    meta = archive.read(text).bulletin
    zh = meta.language == "zh"
    numbers = {"dash": "- {n} -", "page": "第{n}页" if zh else "Page {n}", "fraction": "{n}/{total}", "bare": ""}
    style = numbers[layout.numbers]
    found = [meta.title] if layout.header else []
    found += [meta.publisher] if layout.footer_text else []
    return found + [style.format(n=n, total=pages) for n in range(1, pages + 1) if style]


@pytest.mark.parametrize(("text", "layout"), CASES)
def test_presence_absence_order(printed: dict, text: Path, layout: Layout) -> None:
    check_presence_absence_order(text, printed[(text.stem, layout.name)],
                                 lambda pages: _furniture(text, layout, pages))


def test_contents_page_aligns_with_the_body(printed: dict) -> None:
    pf = archive.read(printed[("brigc-2019-11", "two")])
    assert any("table of contents with 13 headlines" in n for n in pf.bulletin.notes)
    assert all("……" not in it.title and not it.title.endswith(("2", "3", "4", "5")) for it in pf.items)


def _require_tesseract() -> None:
    ocr = find_tesseract()
    if ocr is None or "chi_sim" not in ocr.languages:
        message = "tesseract with chi_sim is not installed (apt-get install tesseract-ocr tesseract-ocr-chi-sim)"
        if os.environ.get("BULLETINS_REQUIRE_OCR"):  # set by .ci/run: CI must run the OCR tests
            pytest.fail(message)
        pytest.skip(message)


@pytest.mark.parametrize("stem", OCR_BULLETINS)
def test_scanned_pdf_is_read_by_ocr(printed: dict, tmp_path: Path, stem: str) -> None:
    _require_tesseract()
    scanned = tmp_path / f"{stem}.pdf"
    pages = scan(printed[(stem, "one")], scanned)
    pf = archive.read(scanned)
    assert f"pages 1–{pages} read by OCR (tesseract chi_sim+eng)" in pf.bulletin.notes
    assert pf.items and all(it.ocr for it in pf.items)
    assert not any(it.ocr for it in archive.read(printed[(stem, "one")]).items)
    gold = archive.read(CORPUS / f"{stem}.txt").items
    titles = [it.title for it in pf.items]
    found = [g.title for g in gold if max((overlap(g.title, t) for t in titles), default=0) >= 0.6]
    assert len(found) >= 0.9 * len(gold), sorted({g.title for g in gold} - set(found))


def test_scan_without_tesseract_is_a_clear_error(printed: dict, tmp_path: Path, monkeypatch) -> None:
    import archive.readers.pdf.reader as pdf_reader

    scanned = tmp_path / "scan.pdf"
    scan(printed[("weekly-en-2022-14", "bare")], scanned, dpi=50)
    monkeypatch.setattr(pdf_reader, "find_tesseract", lambda: None)
    with pytest.raises(archive.UnreadableFile) as err:
        archive.read(scanned)
    assert NO_TEXT_LAYER in str(err.value) and "scan.pdf" in str(err.value)


def test_partly_scanned_pdf_without_tesseract_names_the_pages_left_out(printed: dict, tmp_path: Path,
                                                                      monkeypatch) -> None:
    import pypdfium2 as pdfium

    import archive.readers.pdf.reader as pdf_reader

    scanned = tmp_path / "scan.pdf"
    scan(printed[("weekly-en-2022-14", "bare")], scanned, dpi=50)
    mixed = pdfium.PdfDocument(str(printed[("weekly-en-2022-14", "bare")]))
    mixed.import_pages(pdfium.PdfDocument(str(scanned)), [0])
    out = tmp_path / "weekly-en-2022-14.pdf"
    mixed.save(str(out))
    monkeypatch.setattr(pdf_reader, "find_tesseract", lambda: None)
    pf = archive.read(out)
    assert pf.items and f"page 3 left out: {NO_TEXT_LAYER}" in pf.bulletin.notes
