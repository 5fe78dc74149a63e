"""Why near-duplicate marking dominates large builds, and what a prefix filter would save (measurement only).

Usage::

    python bench/profile_dedupe.py [--sizes 1000,2000,4000] [--seed 7]

For each size: ``archive.mark_duplicates`` over generated bulletins (seconds, postings visited by its
candidate count), next to :func:`prefix_filtered`, a prototype of the same rule (shared shingles over the
larger set >= threshold) that probes only each item's rarest ``|A| - ceil(t*|A|) + 1`` shingles (the
prefix filter of set-similarity joins, Bayardo et al., WWW 2007: any set with overlap >= t*|A| must share
one of them), then verifies candidates exactly. The script checks that both mark the same duplicates.
Nothing in ``archive/`` is changed.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from archive import dedupe  # noqa: E402
from archive.model import Bulletin, ParsedFile  # noqa: E402
from bench.corpus_gen import ITEMS_PER_BULLETIN, generate  # noqa: E402


def files_of(n_items: int, seed: int) -> list[ParsedFile]:
    items = list(generate(n_items, seed))
    return [ParsedFile(Bulletin(id=items[i].bulletin_id, title=items[i].bulletin_id),
                       tuple(items[i : i + ITEMS_PER_BULLETIN])) for i in range(0, n_items, ITEMS_PER_BULLETIN)]


def postings_visited(files: list[ParsedFile]) -> int:
    """How many posting entries archive.dedupe's candidate Counter walks in total."""
    df: Counter[str] = Counter()
    visited = 0
    for fi in dedupe._order(files):
        for item in files[fi].items:
            grams = dedupe.shingles(item.text)
            visited += sum(df[g] for g in grams)
            df.update(grams)
    return visited


def prefix_filtered(files: list[ParsedFile], threshold: float = dedupe.THRESHOLD) -> list[ParsedFile]:
    """Same marks as archive.dedupe.mark_duplicates, probing only the rarest shingles of each item."""
    grams_of = {(fi, n): dedupe.shingles(it.text) for fi, f in enumerate(files) for n, it in enumerate(f.items)}
    df = Counter(g for grams in grams_of.values() for g in grams)
    postings: dict[str, list[int]] = defaultdict(list)
    seen: list[tuple[str, set[str], str]] = []
    result = list(files)
    for fi in dedupe._order(files):
        items, bulletin = [], files[fi].bulletin.id
        for n, item in enumerate(files[fi].items):
            grams = grams_of[(fi, n)]
            prefix = sorted(grams, key=lambda g: (df[g], g))[: len(grams) - math.ceil(threshold * len(grams)) + 1]
            candidates = sorted({i for g in prefix for i in postings.get(g, ())})
            first = next((seen[i][0] for i in candidates if seen[i][2] != bulletin
                          and dedupe.similarity(grams, seen[i][1]) >= threshold), "")
            items.append(replace(item, duplicate_of=item.duplicate_of or first))
            for g in grams:
                postings[g].append(len(seen))
            seen.append((item.duplicate_of or first or item.id, grams, bulletin))
        result[fi] = ParsedFile(files[fi].bulletin, tuple(items))
    return result


def marks(files: list[ParsedFile]) -> dict[str, str]:
    return {it.id: it.duplicate_of for f in files for it in f.items if it.duplicate_of}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,2000,4000")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    print("| items | mark_duplicates s | postings visited | prefix filter s | speed-up | same marks |")
    print("|---|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        files = files_of(size, args.seed)
        start = time.perf_counter()
        current = dedupe.mark_duplicates(files)
        slow = time.perf_counter() - start
        start = time.perf_counter()
        fast = prefix_filtered(files)
        quick = time.perf_counter() - start
        print(f"| {size} | {slow:.2f} | {postings_visited(files):,} | {quick:.2f} | {slow / quick:.0f}× "
              f"| {marks(current) == marks(fast)} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
