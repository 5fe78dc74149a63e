"""Near-duplicate marking at scale: ``archive.mark_duplicates`` against the former pairwise scan, and
``archive.mark_appended`` (one added bulletin against the saved state of the others).

Usage::

    python bench/dedupe_scale.py [--sizes 1000,10000,100000] [--old-max 10000] [--seed 7]
                                 [--incremental 10000,100000] [--repeat 5] [--state-dir DIR]

Generated bulletins (bench/corpus_gen.py, 30 items of ~300 characters, dated, ~2% repeated stories) are
marked by the current implementation and, up to ``--old-max`` items, by the former one
(``tests/archive/test_dedupe_scale._reference_mark_duplicates``); prints a markdown table with the
seconds of each, the items marked as duplicates, and whether both marked exactly the same.

For each ``--incremental`` size N, N items are marked and saved as one :class:`archive.DedupeState` part
(seconds, size on disk), then each of ``--repeat`` following bulletins (30 items, dated after all others)
is marked alone: state load + ``sorts_before`` + ``mark_appended`` (median and slowest seconds, page
cache warm), the first compared with marking all N + 30 items.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `archive`, `bench` and `tests` importable
    sys.path.insert(0, str(ROOT))

from archive import DedupeState, mark_appended, mark_duplicates  # noqa: E402
from archive.model import Bulletin, ParsedFile  # noqa: E402
from bench.corpus_gen import ITEMS_PER_BULLETIN, bulletin_date, bulletin_id, bulletin_items, generate  # noqa: E402
from tests.archive.test_dedupe_scale import _reference_mark_duplicates  # noqa: E402

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


def added_bulletin(number: int, seed: int) -> ParsedFile:
    """Generated bulletin ``number``, dated after every bulletin of :func:`corpus` (whose dates wrap)."""
    bulletin = bulletin_id(number)
    return ParsedFile(Bulletin(id=bulletin, title=bulletin, date=f"2999-01-{1 + number % 28:02d}",
                               source_file=f"{bulletin}.jsonl"), tuple(bulletin_items(seed, number)))


def folder_mb(folder: Path) -> float:
    """Size of the files in ``folder``, in MB."""
    return sum(path.stat().st_size for path in folder.iterdir()) / 1e6


def incremental_row(size: int, seed: int, repeat: int, root: Path) -> str:
    """One markdown table row: saving ``size`` marked items, then marking one added bulletin at a time."""
    old = mark_duplicates(corpus(size, seed))
    part = root / f"part-{size}"
    part.mkdir()
    save_s, _ = timed(lambda files: DedupeState.save_part(part, files), old)
    seconds, found, same = [], 0, "n/a"
    for number in range(size // ITEMS_PER_BULLETIN, size // ITEMS_PER_BULLETIN + repeat):
        new = [added_bulletin(number, seed)]
        start = time.perf_counter()
        state = DedupeState.load([part])
        if not state.sorts_before(new):
            raise AssertionError("the added bulletin must sort after the others")
        marked = mark_appended(state, new)
        seconds.append(time.perf_counter() - start)
        found += duplicates(marked)
        if same == "n/a":
            same = "yes" if mark_duplicates(old + new)[-1:] == marked else "NO"
    return (f"| {size:,} | {save_s:.2f} | {folder_mb(part):.1f} | {statistics.median(seconds):.3f} | "
            f"{max(seconds):.3f} | {found} | {same} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--old-max", type=int, default=10000, help="run the former scan up to this size")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--incremental", default="10000,100000", help="existing items for mark_appended ('' for none)")
    parser.add_argument("--repeat", type=int, default=5, help="added bulletins marked one at a time per size")
    parser.add_argument("--state-dir", type=Path, help="where to save the state (default: a temporary folder)")
    args = parser.parse_args(argv)
    print("| items | old s | new s | duplicates found | identical |")
    print("|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",") if s):
        print(row(size, args.seed, args.old_max), flush=True)
    print("\n| existing items | save s | state MB | load + mark 30 new, median s | slowest s | duplicates found "
          "| identical to full |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(dir=args.state_dir) as root:
        for size in (int(s) for s in args.incremental.split(",") if s):
            print(incremental_row(size, args.seed, args.repeat, Path(root)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
