"""`bulletins solr init`: prepare an archive in SolrCloud (configset, a first empty collection behind the alias)."""

from __future__ import annotations

import argparse
import sys

from cli.errors import EXIT_OK, CliError
from index.interface import IndexProblem, ModelError


def cmd_solr_init(args: argparse.Namespace) -> int:
    from service.building import init_solr

    if not args.index.startswith("solr://"):
        raise CliError(f"--index {args.index}: give the archive's Solr address, solr://HOST:PORT/solr/NAME")
    if args.shards < 1 or args.replicas < 1:
        raise CliError("--shards and --replicas must be at least 1")
    try:
        collection = init_solr(args.index, args.model, args.shards, args.replicas)
    except (IndexProblem, ModelError) as exc:
        raise CliError(str(exc)) from exc
    print(f"{args.index}: {collection} ({args.shards} shards x {args.replicas} replicas); "
          f"now run 'bulletins build --index {args.index}'", file=sys.stderr)
    return EXIT_OK
