"""Helpers shared by the commands: the index folder an invocation names, JSON-line output."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from index import paths


def index_dir(args: argparse.Namespace) -> Path:
    """The ``--index`` folder, else the default (``$BULLETINS_INDEX`` or data/index)."""
    return Path(args.index) if args.index else paths.default_index_dir()


def dump(record: dict) -> None:
    """Print a record as one JSON line."""
    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
