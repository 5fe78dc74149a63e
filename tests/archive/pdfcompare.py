"""Compare the items read from a generated PDF with those of its text version (tests and bench)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import archive
from archive.model import Item
from archive.normalize import CJK

FIELDS = ("kind", "section", "title", "date", "date_end", "source", "speaker", "speaker_title", "place")
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
