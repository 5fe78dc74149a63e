"""The archive as a long-running front end (the API, the app) sees it: opened in the background at start,
reopened when a new build lands.

Every request asks :meth:`LiveArchive.archive`, which reads which build serves now (the index's ``CURRENT``
pointer: one small file) and, when it names another build than the one held, opens the new build once. Requests
already running keep the archive they were given, so a switch never cuts a search short. :meth:`LiveArchive.watch`
keeps the index up to date with the data folder in a thread (:mod:`service.watch`, with the process's loaded
model) and opens each new build as soon as it lands.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from index.interface import Archive, IndexProblem, Location, ModelError
from service.opening import current_build, ensure_index, open_archive, shared_encoder

if TYPE_CHECKING:  # the watcher (and the builder) load only when watching starts
    from service.watch import Arrival, Watcher

log = logging.getLogger(__name__)


class NotReady(Exception):
    """The index is not open (yet): still building or loading, or unusable (the message says which)."""


class LiveArchive:
    """The serving build of one index, switched atomically when the build changes.

    Args:
        index_root: Where the index lives.
        data_dir: The bulletins folder: built from on first run, written into by uploads.
        build_if_missing: Build the index from ``data_dir`` when there is none (like the app's first run).
    """

    def __init__(self, index_root: Location, data_dir: Path, build_if_missing: bool = True) -> None:
        self.root, self.data_dir, self.build_if_missing = index_root, Path(data_dir), build_if_missing
        self._held: tuple[str, Archive] | None = None
        self._problem = "the index is being opened"
        self._building = False
        self._lock = threading.Lock()
        self.write_lock = threading.Lock()  # one upload at a time in this process (the builder locks across)

    def start(self) -> threading.Thread:
        """Open the index in a background thread (building it first if missing and allowed)."""
        thread = threading.Thread(target=self._open_first, name="open-index", daemon=True)
        thread.start()
        return thread

    def _open_first(self) -> None:
        try:
            if self.build_if_missing and current_build(self.root) is None:
                self._problem, self._building = "the index is being built for the first time", True
                ensure_index(self.root, self.data_dir)
            self._building = False
            self.archive()
        except NotReady:
            pass
        except Exception as exc:  # noqa: BLE001 - reported by /ready, the server keeps running
            self._problem, self._building = f"the index could not be opened: {exc}", False
            log.exception("opening %s failed", self.root)

    def watch(self) -> Watcher:
        """Index files as they arrive in the data folder, in a background thread (``.stop.set()`` ends it)."""
        from service.watch import Watcher, watch_in_thread

        watcher = Watcher(self.data_dir, self.root, self._arrived, encoder_for=shared_encoder,
                          on_error=lambda exc: log.error("watch: build failed: %s", exc))
        watch_in_thread(watcher, lambda: log.info("watch: watching %s for new or replaced bulletins", self.data_dir))
        return watcher

    def _arrived(self, arrival: Arrival) -> None:
        """Log what a watched build brought, and open the new build now (the next request is served from it)."""
        for error in arrival.change.failed or (arrival.report.errors if arrival.first else ()):
            log.warning("watch: %s: %s", "skipped" if error.line else "failed", error)
        if arrival.first and arrival.report.up_to_date:
            return
        log.info("watch: %s (%s in %.1f s)", arrival.change.summary(), arrival.report.mode, arrival.report.seconds)
        try:
            self.archive()
        except NotReady as exc:
            log.warning("watch: new build not open yet: %s", exc)

    @property
    def ready(self) -> bool:
        return self._held is not None

    @property
    def problem(self) -> str:
        return "" if self._held is not None else self._problem

    def archive(self) -> Archive:
        """The current build's archive (reopened if a new build landed since the last request).

        Raises:
            NotReady: nothing is open yet and the current build cannot be opened now.
        """
        held = self._held
        try:
            folder = current_build(self.root)
        except IndexProblem as exc:
            if held is not None:
                return held[1]  # keep serving what works
            raise NotReady(str(exc)) from exc
        if held is not None and held[0] == folder:
            return held[1]
        if folder is None:
            if held is None and not self._building:
                self._problem = f"no index at {self.root}; build it with 'bulletins build --index {self.root}'"
            if held is not None:
                return held[1]  # CURRENT gone: keep serving what works
            raise NotReady(self._problem)
        return self._reopen(folder)

    def _reopen(self, folder: str) -> Archive:
        with self._lock:
            if self._held is not None and self._held[0] == folder:
                return self._held[1]
            try:
                archive = open_archive(self.root)
            except (IndexProblem, ModelError) as exc:
                if self._held is not None:
                    log.warning("new build %s unusable, still serving %s: %s", folder, self._held[0], exc)
                    return self._held[1]
                self._problem = str(exc)
                raise NotReady(str(exc)) from exc
            build = archive.info().build
            log.info("serving build %s", build)
            self._held = (build, archive)
            return archive
