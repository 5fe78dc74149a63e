"""`bulletins build`: build or update the index from the data folder, with progress and a summary on stderr."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from index import paths
from index.cli.common import index_dir
from index.cli.errors import EXIT_OK, EXIT_PARTIAL, CliError
from index.errors import IndexProblem
from index.vectors.encoders import ModelError

if TYPE_CHECKING:
    from index.build.builder import BuildReport


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
    from index.build.builder import build

    data = Path(args.data) if args.data else paths.default_data_dir()
    if not data.is_dir():
        raise CliError(f"data folder {data} does not exist")
    try:
        report = build(data, index_dir(args), model=args.model or paths.model_override(), rebuild=args.rebuild,
                       progress=_Progress(args.quiet))
    except (IndexProblem, ModelError) as exc:
        raise CliError(str(exc)) from exc
    for error in report.errors:
        print(f"{'skipped' if error.line else 'failed'}: {error}", file=sys.stderr)
    if report.kept_from_previous:
        print(f"kept the previous items of: {', '.join(report.kept_from_previous)}", file=sys.stderr)
    if not args.quiet or report.errors:
        print(_build_summary(report), file=sys.stderr)
    return EXIT_PARTIAL if report.errors else EXIT_OK


def _build_summary(report: BuildReport) -> str:
    if report.up_to_date:
        return f"index is up to date: {report.files} files, {report.items} items (nothing to do)"
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(report.by_kind.items()))
    changed = len(report.changed_bulletins)
    how = "appended" if report.mode == "append" else "built"
    return (f"{how}: {report.files} files, {report.items} items ({kinds}); {changed} bulletins updated, "
            f"{report.encoded_passages} passages encoded, {_failures(report)}, {report.seconds:.1f} s")


def _failures(report: BuildReport) -> str:
    """'2 files failed', with the bad records skipped in files that were otherwise read."""
    records = sum(1 for e in report.errors if e.line)
    files = f"{len(report.errors) - records} files failed"
    return f"{files}, {records} bad records skipped" if records else files
