"""Near-duplicate marking at scale: ``archive.mark_duplicates`` against the former pairwise scan.

Usage::

    python bench/dedupe_scale.py [--sizes 1000,10000,100000] [--old-max 10000] [--seed 7]

Generated bulletins (bench/corpus_gen.py, 30 items of ~300 characters, dated, ~2% repeated stories) are
marked by the current implementation and, up to ``--old-max`` items, by the former one
(``tests/test_archive_dedupe_scale._reference_mark_duplicates``); prints a markdown table with the
seconds of each, the items marked as duplicates, and whether both marked exactly the same.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `archive`, `bench` and `tests` importable
    sys.path.insert(0, str(ROOT))

from archive import mark_duplicates  # noqa: E402
from archive.model import Bulletin, ParsedFile  # noqa: E402
from bench.corpus_gen import ITEMS_PER_BULLETIN, bulletin_date, generate  # noqa: E402
from tests.test_archive_dedupe_scale import _reference_mark_duplicates  # noqa: E402

Marker = Callable[[list[ParsedFile]], list[ParsedFile]]


def corpus(n_items: int, seed: int) -> list[ParsedFile]:
    """``n_items`` generated items as parsed files, one per bulletin, with issue dates and file names.

    Args:
        n_items: Number of items.
        seed: Generator seed.

    Returns:
        The files in bulletin order.
    """
    items = list(generate(n_items, seed))
    files = []
    for start in range(0, n_items, ITEMS_PER_BULLETIN):
        bulletin = items[start].bulletin_id
        date = bulletin_date(start // ITEMS_PER_BULLETIN).isoformat()
        files.append(ParsedFile(Bulletin(id=bulletin, title=bulletin, date=date, source_file=f"{bulletin}.jsonl"),
                                tuple(items[start : start + ITEMS_PER_BULLETIN])))
    return files


def timed(marker: Marker, files: list[ParsedFile]) -> tuple[float, list[ParsedFile]]:
    """Seconds taken by ``marker`` on ``files``, and its result."""
    start = time.perf_counter()
    result = marker(files)
    return time.perf_counter() - start, result


def duplicates(files: list[ParsedFile]) -> int:
    """Number of items marked as duplicates."""
    return sum(1 for f in files for item in f.items if item.duplicate_of)


def row(size: int, seed: int, old_max: int) -> str:
    """One markdown table row for ``size`` items."""
    files = corpus(size, seed)
    new_s, new = timed(mark_duplicates, files)
    if size > old_max:
        return f"| {size:,} | (not run) | {new_s:.2f} | {duplicates(new):,} | n/a |"
    old_s, old = timed(_reference_mark_duplicates, files)
    same = "yes" if old == new else "NO"
    return f"| {size:,} | {old_s:.2f} | {new_s:.2f} | {duplicates(new):,} | {same} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--old-max", type=int, default=10000, help="run the former scan up to this size")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    print("| items | old s | new s | duplicates found | identical |")
    print("|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        print(row(size, args.seed, args.old_max), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
