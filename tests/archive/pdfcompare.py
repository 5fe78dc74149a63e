"""Compare the items read from a generated PDF with those of its text version (tests and bench)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import archive
from archive.model import Item
from archive.normalize import CJK

FIELDS = ("kind", "section", "title", "date", "date_end", "source", "speaker", "speaker_title", "place")
PAGE_NUMBER = re.compile(r"第\s*\d+\s*页|(?<![\d.])\d+\s*/\s*\d+(?![\d.])|\bPage \d+\b")
_SPACE_NEAR_CJK = re.compile(f"\\s+(?=[{CJK}])|(?<=[{CJK}])\\s+")


def norm(text: str) -> str:
    """Whitespace-normalised text: runs collapsed to one space, none next to a CJK character."""
    return _SPACE_NEAR_CJK.sub("", re.sub(r"\s+", " ", text)).strip()


def row(item: Item) -> tuple[str, ...]:
    """The fields compared, text included (normalised)."""
    return (*(getattr(item, f) for f in FIELDS), norm(item.text))


@dataclass(frozen=True)
class Comparison:
    """How a PDF's items match the text version's."""

    gold: tuple[Item, ...]
    got: tuple[Item, ...]
    equal: int  # gold items matched by an equal item in order

    @property
    def rate(self) -> float:
        return self.equal / len(self.gold) if self.gold else 1.0

    def differences(self) -> list[str]:
        """Human-readable differences, for assertion messages."""
        a, b = [row(it) for it in self.gold], [row(it) for it in self.got]
        return [line for line in difflib.unified_diff([repr(r) for r in a], [repr(r) for r in b], lineterm="", n=0)
                if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def compare(text_file: Path, pdf: Path) -> Comparison:
    """Read both versions and count the gold items found equal, in order."""
    gold = archive.read(text_file).items
    got = archive.read(pdf).items
    matcher = difflib.SequenceMatcher(a=[row(it) for it in gold], b=[row(it) for it in got], autojunk=False)
    equal = sum(block.size for block in matcher.get_matching_blocks())
    return Comparison(gold, got, equal)


def check_presence_absence_order(text_file: Path, pdf: Path, furniture: Callable[[int], list[str]]) -> None:
    """olmOCR-Bench-style checks of a PDF against its text version: every item's text is found; no page
    furniture (``furniture(pages)``) and no page number inside an item beyond what the text itself holds; the
    items in their order.

    Raises:
        AssertionError: Naming the missing items, the furniture found, or the order broken.
    """
    import pypdfium2 as pdfium

    gold, got = archive.read(text_file).items, archive.read(pdf).items
    flat, gold_flat = norm(" ".join(it.text for it in got)), norm(" ".join(it.text for it in gold))
    missing = [it.title for it in gold if norm(it.text) not in flat]
    assert not missing, f"item texts not found: {missing}"
    for junk in furniture(len(pdfium.PdfDocument(str(pdf)))):
        assert flat.count(norm(junk)) <= gold_flat.count(norm(junk)), f"page furniture {junk!r} inside an item"
    assert len(PAGE_NUMBER.findall(flat)) <= len(PAGE_NUMBER.findall(gold_flat)), "a page number inside an item"
    positions = [flat.find(norm(it.text)) for it in gold]
    assert positions == sorted(positions), "items out of order"
