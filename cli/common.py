"""Helpers shared by the commands: the index folder an invocation names, JSON-line output."""

from __future__ import annotations

import argparse
import json
import sys

from index.interface import Location
from service import paths


def index_dir(args: argparse.Namespace) -> Location:
    """Where ``--index`` says the index lives (a folder or an engine's URL), else the default (``$BULLETINS_INDEX``
    or data/index)."""
    return paths.index_location(args.index)


def dump(record: dict) -> None:
    """Print a record as one JSON line."""
    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
