"""Lines in reading order -> text shaped like a text dump of the bulletin.

Wrapped lines are joined into one line (also across column and page breaks) when the line before is
full and the next is set in the same type and not indented; a vertical gap makes a paragraph break (a
blank line), never a page end. In an attribution, a name set apart on its line's row goes on after a wide
gap (``title    name``); one flush right atop the next column stays its next line. Headings (larger or bold type) stay lines of their own,
indented lines keep their indent (the text parser reads it), contents lines lose their dot leaders and
page numbers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from archive.layout.events import event_field
from archive.layout.quotes import is_attribution
from archive.normalize import ends_sentence, join_lines
from archive.readers.pdf.hyphens import Vocabulary, mend
from archive.readers.pdf.lines import Line
from archive.readers.pdf.order import Chunk

HEADING_RATIO = 1.15
LEADER = re.compile(r"^(.*?\S)\s*(?:[.·•‥_](?:\s?[.·•‥_]){2,}|…{2,})\s*\d{1,4}$")
INDENT = "    "


@dataclass(frozen=True)
class Type:
    """The document's body type: the most common font size and whether it is bold."""

    size: float
    bold: bool
    gap: float  # usual space between two lines of a paragraph


def body_type(chunks: Sequence[Chunk]) -> Type:
    """Body size and weight (most characters) and the usual line gap of the document.

    The line gap is the median gap below full lines (a paragraph wrapping on), when there are enough of
    them; else the lower third of all gaps between lines of one size.
    """
    sizes: Counter[tuple[float, bool]] = Counter()
    gaps: list[float] = []
    wraps: list[float] = []
    for chunk in chunks:
        for a, b in zip(chunk.lines, chunk.lines[1:], strict=False):
            if abs(a.size - b.size) < 0.5:
                gaps.append(b.top - a.bottom)
                if a.x1 >= chunk.right - a.size and b.top > a.bottom - a.size:
                    wraps.append(b.top - a.bottom)
        for ln in chunk.lines:
            sizes[(ln.size, ln.bold)] += len(ln.text)
    (size, bold), _ = sizes.most_common(1)[0] if sizes else ((10.0, False), 0)
    gaps = sorted(g for g in gaps if g > -size)
    if len(wraps) >= 5:
        return Type(size, bold, sorted(wraps)[len(wraps) // 2])
    return Type(size, bold, gaps[len(gaps) // 3] if gaps else size * 0.4)


def is_heading(line: Line, body: Type) -> bool:
    """Larger than body type, or bold where the body is not."""
    return line.size >= body.size * HEADING_RATIO or (line.bold and not body.bold)


def strip_leader(text: str) -> tuple[str, bool]:
    """A contents line without its dot leader and page number; True when there was one."""
    m = LEADER.match(text)
    return (m.group(1), True) if m else (text, False)


def _style(line: Line, body: Type) -> tuple[bool, float, bool]:
    return is_heading(line, body), round(line.size * 2) / 2, line.bold


def _indented(line: Line, chunk: Chunk) -> bool:
    return line.x0 - chunk.left > 0.8 * line.size


def _full(line: Line, chunk: Chunk, nxt: Line, leader: bool) -> bool:
    """Whether ``line`` ends where the column does: the next line's first word would not have fit.

    In a contents list (lines ending in dot leaders), the room kept for page numbers counts too.
    """
    if _indented(line, chunk) and line.x1 - line.x0 < 0.6 * (chunk.right - chunk.left):
        return False  # a short line set flush right (a name under a quote) is not a wrapped one
    room = chunk.right - line.x1 - (4 * nxt.size if leader else 0)
    return room <= nxt.first_word + 0.35 * nxt.size


def relation(prev: tuple[Line, Chunk, bool], line: Line, chunk: Chunk, body: Type, leader: bool = False) -> str:
    """How ``line`` follows the previous one: ``join`` (same line), ``line`` (new line) or ``para``.

    (:func:`beside` and :func:`name_below` come first: ``gap``, on at the line's end after a wide gap.)

    Args:
        prev: The previous line, its chunk, and whether it closed a contents entry.
        line: This line.
        chunk: This line's chunk.
        body: The body type.
        leader: Whether this line is part of a contents list (lines ending in dot leaders).
    """
    last, last_chunk, closed = prev
    same = last_chunk is chunk
    if last_chunk.box != chunk.box or (chunk.box and not same):
        return "para"
    if same and line.top - last.bottom > body.gap + 0.5 * min(last.size, line.size):
        return "para"
    if _style(last, body) != _style(line, body) or closed or _indented(line, chunk) or event_field(line.text.strip()):
        return "line" if same else "para"
    if _full(last, last_chunk, line, leader):
        # at a column or page break a full line ending a sentence may end a paragraph: keep the break as
        # a line break and let the text parser decide (it splits paragraphs after sentence ends)
        # so may a sentence followed by a line opening with a dash (an attribution: "— Name, Title")
        if not ends_sentence(last.text):
            return "join"
        return "join" if same and not line.text.lstrip().startswith(("—", "―")) else "line"
    return "line" if same else "para"


def beside(last: Line, last_chunk: Chunk, line: Line, chunk: Chunk, opening: str) -> bool:
    """Whether ``line`` is drawn on the previous line's row, right of it, in the same column (set apart by
    more than a gutter's width), in an attribution (``opening``, the paragraph's first line, starts
    ``——title``): it goes on after a wide gap (``title    name``)."""
    row = last_chunk is chunk and line.top < last.bottom and line.bottom > last.top and line.x0 > last.x1
    return row and is_attribution(opening)


def name_below(last_chunk: Chunk, line: Line, chunk: Chunk, opening: str) -> bool:
    """Whether ``line`` is a short line set flush right (a name) after an attribution (``opening``, the
    paragraph's first line, starts ``——title``): below it or atop the next column, it goes on a line of its own."""
    flush = line.x1 >= chunk.right - line.size and line.x0 - chunk.left > 0.6 * (chunk.right - chunk.left)
    return flush and last_chunk.box == chunk.box and is_attribution(opening)


@dataclass
class _Builder:
    paras: list[list[list[str]]]
    vocabulary: Vocabulary = Vocabulary(frozenset(), frozenset())

    def add(self, how: str, text: str) -> None:
        if how == "para" or not self.paras:
            self.paras.append([[text]])
        elif how == "line":
            self.paras[-1].append([text])
        elif how == "gap":
            self.paras[-1][-1][-1] = self.paras[-1][-1][-1].rstrip() + INDENT + text.strip()
        else:
            self.paras[-1][-1].append(text)

    def opening(self) -> str:
        """The current paragraph's first piece."""
        return self.paras[-1][0][0] if self.paras else ""

    def text(self) -> str:
        paras = ("\n".join(_join(mend(parts, self.vocabulary)) for parts in para) for para in self.paras)
        return "\n\n".join(paras).rstrip() + "\n"


def _join(parts: list[str]) -> str:
    """Join wrapped pieces of one line (CJK without a space, English with one, hyphenated words mended)."""
    first, last = parts[0], parts[-1]
    lead = INDENT if first.startswith(INDENT) else first[: len(first) - len(first.lstrip())][:1]
    trail = INDENT if last.endswith("  ") else ""
    return lead + join_lines([p.strip() for p in parts]) + trail


def flow(chunks: Iterable[Chunk], body: Type) -> tuple[str, dict[int, str]]:
    """Text of chunks read in order, and a decision per line (by ``id``) for the debug view.

    Args:
        chunks: Flow chunks of every page in reading order, then the boxes.
        body: The body type.

    Returns:
        The text, paragraphs separated by blank lines; ``{id(line): decision}``.
    """
    chunks = list(chunks)
    out = _Builder([], Vocabulary.of(line.text for chunk in chunks for line in chunk.lines))
    decisions: dict[int, str] = {}
    prev: tuple[Line, Chunk, bool] | None = None
    for chunk in chunks:
        contents = sum(strip_leader(line.text)[1] for line in chunk.lines) >= 2
        for line in chunk.lines:
            text, closed = strip_leader(line.text)
            if prev is None:
                how = "para"
            elif beside(prev[0], prev[1], line, chunk, out.opening()):
                how = "gap"
            elif name_below(prev[1], line, chunk, out.opening()):
                how = "line"
            else:
                how = relation(prev, line, chunk, body, contents)
            if how != "join" and _indented(line, chunk):
                text = INDENT + text
            out.add(how, text)
            decisions[id(line)] = _decision(line, chunk, body, closed)
            prev = (line, chunk, closed)
    return out.text(), decisions


def _decision(line: Line, chunk: Chunk, body: Type, contents: bool) -> str:
    if chunk.box:
        return "box"
    if contents:
        return "contents"
    return "heading" if is_heading(line, body) else "body"
