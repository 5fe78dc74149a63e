"""`bulletins items PATH...`: parse files and print their items as JSON lines."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import archive
from index.cli.common import dump
from index.cli.errors import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE


def cmd_items(args: argparse.Namespace) -> int:
    result = archive.read_many([Path(p) for p in args.paths])
    for parsed in result.files:
        for item in parsed.items:
            dump(item.to_dict())
    for error in result.errors:
        print(f"error: {error}", file=sys.stderr)
    if not result.files and result.errors:
        return EXIT_USAGE
    return EXIT_PARTIAL if result.errors else EXIT_OK
