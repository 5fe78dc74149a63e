"""Items analysed into numpy postings; a large batch is analysed on two cores.

Analysis is pure Python per token (~4k items/s, bench/keyword_build.py), so from ``PARALLEL_FROM`` items another
process analyses the second half into a postings part of its own while this one analyses the first half; the
index then has two parts, which score exactly as one (document frequencies and lengths are global). The helper
is a fork of this process, made only when the process has no other thread: a fork copies no thread but every
lock another one may hold, so a server's or watcher's process analyses everything itself.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

from archive.model import Item
from index.keyword.fields import POSTED, postings_doc
from index.keyword.postings import PostingsIndex
from index.keyword.postings_parts import PostingsPart, build_part

PARALLEL_FROM = 8000  # items (starting the helper process costs ~1 s)


def postings_of(items: Sequence[Item], parallel_from: int = PARALLEL_FROM) -> PostingsIndex:
    """The postings of items, in order (the second half analysed by a helper process for large batches)."""
    if len(items) < parallel_from or (os.cpu_count() or 1) < 2 or threading.active_count() > 1:
        return PostingsIndex([analysed_part("p1", items)], POSTED, 2)
    return in_two_halves(items)


def in_two_halves(items: Sequence[Item]) -> PostingsIndex:
    """The postings of items as two parts, the second analysed by a fork of this process meanwhile."""
    half = len(items) // 2
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        second = pool.submit(analysed_part, "p2", items[half:])
        first = analysed_part("p1", items[:half])
        return PostingsIndex([first, second.result()], POSTED, 3)


def analysed_part(name: str, items: Sequence[Item]) -> PostingsPart:
    """A postings part of items (run in the helper process too)."""
    return build_part(name, (postings_doc(item) for item in items), POSTED)
