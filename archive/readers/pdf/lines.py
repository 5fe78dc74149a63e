"""PDF pages -> text lines with their place and type (pypdfium2).

Each :class:`Line` keeps its page, box (points from the page's top-left), font size and weight; a
:class:`Page` adds the framed boxes (rectangles drawn around sidebars) and whether the page is an image
with no text layer (a scan).
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass, replace

from archive.normalize import CJK

_WIDE_GAP = 0.6  # a gap of this many font sizes between two characters is a column-like gap ("title    name")
_SPLIT_GAP = 3.0  # a gap this wide splits a line into two (a gutter)
_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.I)
_IDEOGRAPH = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_CJK = re.compile(f"[{CJK}]")
_LEADER_ONLY = re.compile(r"^\s*(?:[.·•‥_](?:\s?[.·•‥_]){2,}|…{2,})\s*\d{1,4}\s*$")
_FIRST_WORD = re.compile(r"\s*([A-Za-z0-9'’.,;:!?%()\-]+|\S)")


@dataclass(frozen=True)
class Line:
    """One line of text on a page.

    Attributes:
        page: 1-based page number.
        x0: Left edge in points.
        x1: Right edge in points.
        top: Top edge in points from the top of the page.
        bottom: Bottom edge in points from the top of the page.
        size: Font size in points (the most common one of the line).
        bold: Whether most of the line is set in a bold face.
        text: The text; wide gaps kept as four spaces.
        first_word: Width in points of the line's first word (or first CJK character).
    """

    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    text: str
    first_word: float = 0.0


@dataclass(frozen=True)
class Page:
    """A page's lines, its framed boxes ``(x0, top, x1, bottom)`` and whether it is a scan."""

    number: int
    width: float
    height: float
    lines: tuple[Line, ...]
    boxes: tuple[tuple[float, float, float, float], ...] = ()
    scanned: bool = False


@dataclass
class _Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    ink0: float  # left and right edge of the glyph's ink (its tight box)
    ink1: float


def _font(raw, textpage, i: int, cache: dict[int, tuple[float, bool]]) -> tuple[float, bool]:
    """Font size and boldness of character ``i``, cached per text object."""
    obj = raw.FPDFText_GetTextObject(textpage, i)
    key = ctypes.cast(obj, ctypes.c_void_p).value or 0
    if key not in cache:
        buf = ctypes.create_string_buffer(128)
        flags = ctypes.c_int()
        raw.FPDFText_GetFontInfo(textpage, i, buf, 128, ctypes.byref(flags))
        name = buf.value.decode("latin-1", "replace")
        weight = raw.FPDFText_GetFontWeight(textpage, i)
        cache[key] = (raw.FPDFText_GetFontSize(textpage, i), bool(_BOLD.search(name)) or weight >= 600)
    return cache[key]


def _chars(page, height: float) -> list[_Char]:
    """The page's characters in content order (generated line breaks dropped)."""
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    try:
        tp = textpage.raw
        cache: dict[int, tuple[float, bool]] = {}
        rect = raw.FS_RECTF()
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))
        out: list[_Char] = []
        for i in range(textpage.count_chars()):
            code = raw.FPDFText_GetUnicode(tp, i)
            if code in (0x0A, 0x0D, 0xFFFE) or code == 0:
                continue
            if code == 0x02:  # pdfium's mark for a hyphen at a line end
                code = 0x2D
            raw.FPDFText_GetLooseCharBox(tp, i, rect)
            raw.FPDFText_GetCharBox(tp, i, left, right, bottom, top)
            size, bold = _font(raw, tp, i, cache)
            out.append(_Char(chr(code), rect.left, rect.right, height - rect.top, height - rect.bottom, size, bold,
                             left.value, right.value))
        return out
    finally:
        textpage.close()


def _same_line(line: list[_Char], c: _Char) -> bool:
    last = next((x for x in reversed(line) if not x.text.isspace()), line[-1])
    mid = (c.top + c.bottom) / 2
    if not last.top - 1 <= mid <= last.bottom + 1:
        return False
    if (c.x0, c.x1) == (last.x0, last.x1):
        return True  # one glyph for several characters (a ligature such as "fi" or "——")
    return -last.size < c.x0 - last.x1 < _SPLIT_GAP * max(last.size, c.size)


def _group(chars: list[_Char]) -> list[list[_Char]]:
    lines: list[list[_Char]] = []
    for c in chars:
        if lines and _same_line(lines[-1], c):
            lines[-1].append(c)
        else:
            lines.append([c])
    return [_in_order(line) for line in lines if any(not c.text.isspace() for c in line)]


