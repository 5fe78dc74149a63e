"""`bulletins build`: build or update the index from the data folder, with progress and a summary on stderr;
with ``--watch``, then keep it up to date as files arrive (:mod:`service.building`) until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from cli.common import index_dir
from cli.errors import EXIT_OK, EXIT_PARTIAL, CliError
from index.interface import IndexProblem, ModelError
from service import paths

if TYPE_CHECKING:
    from service.building import Arrival, BuildReport


class _Progress:
    """One-line progress on stderr: 'embedding  120/300'."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.quiet or not total:
            return
        width = 30
        filled = int(width * done / total)
        end = "\n" if done >= total else ""
        print(f"\r{stage:8} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end=end, file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    from service.building import build

    data = Path(args.data) if args.data else paths.default_data_dir()
    if not data.is_dir():
        raise CliError(f"data folder {data} does not exist")
    if args.watch:
        return _watch(args, data)
    try:
        report = build(data, index_dir(args), model=args.model or paths.model_override(), rebuild=args.rebuild,
                       progress=_Progress(args.quiet))
    except (IndexProblem, ModelError) as exc:
        raise CliError(str(exc)) from exc
    _print_report(report, args.quiet)
    return EXIT_PARTIAL if report.errors else EXIT_OK


def _print_report(report: BuildReport, quiet: bool) -> None:
    for error in report.errors:
        print(f"{'skipped' if error.line else 'failed'}: {error}", file=sys.stderr)
    if report.kept_from_previous:
        print(f"kept the previous items of: {', '.join(report.kept_from_previous)}", file=sys.stderr)
    if not quiet or report.errors:
        print(_build_summary(report), file=sys.stderr)


def _watch(args: argparse.Namespace, data: Path) -> int:
    """Build, then build again whenever the data folder changes, until SIGINT/SIGTERM (exit 0)."""
    from service.building import Watcher

    stop = threading.Event()

    def stopping(signum: int, frame: object) -> None:
        stop.set()  # the build running now finishes; a second Ctrl-C interrupts it
        signal.signal(signal.SIGINT, signal.default_int_handler)

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, stopping)
    if args.stop_with:
        _stop_with_parent(args.stop_with, stop)
    watcher = Watcher(data, index_dir(args), lambda arrival: _print_arrival(arrival, args.quiet), stop=stop,
                      model=args.model or paths.model_override(), progress=_Progress(args.quiet),
                      on_error=lambda exc: print(f"bulletins build: {exc}", file=sys.stderr, flush=True))
    ready = lambda: print(f"watching {data} for new or replaced bulletins (Ctrl-C to stop)",  # noqa: E731
                          file=sys.stderr, flush=True)
    try:
        watcher.run(ready)
    except (IndexProblem, ModelError) as exc:
        raise CliError(str(exc)) from exc
    except KeyboardInterrupt:
        pass
    print("stopped watching", file=sys.stderr, flush=True)
    return EXIT_OK


def _print_arrival(arrival: Arrival, quiet: bool) -> None:
    """The first build as `bulletins build` prints it; later ones as a line of what arrived, with every
    file that could not be read named with the reason."""
    if arrival.first:
        _print_report(arrival.report, quiet)
    else:
        report, change = arrival.report, arrival.change
        for error in change.failed:
            print(f"{'skipped' if error.line else 'failed'}: {error}", file=sys.stderr)
        how = "appended" if report.mode == "append" else "built"
        print(f"{time.strftime('%H:%M:%S')} {change.summary()}: {how} in {report.seconds:.1f} s, the index holds "
              f"{report.items} items", file=sys.stderr)
    sys.stderr.flush()


def _stop_with_parent(pid: int, stop: threading.Event) -> None:
    """Stop when process ``pid`` (the app server that started this watcher) is no longer our parent."""

    def check() -> None:
        while not stop.wait(0.5):
            if os.getppid() != pid:
                stop.set()

    threading.Thread(target=check, name="stop-with-parent", daemon=True).start()


def _build_summary(report: BuildReport) -> str:
    if report.up_to_date:
        return f"index is up to date: {report.files} files, {report.items} items (nothing to do)"
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(report.by_kind.items()))
    changed = len(report.changed_bulletins)
    how = "appended" if report.mode == "append" else "built"
    encoding = report.encode_seconds
    rate = f" ({report.encoded_passages / encoding:.0f}/s)" if report.encoded_passages and encoding else ""
    searchable = f", searchable after {report.searchable_seconds:.1f} s" \
        if report.seconds - report.searchable_seconds >= 0.1 else ""
    pending = "; operators and field searches follow in the background" if report.keyword_pending else ""
    return (f"{how}: {report.files} files, {report.items} items ({kinds}); {changed} bulletins updated, "
            f"{report.encoded_passages} passages encoded{rate}, {_failures(report)}, {report.seconds:.1f} s"
            f"{searchable}{pending}")


def _failures(report: BuildReport) -> str:
    """'2 files failed', with the bad records skipped in files that were otherwise read."""
    records = sum(1 for e in report.errors if e.line)
    files = f"{len(report.errors) - records} files failed"
    return f"{files}, {records} bad records skipped" if records else files
