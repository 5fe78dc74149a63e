"""`bulletins items PATH...`: parse files and print their items as JSON lines."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import archive
from cli.common import dump
from cli.errors import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE


def cmd_items(args: argparse.Namespace) -> int:
    if args.debug_layout:
        return _debug_layout([Path(p) for p in args.paths])
    result = archive.read_many([Path(p) for p in args.paths])
    for parsed in result.files:
        for item in parsed.items:
            dump(item.to_dict())
    for error in result.errors:
        print(f"error: {error}", file=sys.stderr)
    if not result.files and result.errors:
        return EXIT_USAGE
    return EXIT_PARTIAL if result.errors else EXIT_OK


def _debug_layout(paths: list[Path]) -> int:
    """One row per line of each PDF: page, column (-1 across columns, -2 page furniture), y, size, bold,
    the reader's decision and the text."""
    failed = 0
    for path in paths:
        try:
            lines = archive.pdf_layout(path)
        except archive.ArchiveError as exc:
            print(f"error: {exc}", file=sys.stderr)
            failed += 1
            continue
        print(f"# {path}\npage  col      y   size  bold  decision     text")
        for ln in lines:
            print(f"{ln.page:>4} {ln.column:>4} {ln.y:>6.1f} {ln.size:>6.1f}  {'B' if ln.bold else ' ':>4}  "
                  f"{ln.decision:<11}  {ln.text}")
    if failed == len(paths):
        return EXIT_USAGE
    return EXIT_PARTIAL if failed else EXIT_OK