def _in_order(line: list[_Char]) -> list[_Char]:
    """A line's characters in content order, but a letter whose ink ends left of its predecessor's goes first.

    A producer squeezing CJK punctuation (``·“`` set in one em) may draw the two in either order, their
    boxes overlapping; ink overprinted (a page number over a dot leader) keeps its order. A space well
    inside a letter's box is none (pdfium puts one in the gap it sees beside the squeezed glyph) and goes.
    """
    out: list[_Char] = []
    for c in line:
        if c.text.isspace():
            if not any(o.x0 + 0.2 * o.size < c.x0 < o.x1 - 0.2 * o.size for o in line if not o.text.isspace()):
                out.append(c)
            continue
        i = len(out)
        while i and not out[i - 1].text.isspace() and c.ink1 <= out[i - 1].ink0:
            i -= 1
        out.insert(i, c)
    return out


def _text(chars: list[_Char]) -> str:
    """Text of a line's characters; spaces from the gaps between them (four for a wide gap).

    Space characters the PDF draws before the first or after the last letter are kept (one before,
    four after; pdfium reports trailing spaces as one), as a text dump keeps them: the text parser
    reads them as layout (an indented paragraph start, a gap before a name on the next line).
    """
    first = next(i for i, c in enumerate(chars) if not c.text.isspace())
    last = max(i for i, c in enumerate(chars) if not c.text.isspace())
    cjk = sum(1 for c in chars if _CJK.match(c.text)) * 2 > last - first + 1
    trailing = chars[-1].text.isspace()
    return (" " if first else "") + _ink_text(chars[first:last + 1], cjk) + ("    " if trailing else "")


def _ink_text(chars: list[_Char], cjk_line: bool) -> str:
    """Letters with the spaces between them: a space the PDF draws, or a gap wider than letter spacing.

    Next to a CJK character (any CJK-class character in a mostly CJK line) only a drawn space or a wide
    gap counts: justified CJK text spreads its characters apart, which is no word space.
    """
    out = ""
    prev: _Char | None = None
    drawn = False
    for c in chars:
        if c.text.isspace():
            drawn = True
            continue
        if prev is not None:
            gap = c.x0 - prev.x1
            cjk = bool(_IDEOGRAPH.match(prev.text) or _IDEOGRAPH.match(c.text)
                       or (cjk_line and (_CJK.match(prev.text) or _CJK.match(c.text))))
            if gap > _WIDE_GAP * c.size:
                out += "    "
            elif drawn or (gap > 0.12 * c.size and not cjk):
                out += " "
        out += c.text
        prev, drawn = c, False
    return out


def _line(number: int, chars: list[_Char]) -> Line:
    ink = [c for c in chars if not c.text.isspace()]
    sizes = sorted(round(c.size, 1) for c in ink)
    size = sizes[len(sizes) // 2]
    text = _text(chars)
    first = _FIRST_WORD.match(text)
    n_first = len(first.group(1)) if first else 1
    return Line(
        page=number, x0=min(c.x0 for c in ink), x1=max(c.x1 for c in ink), top=min(c.top for c in ink),
        bottom=max(c.bottom for c in ink), size=size, bold=sum(c.bold for c in ink) * 2 > len(ink), text=text,
        first_word=ink[min(n_first, len(ink)) - 1].x1 - ink[0].x0,
    )


def _boxes(page, width: float, height: float) -> tuple[tuple[float, float, float, float], ...]:
    """Framed rectangles big enough to hold text (not rules, not a page-sized background)."""
    import pypdfium2.raw as raw

    found = []
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=3):
        left, bottom, right, top = obj.get_bounds()
        w, h = right - left, top - bottom
        if w > 40 and h > 20 and w * h < 0.8 * width * height:
            found.append((left, height - top, right, height - bottom))
    return tuple(found)


def _image_cover(page, width: float, height: float) -> float:
    """Share of the page covered by its largest image."""
    import pypdfium2.raw as raw

    best = 0.0
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        left, bottom, right, top = obj.get_bounds()
        best = max(best, (right - left) * (top - bottom) / (width * height))
    return best


def _attach_leaders(lines: list[Line]) -> list[Line]:
    """A contents entry's dot leader and page number drawn apart (a flex or tab column) rejoin the entry's
    line at their baseline, to their left."""
    out = list(lines)
    for lead in [ln for ln in lines if _LEADER_ONLY.match(ln.text)]:
        beside = [ln for ln in out if ln is not lead and ln.x1 <= lead.x0 and abs(ln.bottom - lead.bottom) < 0.3 * ln.size]
        if beside:
            left = max(beside, key=lambda ln: ln.x1)
            out[out.index(left)] = replace(left, x1=lead.x1, top=min(left.top, lead.top),
                                           text=f"{left.text.rstrip()} {lead.text.strip()}")
            out.remove(lead)
    return out


def read_page(page, number: int) -> Page:
    """Lines, boxes and scan flag of one pypdfium2 page."""
    width, height = page.get_size()
    lines = tuple(_attach_leaders([_line(number, group) for group in _group(_chars(page, height))]))
    scanned = not lines and _image_cover(page, width, height) > 0.3
    return Page(number, width, height, lines, _boxes(page, width, height) if lines else (), scanned)
