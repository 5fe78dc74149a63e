"""whoosh's half of a build's keyword index, written in its own process once the build is live.

The numpy postings answer plain words, phrases and ``textfield:value`` (nearly every query); whoosh answers
operators and exact fields, and costs ~20x the postings to write (bench/keyword_build.py). So a build that must
write whoosh in full commits with the postings alone, then starts ``python -m index.build.keyword_job BUILD``:
it loads the build's items, writes whoosh's files beside the postings (:func:`index.keyword.engine.write_whoosh`:
all of them appear at once) and exits. Meanwhile such queries are searched as plain words, with a notice.

One job per build folder at a time (an exclusive lock on a file the next build's copy skips; a second job waits
for the first, so waiting for either means waiting for the files); a job that dies leaves the build without
whoosh, and the next ``build()`` (even an up-to-date one) starts another.
"""

from __future__ import annotations

import fcntl
import logging
import subprocess
import sys
import threading
from pathlib import Path

from index.keyword.engine import WHOOSH_TMP, whoosh_written, write_whoosh
from index.local import manifest as manifest_mod
from index.store.folder import IndexStore
from index.store.table import ItemTable

log = logging.getLogger(__name__)

KEYWORD = "keyword"
_LOCK = f"{WHOOSH_TMP}.lock"


def missing(build: Path) -> bool:
    """Whether a build's keyword folder lacks whoosh's files."""
    folder = build / KEYWORD
    return folder.is_dir() and not whoosh_written(folder)


def start(build: Path) -> subprocess.Popen | None:
    """Start a job writing whoosh's files of ``build`` when they are missing (None: nothing to do).

    The child is reaped by a daemon thread, which logs a failure (a long-running server starts many jobs).
    """
    if not missing(build):
        return None
    proc = subprocess.Popen([sys.executable, "-m", "index.build.keyword_job", str(build)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    threading.Thread(target=_reap, args=(proc, build), daemon=True, name="keyword-job-reaper").start()
    return proc


def _reap(proc: subprocess.Popen, build: Path) -> None:
    _, err = proc.communicate()
    if proc.returncode:
        log.warning("whoosh index of %s not written (exit %s): %s", build.name, proc.returncode,
                    err.decode(errors="replace")[-500:])


def run(build: Path, block: bool = True) -> bool:
    """Write whoosh's files of ``build`` (in this process) unless they are there.

    Another job holding the build's lock is waited for (``block``; then this one finds the files written), or
    makes this one return False at once.
    """
    folder = build / KEYWORD
    with (folder / _LOCK).open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if block else fcntl.LOCK_NB))
        except BlockingIOError:
            return False
        if not missing(build):
            return True
        manifest = IndexStore(build.parent.parent).read_manifest(build)
        table = ItemTable.load(manifest_mod.item_files(build, manifest))
        write_whoosh(folder, table.items)
    return True


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m index.build.keyword_job BUILD_FOLDER", file=sys.stderr)
        return 2
    build = Path(args[0])
    try:
        run(build)
    except Exception:  # noqa: BLE001 - whoosh and the store raise many kinds when their folder goes
        if build.exists():
            raise
        return 0  # the build was pruned meanwhile: nothing left to index
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
