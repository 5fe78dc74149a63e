"""Split extracted text into classified paragraphs (the layout's building blocks)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from archive.events import event_field
from archive.normalize import clean_line, collapse_repeats, display_width, ends_sentence, is_furniture, join_lines
from archive.quotes import is_attribution
from archive.sources import source_line

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
        kind: ``text``, ``attribution``, ``source``, ``field``, ``furniture`` or ``markup``.
        lines: Cleaned lines.
        raw: Lines as extracted.
        line_no: 1-based number of the first line in the document.
        gap_before: Whether a blank line preceded the paragraph.
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


def split_paragraphs(text: str) -> list[Para]:
    """Split text into classified paragraphs.

    Args:
        text: The whole extracted document text.

    Returns:
        Paragraphs in document order; blank lines and empty lines are consumed.
    """
    paras: list[Para] = []
    gap = True
    for no, raw in enumerate(text.splitlines(), start=1):
        line = clean_line(raw)
        if not line:
            gap = True
            continue
        kind, value = _line_kind(line)
        last = paras[-1] if paras else None
        if _continues(last, kind, raw, gap):
            last.lines.append(line)
            last.raw.append(raw)
        else:
            paras.append(Para(kind, [line], [raw], no, gap, value))
        gap = False
    return paras


def _continues(last: Para | None, kind: str, raw: str, gap: bool) -> bool:
    if last is None or gap:
        return False
    if last.kind == "attribution":
        return kind == "text" and len(last.lines) < 3 and not ends_sentence(last.lines[-1])
    if last.kind != "text" or kind != "text":
        return False
    return not _starts_paragraph(raw, last.lines[-1])
