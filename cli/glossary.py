"""`bulletins glossary --suggest`: name pairs found in the archive, as glossary rows for staff to accept."""

from __future__ import annotations

import argparse

from cli.common import index_dir
from cli.errors import EXIT_OK, CliError
from index.interface import IndexProblem


def cmd_glossary(args: argparse.Namespace) -> int:
    """Print the archive's name pairs the glossary lacks (``zh,en,variants,note`` rows, most seen first)."""
    from service.building import glossary_suggestions

    if not args.suggest:
        raise CliError("say what to do: --suggest")
    try:
        pairs = glossary_suggestions(index_dir(args))
    except IndexProblem as exc:
        raise CliError(str(exc)) from exc
    print("zh,en,variants,note")
    for pair in pairs:
        print(pair.row())
    return EXIT_OK
