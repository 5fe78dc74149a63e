"""`bulletins info`: describe the index (what its engine records: model, counts, build time, versions) as JSON."""

from __future__ import annotations

import argparse
import json

from cli.common import index_dir
from cli.errors import EXIT_OK, CliError
from index.interface import IndexProblem
from service.opening import describe

_PER_FILE = ("files", "stats", "bulletin_ids")


def cmd_info(args: argparse.Namespace) -> int:
    try:
        details = dict(describe(index_dir(args)).details)
    except IndexProblem as exc:
        raise CliError(str(exc)) from exc
    if not args.files:  # one entry per input file: thousands of lines for a large archive
        details |= {key: len(details.get(key, {})) for key in _PER_FILE}  # type: ignore[arg-type]
    print(json.dumps(details, ensure_ascii=False, indent=2))
    return EXIT_OK
