"""`bulletins glossary --suggest`: name pairs found in the archive, as glossary rows for staff to accept."""

from __future__ import annotations

import argparse

from index.cli.common import index_dir
from index.cli.errors import EXIT_OK, CliError
from index.crosslingual.dictionary import DictionaryMissing, load_dictionary
from index.crosslingual.names import suggestions
from index.errors import IndexProblem
from index.keyword.glossary import default_glossary
from index.store.folder import IndexStore
from index.store.manifest import item_files
from index.store.table import ItemTable


def cmd_glossary(args: argparse.Namespace) -> int:
    """Print the archive's name pairs the glossary lacks (``zh,en,variants,note`` rows, most seen first)."""
    if not args.suggest:
        raise CliError("say what to do: --suggest")
    store = IndexStore(index_dir(args))
    try:
        folder = store.require_current()
        table = ItemTable.load(item_files(folder, store.read_manifest(folder)))
    except IndexProblem as exc:
        raise CliError(str(exc)) from exc
    try:
        romanise = load_dictionary().romanise
    except DictionaryMissing:
        romanise = None
    print("zh,en,variants,note")
    for pair in suggestions(table.items, default_glossary(), romanise):
        print(pair.row())
    return EXIT_OK
