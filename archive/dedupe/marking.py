"""Near-duplicate items across bulletins (e.g. the same Xinhua story in two issues), marked over all files.

An item is marked as a duplicate of the earliest similar item (:func:`archive.dedupe.keys.matches`) of
another bulletin (bulletins by date then file name, items in file order), or of that item's original.
:func:`mark_duplicates` marks all files at once (:func:`archive.dedupe.join.earliest_matches`);
:func:`archive.dedupe.incremental.mark_appended` marks added files against a saved state with the same
result, through the helpers here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from archive.dedupe.join import earliest_matches
from archive.dedupe.keys import THRESHOLD, order_key
from archive.model import Item, ParsedFile


def mark_duplicates(files: list[ParsedFile], threshold: float = THRESHOLD) -> list[ParsedFile]:
    """Set ``duplicate_of`` on items that repeat an item of an earlier bulletin.

    Args:
        files: Parsed files in any order.
        threshold: Minimum :func:`archive.dedupe.keys.similarity` for a near-duplicate.

    Returns:
        The files in the same order, with ``duplicate_of`` filled where found
        (values already given, e.g. in structured files, are kept).
    """
    order = file_order(files)
    items, bulletin_ids = flatten(files, order)
    first = earliest_matches([item.text for item in items], bulletin_ids, unmarked(items), threshold)
    return with_marks(files, order, items, [""] * len(items), first)


def file_order(files: Sequence[ParsedFile]) -> list[int]:
    """File indexes by bulletin date (undated last) then file name."""
    return sorted(range(len(files)), key=lambda i: order_key(files[i].bulletin))


def flatten(files: Sequence[ParsedFile], order: list[int]) -> tuple[list[Item], list[str]]:
    """Items of the files in dedupe order, and the bulletin id of each."""
    items = [item for fi in order for item in files[fi].items]
    return items, [files[fi].bulletin.id for fi in order for _ in files[fi].items]


def unmarked(items: Sequence[Item]) -> np.ndarray:
    """Which items to find originals for: those without a given ``duplicate_of``."""
    return np.array([not item.duplicate_of for item in items], dtype=bool)


def with_marks(files: Sequence[ParsedFile], order: list[int], items: list[Item], old_roots: Sequence[str],
               first: Sequence[int]) -> list[ParsedFile]:
    """The files with ``duplicate_of`` set from the matches found.

    Args:
        files: The files, in their given order.
        order: File indexes in dedupe order.
        items: Their items in dedupe order.
        old_roots: Per item, the original of its match among files marked before ('' if none); wins over
            ``first``.
        first: Per item, the index in ``items`` of its earliest match (-1 if none).
    """
    roots: list[str] = []
    marked = []
    for index, item in enumerate(items):
        match = old_roots[index] or (roots[first[index]] if first[index] >= 0 else "")
        marked.append(replace(item, duplicate_of=match) if match and not item.duplicate_of else item)
        roots.append(item.duplicate_of or match or item.id)
    result = list(files)
    start = 0
    for fi in order:
        count = len(files[fi].items)
        result[fi] = ParsedFile(files[fi].bulletin, tuple(marked[start : start + count]))
        start += count
    return result
