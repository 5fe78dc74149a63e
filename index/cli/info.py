"""`bulletins info`: describe the index (its manifest: model, counts, build time, versions) as JSON."""

from __future__ import annotations

import argparse
import json

from index.cli.common import index_dir
from index.cli.errors import EXIT_OK, CliError
from index.errors import IndexProblem
from index.store.folder import IndexStore

_PER_FILE = ("files", "stats", "bulletin_ids")


def cmd_info(args: argparse.Namespace) -> int:
    store = IndexStore(index_dir(args))
    try:
        folder = store.require_current()
        manifest = store.read_manifest(folder)
    except IndexProblem as exc:
        raise CliError(str(exc)) from exc
    if not args.files:  # one entry per input file: thousands of lines for a large archive
        manifest = manifest | {key: len(manifest.get(key, {})) for key in _PER_FILE}
    print(json.dumps({"index": str(folder)} | manifest, ensure_ascii=False, indent=2))
    return EXIT_OK
