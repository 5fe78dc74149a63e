"""The parts of a build: items stored in order as a few folders, each written once, then hard-linked.

A part folder (``parts/<name>/``) holds its items and bulletins (``items.jsonl``), their passage vectors
(index/semantic.py :class:`VectorPart`) and what incremental near-duplicate marking needs about them
(``archive.DedupeState``). The manifest lists the parts in row order. A build that only adds bulletins
links every previous part into the new build folder (no bytes copied) and writes one new part; past
``MAX_PARTS`` the two adjacent parts with the fewest items are merged (their vectors are reused, nothing is
encoded again), so a query never spans many parts. A full build writes everything as one part.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import archive
from archive.model import ParsedFile
from index.store.table import ItemTable, write_items
from index.vectors.engine import PARTS_DIR, VectorPart

ITEMS = "items.jsonl"
MAX_PARTS = 8


@dataclass(frozen=True)
class Part:
    """A part as the manifest lists it."""

    name: str
    items: int
    passages: int

    def to_dict(self) -> dict:
        return asdict(self)


def part_dir(build: Path, name: str) -> Path:
    return build / PARTS_DIR / name


def parts_of(manifest: dict) -> list[Part]:
    return [Part(**p) for p in manifest["parts"]]


def write_part(build: Path, files: Sequence[ParsedFile], vectors: VectorPart) -> Part:
    """A new part of ``build`` holding these (marked) files and their vectors."""
    name = "p" + uuid.uuid4().hex[:12]
    folder = part_dir(build, name)
    vectors.save(folder)
    items = [it for f in files for it in f.items]
    write_items(folder / ITEMS, items, [f.bulletin for f in files])
    archive.DedupeState.save_part(folder, files)
    return Part(name, len(items), vectors.passages)


def link_or_copy(source: Path | str, target: Path | str) -> None:
    """Hard-link a file (no bytes copied); copy it where the file system has no hard links."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def link_part(source: Path, build: Path, part: Part) -> None:
    """Hard-link every file of a part of the ``source`` build into ``build``."""
    target = part_dir(build, part.name)
    target.mkdir(parents=True)
    for path in part_dir(source, part.name).iterdir():
        link_or_copy(path, target / path.name)


def read_files(build: Path, part: Part) -> list[ParsedFile]:
    """The parsed files of a part (bulletins with their items, in row order)."""
    table = ItemTable.load(part_dir(build, part.name) / ITEMS)
    groups = table.by_bulletin()
    return [ParsedFile(b, tuple(groups.get(b.id, ()))) for b in table.bulletins.values()]


def merge_smallest(build: Path, parts: list[Part]) -> list[Part]:
    """Merge adjacent parts, fewest items first, until at most ``MAX_PARTS`` remain (within ``build``).

    Vectors and their codes are concatenated as they are (every part was coded around the build's mean).
    """
    parts = list(parts)
    while len(parts) > MAX_PARTS:
        at = min(range(len(parts) - 1), key=lambda i: parts[i].items + parts[i + 1].items)
        pair = parts[at : at + 2]
        vectors = VectorPart.concat([VectorPart.load(part_dir(build, p.name)) for p in pair])
        parts[at : at + 2] = [write_part(build, [f for p in pair for f in read_files(build, p)], vectors)]
        for p in pair:
            _remove(part_dir(build, p.name))
    return parts


def _remove(folder: Path) -> None:
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()
