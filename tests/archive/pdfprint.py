"""Lay a generated bulletin out on reportlab pages: columns, wrapping, furniture, sidebar (test tooling).

See :mod:`tests.archive.pdfgen` for what is printed and the layouts.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.archive.pdfblocks import Block, Bulletin, Layout, Line

PAGE_W, PAGE_H = 595.0, 842.0
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM, GUTTER = 56.0, 72.0, 64.0, 20.0
BODY, LEADING = 10.0, 1.45
SIZES = {"body": BODY, "section": 15.0, "title": 11.5, "masthead": 16.0, "toc": BODY, "box": 9.0}
PARA_GAP = 0.9 * BODY


# ---- wrapping -------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"\s{2,}\S+|[A-Za-z0-9][A-Za-z0-9'’.,;:!?%)\]/&+-]*\s?|\S\s?|\s")


def _hyphenate(word: str, room: float, width_of) -> tuple[str, str] | None:
    """Split a plain English word so that its head plus ``-`` fits in ``room``."""
    core = word.rstrip()
    if not re.fullmatch(r"[A-Za-z]{7,}[,.;:]?", core):
        return None
    for cut in range(len(core) - 3, 2, -1):
        head = core[:cut] + "-"
        if core[cut:cut + 1].isalpha() and width_of(head) <= room:
            return head, word[cut:]
    return None


def wrap(text: str, width: float, width_of) -> list[str]:
    """Wrap a logical line to ``width`` points: CJK anywhere, English between words or hyphenated."""
    lines: list[str] = []
    cur = ""
    tokens = _TOKEN.findall(text)
    while tokens:
        tok = tokens.pop(0)
        if not cur and tok.isspace():
            continue
        if width_of((cur + tok).rstrip()) <= width:
            cur += tok
            continue
        split = _hyphenate(tok, width - width_of(cur), width_of) if cur else None
        if split:
            lines.append(cur + split[0])
            tokens.insert(0, split[1])
            cur = ""
        elif cur:
            lines.append(cur.rstrip())
            cur = tok if tok[:2] == "  " else tok.lstrip()
        else:  # a token wider than the line: cut it
            lines.append(tok.rstrip())
    if cur.strip():
        lines.append(cur.rstrip())
    return lines or [""]


# ---- printing -------------------------------------------------------------------------------------------


class Printer:
    """Lays blocks into columns on reportlab pages and draws the page furniture."""

    def __init__(self, path: Path, layout: Layout, bulletin: Bulletin) -> None:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        from reportlab.pdfgen import canvas

        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        self.metrics = pdfmetrics
        self.canvas = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H))
        self.layout, self.b = layout, bulletin
        self.zh = bulletin.lang == "zh"
        self.page = 0
        self.frames: list[tuple[float, float]] = []
        self.col, self.y = 0, 0.0
        self.total = 0

    def font(self, style: str) -> tuple[str, float]:
        if self.zh:
            return "STSong-Light", SIZES[style]
        bold = style in ("section", "title", "masthead")
        return ("Helvetica-Bold" if bold else "Helvetica"), SIZES[style]

    def width_of(self, text: str, style: str) -> float:
        name, size = self.font(style)
        return self.metrics.stringWidth(text, name, size)

    def new_page(self, frames: list[tuple[float, float]] | None = None, total: int = 0) -> None:
        if self.page:
            self.canvas.showPage()
        self.page += 1
        self.total = total or self.total
        self.furniture(self.total)
        n = self.layout.columns
        col_w = (PAGE_W - 2 * MARGIN_X - (n - 1) * GUTTER) / n
        self.frames = frames or [(MARGIN_X + i * (col_w + GUTTER), col_w) for i in range(n)]
        self.col, self.y = 0, PAGE_H - MARGIN_TOP

    def next_column(self) -> None:
        if self.col + 1 < len(self.frames):
            self.col, self.y = self.col + 1, PAGE_H - MARGIN_TOP
        else:
            self.new_page()

    def place(self, block: Block, first: bool) -> None:
        """Print a block: short blocks and headings move whole to the next column when they do not fit."""
        x, width = self.frames[self.col]
        rows = [(line, part, i == 0) for line in block.lines for i, part in enumerate(self._wrap(line, width))]
        heads = sum(1 for line in block.lines if line.style in ("section", "title", "masthead"))
        need = sum(SIZES[line.style] * LEADING for line, _, _ in rows[: max(3 if len(rows) <= 3 else 0, heads + 2)])
        gap = PARA_GAP if block.gap and not first else 0.0
        if self.y - gap - need < MARGIN_BOTTOM and self.y < PAGE_H - MARGIN_TOP:
            self.next_column()
            gap = 0.0
        self.y -= gap
        for line, part, opening in rows:
            size = SIZES[line.style]
            if self.y - size * LEADING < MARGIN_BOTTOM:
                self.next_column()
            x, width = self.frames[self.col]
            self.y -= size * LEADING
            self._draw(line, part, x, width, opening, part is self._last_part(rows, line))

    @staticmethod
    def _last_part(rows: list[tuple[Line, str, bool]], line: Line) -> str:
        return [part for ln, part, _ in rows if ln is line][-1]

    def _wrap(self, line: Line, width: float) -> list[str]:
        room = width - (2 * SIZES[line.style] if line.indent else 0) - (30 if line.leader else 0)
        return wrap(line.text, room, lambda s: self.width_of(s, line.style))

    def _draw(self, line: Line, part: str, x: float, width: float, opening: bool, last: bool) -> None:
        name, size = self.font(line.style)
        self.canvas.setFont(name, size)
        indent = 2 * size if line.indent and opening else 0.0
        if part.startswith("  "):  # a name set apart from its title (an attribution): flush right
            self.canvas.drawRightString(x + width, self.y, part.strip())
            return
        self.canvas.drawString(x + indent, self.y, part)
        if line.leader and last:
            start = x + indent + self.width_of(part, line.style) + 4
            dot = "…" if self.zh else "."
            dots = dot * max(int((x + width - 16 - start) / max(self.width_of(dot, line.style), 1)), 3)
            self.canvas.drawString(start, self.y, dots)
            self.canvas.drawRightString(x + width, self.y, line.leader)

    def furniture(self, total: int) -> None:
        """Running header and page number of the current page."""
        c = self.canvas
        n = self.page
        if self.layout.header and self.b.header:
            name, _ = self.font("body")
            c.setFont(name, 8)
            c.drawString(MARGIN_X, PAGE_H - 40, self.b.header)
            c.line(MARGIN_X, PAGE_H - 46, PAGE_W - MARGIN_X, PAGE_H - 46)
        styles = {"dash": f"- {n} -", "page": f"第{n}页" if self.zh else f"Page {n}", "fraction": f"{n}/{total}",
                  "bare": str(n)}
        c.setFont("STSong-Light" if self.zh else "Helvetica", 8)
        c.drawCentredString(PAGE_W / 2, 34, styles[self.layout.numbers])
        if self.layout.footer_text and self.b.publisher:
            c.drawString(MARGIN_X, 34, self.b.publisher)

    def sidebar(self, blocks: tuple[Block, ...]) -> None:
        """The about text in a framed box in the right part of page 1."""
        n = self.layout.columns
        col_w = (PAGE_W - 2 * MARGIN_X - (n - 1) * GUTTER) / n
        x0, w = (PAGE_W - MARGIN_X - 170, 170.0) if n == 1 else (PAGE_W - MARGIN_X - col_w, col_w)
        saved = self.frames, self.col, self.y
        self.frames, self.col, self.y = [(x0 + 8, w - 16)], 0, PAGE_H - MARGIN_TOP - 8
        for i, block in enumerate(blocks):
            self.place(block, i == 0)
        self.canvas.rect(x0, self.y - 10, w, PAGE_H - MARGIN_TOP - self.y + 14, stroke=1, fill=0)
        self.frames, self.col, self.y = saved


def _first_page_frames(layout: Layout) -> list[tuple[float, float]] | None:
    """Frames of page 1 when the sidebar takes the right part (the last column, or 170pt of one column)."""
    n = layout.columns
    col_w = (PAGE_W - 2 * MARGIN_X - (n - 1) * GUTTER) / n
    if n == 1:
        return [(MARGIN_X, col_w - 170 - GUTTER)]
    return [(MARGIN_X + i * (col_w + GUTTER), col_w) for i in range(n - 1)]


def _run(printer: Printer, total: int) -> None:
    """Lay everything out: page 1 with the sidebar and the contents (if any), then the body."""
    b, layout = printer.b, printer.layout
    printer.new_page(_first_page_frames(layout) if b.box else None, total)
    if b.box:
        printer.sidebar(b.box)
    if b.front:
        x, w = printer.frames[-1]
        printer.frames = [(MARGIN_X, x + w - MARGIN_X)]
        for i, block in enumerate(b.front):
            printer.place(block, i == 0)
        printer.new_page(None, total)
    for i, block in enumerate(b.body):
        printer.place(block, i == 0 and not b.front and not b.box)


class _NullCanvas:
    """Stands in for the canvas in the page-counting pass."""

    def __getattr__(self, name: str):
        return lambda *a, **k: None


def print_bulletin(path: Path, layout: Layout, b: Bulletin) -> int:
    """Lay the bulletin out twice: once to count the pages (for ``3/12``), once to print."""
    counter = Printer(path, layout, b)
    counter.canvas = _NullCanvas()
    _run(counter, 0)
    printer = Printer(path, layout, b)
    _run(printer, counter.page)
    printer.canvas.save()
    return printer.page
