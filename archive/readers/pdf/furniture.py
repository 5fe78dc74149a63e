"""Page furniture: running headers, footers and page numbers.

A line is furniture when it sits in the top or bottom margin band of its page and either reads as a
page number (``- 3 -``, ``第3页``, ``3/12``, ``Page 3``, a bare number) or repeats, digits aside, in the
same band of other pages.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from archive.readers.pdf.lines import Line, Page

MARGIN = 0.07  # top and bottom bands, as a share of the page height
PAGE_NUMBER = re.compile(
    r"^(?:[-–—−~]\s*\d{1,4}\s*[-–—−~]|第\s*\d{1,4}\s*页(?:\s*[/，,]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|\d{1,4}|[ivxlc]{1,6})$",
    re.I,
)


def is_page_number(text: str) -> bool:
    """Whether a line reads as a page number in one of the usual styles."""
    return bool(PAGE_NUMBER.match(text.strip()))


def _band(line: Line, page: Page) -> str:
    if line.bottom <= page.height * MARGIN:
        return "header"
    if line.top >= page.height * (1 - MARGIN):
        return "footer"
    return ""


def _key(text: str) -> str:
    """A line's text with digits and spaces normalised, so ``第3页`` and ``第4页`` repeat."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _parts(line: Line) -> list[str]:
    """A footer line may hold a text and a number separated by a wide gap; each part is checked."""
    return [p for p in re.split(r"\s{4,}", line.text.strip()) if p]


def furniture(pages: Sequence[Page]) -> dict[tuple[int, int], str]:
    """Which lines are page furniture.

    Args:
        pages: The document's pages.

    Returns:
        ``{(page number, line index): "header" | "footer" | "page-number"}``.
    """
    seen: Counter[tuple[str, str]] = Counter()
    for page in pages:
        keys = {(band, _key(line.text)) for line in page.lines if (band := _band(line, page))}
        seen.update(keys)
    repeat = max(2, round(0.4 * sum(1 for p in pages if p.lines)))
    marks: dict[tuple[int, int], str] = {}
    for page in pages:
        for i, line in enumerate(page.lines):
            band = _band(line, page)
            if not band:
                continue
            if all(is_page_number(part) for part in _parts(line)):
                marks[(page.number, i)] = "page-number"
            elif seen[(band, _key(line.text))] >= repeat:
                marks[(page.number, i)] = band
    return marks
