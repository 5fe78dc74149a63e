"""A bulletin's text version split into what the PDF generator prints (test tooling).

The archive's own paragraph split and parse say which lines are section heads, item titles, contents
lines, attributions and the "about" text; wrapped lines are joined into logical lines, hard breaks kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from archive.layout.headings import find_contents
from archive.layout.paragraphs import NUMBERED, Para, numbered_rank, split_paragraphs
from archive.layout.parse import parse_text
from archive.layout.toc import parse_toc
from archive.normalize import collapse_repeats, display_width, join_lines, match_key
from archive.readers.sidecar import read_sidecar


@dataclass(frozen=True)
class Layout:
    """How to print a bulletin.

    Attributes:
        name: Layout name used in test ids and the bench table.
        columns: Body columns per page (1-3).
        numbers: Page-number style: ``dash`` (- 3 -), ``page`` (第3页 / Page 3), ``fraction`` (3/12), ``bare`` (3).
        header: Whether pages carry a running header (bulletin name and issue).
        footer_text: Whether the footer repeats the publisher beside the number.
    """

    name: str
    columns: int
    numbers: str
    header: bool = True
    footer_text: bool = False


LAYOUTS: tuple[Layout, ...] = (
    Layout("one", 1, "dash"),
    Layout("two", 2, "page", footer_text=True),
    Layout("three", 3, "fraction"),
    Layout("bare", 1, "bare", header=False),
)


@dataclass(frozen=True)
class Line:
    """One logical line to print: its text, style and whether it is indented."""

    text: str
    style: str = "body"
    indent: bool = False
    leader: str = ""  # page number printed after dot leaders (contents lines)


@dataclass(frozen=True)
class Block:
    """Lines printed together: a gap before, kept on one column when short."""

    lines: tuple[Line, ...]
    gap: bool = True


@dataclass(frozen=True)
class Bulletin:
    """What the generator prints: front blocks (contents page), body blocks, sidebar blocks."""

    front: tuple[Block, ...]
    body: tuple[Block, ...]
    box: tuple[Block, ...]
    lang: str
    header: str
    publisher: str


# ---- text -> blocks -------------------------------------------------------------------------------------


def _logical(para: Para, width: float) -> list[tuple[str, bool]]:
    """(text, indented) logical lines of a paragraph: wrapped lines joined, hard breaks kept.

    A line break is a wrap when the line before it is nearly as wide as the document's full lines.
    """
    out: list[tuple[list[str], bool]] = []
    for i, raw in enumerate(para.raw):
        prev = para.raw[i - 1] if i else ""
        hard = (not out or raw[:1].isspace() or prev != prev.rstrip() or numbered_rank(raw.strip()) is not None
                or display_width(prev.strip()) < 0.8 * width)
        if hard:
            out.append(([raw.strip()], raw[:1].isspace() or (i > 0 and prev != prev.rstrip())))
        else:
            out[-1][0].append(raw.strip())
    return [(join_lines(lines), indent) for lines, indent in out]


def _style(text: str, sections: set[str], titles: set[str]) -> str:
    if match_key(collapse_repeats(text)) in sections:
        return "section"
    unnumbered = text
    for _, rx in NUMBERED:
        unnumbered = rx.sub("", unnumbered, count=1)
    return "title" if text in titles or unnumbered.strip() in titles else "body"


def _full_width(paras: list[Para]) -> float:
    """Width of a full line of the text: the 90th percentile of line widths."""
    widths = sorted(display_width(r.strip()) for p in paras for r in p.raw)
    return widths[int(len(widths) * 0.9)] if widths else 40.0


def _blocks(paras: list[Para], sections: set[str], titles: set[str], width: float) -> list[Block]:
    blocks: list[Block] = []
    for para in paras:
        lines = tuple(Line(text, _style(text, sections, titles), indent) for text, indent in _logical(para, width))
        blocks.append(Block(lines, para.gap_before))
    return blocks


def _contents(paras: list[Para], sections: set[str], masthead: set[str]) -> list[Block]:
    """The contents page: every line its own, section names and headlines with leaders and a page number."""
    blocks: list[Block] = []
    for n, para in enumerate(paras):
        lines = []
        for line in para.lines:
            if line in masthead or para.kind != "text":
                lines.append(Line(line, "masthead" if not blocks else "body"))
            else:
                style = "section" if match_key(collapse_repeats(line)) in sections else "toc"
                lines.append(Line(line, style, leader=str(2 + n // 3)))
        blocks.append(Block(tuple(lines), para.gap_before))
    return blocks


def _about_start(paras: list[Para], about_text: str) -> int:
    """Index of the paragraph that opens the about text (its heading when one precedes it)."""
    head = about_text[:40].replace("\n", "")
    for i in range(len(paras) - 1, -1, -1):
        p = paras[i]
        if head.startswith(p.text[:40]) and len(p.text) >= 12:
            prev = paras[i - 1] if i else None
            return i - 1 if prev is not None and len(prev.text) <= 12 and prev.kind == "text" else i
    return len(paras)


def bulletin_blocks(text: str, meta_path: Path) -> Bulletin:
    """Split a bulletin's text version into what the generator prints.

    Args:
        text: The text version.
        meta_path: The text file (its sidecar gives the title and language).
    """
    meta = read_sidecar(meta_path)
    parsed = parse_text(text, "gen", str(meta_path), meta)
    paras = split_paragraphs(text)
    toc = parse_toc(paras)
    sections = {match_key(s) for s in {it.section for it in parsed.items} | set(toc.sections if toc else ()) if s}
    titles = {it.title for it in parsed.items}
    about = next((it for it in parsed.items if it.kind == "about"), None)
    split = _about_start(paras, about.text) if about else len(paras)
    front_end = toc.end if toc else 0
    if toc is None:
        start, stop, _ = find_contents([p.lines if p.kind == "text" else [] for p in paras])
        front_end = stop if start >= 0 else 0
    while front_end and len(paras[front_end - 1].lines) == 1 and match_key(paras[front_end - 1].text) in sections:
        front_end -= 1  # the body's first heading belongs to the body
    width = _full_width(paras)
    masthead = set(toc.masthead if toc else ()) | set(paras[0].lines if paras else ())
    front = _contents(paras[:front_end], sections, masthead)
    body = _blocks(paras[front_end:split], sections, titles, width)
    if not front and body:
        body[0] = _masthead(body[0])
    box = [Block(tuple(Line(x.text, "box") for x in b.lines), b.gap)
           for b in _blocks(paras[split:], set(), set(), width)]
    lang = meta.language or parsed.bulletin.language
    return Bulletin(tuple(front), tuple(body), tuple(box), lang, meta.title, meta.publisher)


def _masthead(block: Block) -> Block:
    return Block(tuple(Line(x.text, "masthead", x.indent) for x in block.lines), block.gap)


