"""PDFs from an independent producer (headless Chromium, through HTML and CSS) parse as the text does.

The same checks as :mod:`tests.archive.test_pdf_layouts` on each bulletin x layout of
:mod:`tests.archive.htmlprint`: Skia's text placement, Noto CJK fonts, CSS columns, a floated or grid
sidebar, dotted contents leaders, justified Chinese, and running headers and page numbers from Playwright's
header/footer templates. Skipped without /usr/bin/chromium, required when ``BULLETINS_REQUIRE_BROWSER=1``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import archive
from tests.archive.htmlprint import HTML_LAYOUTS, HtmlLayout, print_all_layouts
from tests.archive.pdfcompare import check_presence_absence_order, compare
from tests.chromium import require_chromium
from tests.paths import CORPUS, SAMPLE

pytestmark = pytest.mark.browser
BULLETINS = [SAMPLE, *sorted(CORPUS.glob("*.txt"))]
CASES = [pytest.param(text, layout, id=f"{text.stem}-{layout.name}") for text in BULLETINS for layout in HTML_LAYOUTS]



@pytest.fixture(scope="session")
def chromium_printed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[tuple[str, str], Path]]:
    """Every bulletin printed by Chromium in every layout, once per session (the sidecar beside each PDF)."""
    require_chromium()
    if not os.environ.get("BULLETINS_REQUIRE_BROWSER"):
        pytest.importorskip("playwright.sync_api")
    yield print_all_layouts(BULLETINS, tmp_path_factory.mktemp("pdf-chromium"))


@pytest.mark.parametrize(("text", "layout"), CASES)
def test_items_equal_the_text_version(chromium_printed: dict, text: Path, layout: HtmlLayout) -> None:
    result = compare(text, chromium_printed[(text.stem, layout.name)])
    assert result.rate >= 0.95, "\n".join(result.differences())


def _furniture(text: Path, layout: HtmlLayout, pages: int) -> list[str]:
    """What the templates printed: the running header, the publisher, the page numbers."""
    meta = archive.read(text).bulletin
    style = {"dash": "- {n} -", "page": "第 {n} 页" if meta.language == "zh" else "Page {n}",
             "fraction": "{n} / {total}"}[layout.numbers]
    found = [meta.title, *([meta.publisher] if layout.footer_text else [])]
    return found + [style.format(n=n, total=pages) for n in range(1, pages + 1)]


@pytest.mark.parametrize(("text", "layout"), CASES)
def test_presence_absence_order(chromium_printed: dict, text: Path, layout: HtmlLayout) -> None:
    check_presence_absence_order(text, chromium_printed[(text.stem, layout.name)],
                                 lambda pages: _furniture(text, layout, pages))
