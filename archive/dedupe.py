"""Near-duplicate items across bulletins (e.g. the same Xinhua story in two issues)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace

from archive.model import ParsedFile
from archive.normalize import match_key

THRESHOLD = 0.8
SHINGLE = 4


def shingles(text: str) -> set[str]:
    """Character shingles of the matching key (the key itself when short)."""
    key = match_key(text)
    if len(key) <= SHINGLE:
        return {key} if key else set()
    return {key[i : i + SHINGLE] for i in range(len(key) - SHINGLE + 1)}


def similarity(a: set[str], b: set[str]) -> float:
    """Shared shingles over the larger set: 1.0 for identical texts, high only when both are alike."""
    return len(a & b) / max(len(a), len(b)) if a and b else 0.0


def _order(files: list[ParsedFile]) -> list[int]:
    """File indexes by bulletin date (undated last) then file name."""
    return sorted(range(len(files)), key=lambda i: (files[i].bulletin.date or "9999", files[i].bulletin.source_file))


def mark_duplicates(files: list[ParsedFile], threshold: float = THRESHOLD) -> list[ParsedFile]:
    """Set ``duplicate_of`` on items that repeat an item of an earlier bulletin.

    Args:
        files: Parsed files in any order.
        threshold: Minimum :func:`similarity` for a near-duplicate.

    Returns:
        The files in the same order, with ``duplicate_of`` filled where found
        (values already given, e.g. in structured files, are kept).
    """
    postings: dict[str, list[int]] = defaultdict(list)
    seen: list[tuple[str, set[str], str]] = []
    result = list(files)
    for fi in _order(files):
        items = []
        for item in files[fi].items:
            grams = shingles(item.text)
            first = _first_match(grams, seen, postings, files[fi].bulletin.id, threshold)
            items.append(replace(item, duplicate_of=item.duplicate_of or first))
            for g in grams:
                postings[g].append(len(seen))
            seen.append((item.duplicate_of or first or item.id, grams, files[fi].bulletin.id))
        result[fi] = ParsedFile(files[fi].bulletin, tuple(items))
    return result


def _first_match(grams: set[str], seen: list[tuple[str, set[str], str]], postings: dict[str, list[int]],
                 bulletin: str, threshold: float) -> str:
    """Id of the earliest earlier item (of another bulletin) similar enough to ``grams``."""
    counts = Counter(i for g in grams for i in postings.get(g, ()))
    need = threshold * len(grams)
    for i in sorted(i for i, c in counts.items() if c >= need):
        root, other, other_bulletin = seen[i]
        if other_bulletin != bulletin and similarity(grams, other) >= threshold:
            return root
    return ""
