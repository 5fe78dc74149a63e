"""Split extracted text into classified paragraphs (the layout's building blocks)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from archive.layout.events import event_field
from archive.layout.headings import is_credit_line
from archive.layout.quotes import is_attribution
from archive.layout.sources import source_line
from archive.normalize import (
    clean_line,
    collapse_repeats,
    display_width,
    ends_sentence,
    is_furniture,
    join_lines,
)

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
NUMBERED = (
    (10, re.compile(r"^[一二三四五六七八九十]{1,3}\s*[、.．]\s*(?=\S)")),
    (11, re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]\s*(?=\S)")),
    (12, re.compile(r"^\d{1,2}\s*(?:[.．、]|\))\s*(?=[^\d\s])")),
)


@dataclass
class Para:
    """A paragraph: consecutive lines of one kind.

    Attributes:
        kind: ``text``, ``attribution``, ``source``, ``field``, ``furniture``, ``credit`` (an editor or
            publisher line of the masthead) or ``markup``.
        lines: Cleaned lines.
        raw: Lines as extracted.
        line_no: 1-based number of the first line in the document.
        gap_before: Whether a blank line preceded the paragraph (implied breaks do not count).
        value: Parsed value (outlet for ``source``, ``(name, value)`` for ``field``, level for ``markup``).
    """

    kind: str
    lines: list[str]
    raw: list[str]
    line_no: int
    gap_before: bool = True
    value: object = None
    extra: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return join_lines(self.lines)

    @property
    def header_key(self) -> str:
        return collapse_repeats(self.text)


def numbered_rank(line: str) -> int | None:
    """Rank of a numbered-headline prefix (``一、`` 10, ``（一）`` 11, ``1.`` 12), or None."""
    for rank, rx in NUMBERED:
        if rx.match(line):
            return rank
    return None


def is_short_line(line: str) -> bool:
    """Whether a line could be a heading: short and not ending a sentence."""
    line = line.strip()
    if not line or ends_sentence(line) and not line.endswith(("?", "？", "”", "）", ")")):
        return False
    words = len(line.split())
    return display_width(line) <= 36 and words <= 16 and len(line) <= 90


def _line_kind(line: str) -> tuple[str, object]:
    if is_furniture(line):
        return "furniture", None
    if is_credit_line(line):
        return "credit", None
    src = source_line(line)
    if src:
        return "source", src
    fld = event_field(line)
    if fld:
        return "field", fld
    m = _MD_HEADING.match(line)
    if m:
        return "markup", len(m.group(1))
    return ("attribution", None) if is_attribution(line) else ("text", None)


def _starts_paragraph(raw: str, previous: str) -> bool:
    """A line indented after a finished sentence starts a new paragraph (PDF text boxes)."""
    return raw[:1].isspace() and ends_sentence(previous)


_NAME_GAP = re.compile(r"\S(?:\s{2,}|\u3000+)\S")


def _attribution_continues(last: Para, raw: str) -> bool:
    """Whether ``raw`` continues an attribution (its wrapped title or the name in its own column)."""
    line = raw.strip()
    if len(last.lines) >= 3 or ends_sentence(last.lines[-1]) or _NAME_GAP.search(last.raw[-1].strip()):
        return False
    gap_before_name = last.raw[-1] != last.raw[-1].rstrip() or raw[:1].isspace()
    if gap_before_name:
        return display_width(line) <= 10
    if _NAME_GAP.search(line):
        return display_width(line) <= 48
    return last.lines[-1].endswith(("、", ",", "，")) and not ends_sentence(line) and display_width(line) <= 40


def split_paragraphs(text: str) -> list[Para]:
    """Split text into classified paragraphs.

    Args:
        text: The whole extracted document text.

    Returns:
        Paragraphs in document order; blank lines and empty lines are consumed.
    """
    paras: list[Para] = []
    blank = True
    raws = text.splitlines()
    implied = implied_breaks([clean_line(r) for r in raws])
    for no, raw in enumerate(raws, start=1):
        line = clean_line(raw)
        if not line:
            blank = True
            continue
        kind, value = _line_kind(line)
        last = paras[-1] if paras else None
        if _continues(last, kind, raw, blank, (no - 1) in implied):
            last.lines.append(line)
            last.raw.append(raw)
        else:
            paras.append(Para(kind, [line], [raw], no, blank, value))
        blank = False
    return paras


def _continues(last: Para | None, kind: str, raw: str, blank: bool, implied: bool) -> bool:
    if last is None or blank:
        return False
    if last.kind == "attribution":
        return kind == "text" and _attribution_continues(last, raw)
    if implied or last.kind != "text" or kind != "text":
        return False
    return not _starts_paragraph(raw, last.lines[-1])


def implied_breaks(lines: list[str]) -> set[int]:
    """Paragraph breaks implied by line widths, for text extracted without blank lines (PDF).

    Only used when under 5% of the lines are blank. A break goes after a line that ends a
    sentence and is shorter than its neighbours, and around a line that does not end a sentence
    but is much shorter than its neighbours (a heading or contents line).

    Args:
        lines: Cleaned lines ('' for blank).

    Returns:
        Indexes of lines that start a new paragraph.
    """
    if len(lines) < 8 or sum(1 for line in lines if not line) > len(lines) * 0.05:
        return set()
    widths = [display_width(line) for line in lines]
    breaks: set[int] = set()
    for i, line in enumerate(lines):
        if not line:
            continue
        near = max(widths[max(i - 1, 0)], widths[i + 1] if i + 1 < len(lines) else 0)
        if ends_sentence(line) and widths[i] < 0.9 * near:
            breaks.add(i + 1)
        elif not ends_sentence(line) and widths[i] < 0.7 * near:
            breaks.update((i, i + 1))
    return breaks
