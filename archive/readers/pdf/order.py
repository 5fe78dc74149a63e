"""Reading order: column gutters per page, bands between full-width lines, framed boxes kept apart.

Gutters are found from the lines' x-extents: a vertical strip that (almost) no line crosses, between
text on both sides. Lines crossing a gutter (a masthead, a heading over all columns) split the page
into bands; each band is read column by column, left to right. Lines inside a framed box (a sidebar)
form their own chunk and never join the text beside them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from archive.readers.pdf.lines import Line, Page

MIN_GUTTER = 8.0  # points
MAX_GUTTER = 0.15  # share of the text width: wider strips are short lines' ragged ends, not a gutter


@dataclass(frozen=True)
class Chunk:
    """Lines read in order inside one column (or box) of one page.

    Attributes:
        lines: The lines, top to bottom.
        left: The column's left edge.
        right: The column's right edge (where a full line ends).
        column: 0-based column index on the page (-1 for a line across all columns).
        box: Whether the chunk is a framed box (sidebar).
    """

    lines: tuple[Line, ...]
    left: float
    right: float
    column: int
    box: bool = False


def _inside(line: Line, box: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = box
    cx, cy = (line.x0 + line.x1) / 2, (line.top + line.bottom) / 2
    return x0 <= cx <= x1 and top <= cy <= bottom


def gutters(lines: Sequence[Line]) -> list[tuple[float, float]]:
    """Vertical strips that no column line crosses, with column lines on both sides.

    Column lines are those narrower than 60% of the page's text width; wider lines (a masthead, a
    heading over all columns) cross gutters and are read as bands of their own. A strip wider than
    15% of the text width is no gutter: in one column, short lines (a paragraph's last line, a name
    set flush right) leave such strips free.

    Args:
        lines: The flow lines of one page.

    Returns:
        ``(start, end)`` x-intervals, left to right.
    """
    if len(lines) < 4:
        return []
    lo, hi = int(min(ln.x0 for ln in lines)), int(max(ln.x1 for ln in lines)) + 1
    narrow = [ln for ln in lines if ln.x1 - ln.x0 < 0.6 * (hi - lo)]
    cover = [0] * (hi - lo + 1)
    for ln in narrow:
        for x in range(int(ln.x0) - lo, int(ln.x1) - lo + 1):
            cover[x] += 1
    found: list[tuple[float, float]] = []
    start = None
    for x, n in enumerate(cover):
        if n == 0 and start is None:
            start = x
        elif n > 0 and start is not None:
            if MIN_GUTTER <= x - start <= MAX_GUTTER * (hi - lo) and start > 0:
                found.append((lo + start, lo + x))
            start = None
    return [g for g in found if _has_columns(lines, narrow, g)]


def _has_columns(lines: Sequence[Line], narrow: Sequence[Line], gutter: tuple[float, float]) -> bool:
    """Both sides of a gutter hold a real column: at least two lines each, and more lines beside it than across.

    In one column, short lines (a paragraph's last line, a name set flush right) leave a strip free
    of narrow lines, but the full lines crossing it outnumber them.
    """
    left = sum(1 for ln in narrow if ln.x1 <= gutter[0] + 1)
    right = sum(1 for ln in narrow if ln.x0 >= gutter[1] - 1)
    across = sum(1 for ln in lines if ln.x0 < gutter[0] - 1 and ln.x1 > gutter[1] + 1)
    return left >= 2 and right >= 2 and across < left + right


def _column(line: Line, cuts: list[tuple[float, float]]) -> int:
    """Column index of a line, or -1 when it crosses a gutter."""
    index = 0
    for start, end in cuts:
        if line.x0 < start - 1 and line.x1 > end + 1:
            return -1
        if line.x0 >= end - 1:
            index += 1
    return index


def _bands(lines: list[Line], cuts: list[tuple[float, float]]) -> list[list[tuple[int, Line]]]:
    """Lines grouped in horizontal bands separated by lines across all columns."""
    bands: list[list[tuple[int, Line]]] = [[]]
    for line in sorted(lines, key=lambda ln: (ln.top, ln.x0)):
        col = _column(line, cuts)
        if col < 0:
            bands.append([(col, line)])
            bands.append([])
        else:
            bands[-1].append((col, line))
    return [b for b in bands if b]


def _edges(cuts: list[tuple[float, float]], lo: float, hi: float) -> list[tuple[float, float]]:
    """Left and right edge of each column between the gutters."""
    xs = [lo, *[x for g in cuts for x in g], hi]
    return [(xs[i], xs[i + 1]) for i in range(0, len(xs), 2)]


def page_chunks(page: Page, skip: set[int], right_edge: float) -> list[Chunk]:
    """The page's chunks in reading order; framed boxes last.

    Args:
        page: The page.
        skip: Indexes of lines to leave out (page furniture).
        right_edge: The document's usual right edge of text, used when a column holds only short lines.

    Returns:
        Flow chunks (band by band, column by column), then one chunk per box.
    """
    kept = [ln for i, ln in enumerate(page.lines) if i not in skip]
    boxed = [[ln for ln in kept if _inside(ln, b)] for b in page.boxes]
    in_box = {id(ln) for group in boxed for ln in group}
    flow = [ln for ln in kept if id(ln) not in in_box]
    chunks: list[Chunk] = []
    if flow:
        cuts = gutters(flow)
        lo, hi = min(ln.x0 for ln in flow), max(ln.x1 for ln in flow)
        edges = _edges(cuts, lo, max(hi, right_edge) if not cuts else hi)
        for band in _bands(flow, cuts):
            chunks.extend(_band_chunks(band, edges, (lo, max(hi, right_edge))))
    for box, group in zip(page.boxes, boxed, strict=True):
        if group:
            chunks.append(Chunk(tuple(sorted(group, key=lambda ln: ln.top)), box[0], _right(group, box[2]), 0, True))
    return chunks


def _band_chunks(band: list[tuple[int, Line]], edges: list[tuple[float, float]],
                 whole: tuple[float, float]) -> list[Chunk]:
    columns = sorted({col for col, _ in band})
    out = []
    for col in columns:
        lines = tuple(ln for c, ln in band if c == col)
        left, right = whole if col < 0 else edges[col]
        out.append(Chunk(lines, min(ln.x0 for ln in lines) if col >= 0 else left, _right(lines, right), col))
    return out


def right_margin(lines: Sequence[Line]) -> float | None:
    """The rightmost x where at least three lines end (within 1.5 font sizes), or None."""
    ends = sorted((ln.x1 for ln in lines), reverse=True)
    tolerance = 1.5 * max((ln.size for ln in lines), default=10.0)
    return next((ends[i] for i in range(len(ends) - 2) if ends[i + 2] >= ends[i] - tolerance), None)


def _right(lines: Sequence[Line], frame: float) -> float:
    """Where full lines end: the column's right margin when several lines reach it, else the frame's."""
    ends = sorted((ln.x1 for ln in lines), reverse=True)
    if len(ends) >= 3 and ends[2] >= ends[0] - max(ln.size for ln in lines) * 1.5:
        return ends[0]
    return max(frame, ends[0])
