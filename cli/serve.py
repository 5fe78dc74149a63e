"""`bulletins serve` (the JSON HTTP API) and `bulletins keys hash` (a key's entry for the keys file)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli.common import index_dir
from cli.errors import EXIT_OK, CliError
from service import paths


def cmd_serve(args: argparse.Namespace) -> int:
    from api.keys import KeyConfigError, load_keys
    from api.serve import run

    if not 0 < args.port < 65536:
        raise CliError(f"--port {args.port} is not a TCP port")
    try:
        keys = load_keys(Path(args.keys) if args.keys else None)
    except KeyConfigError as exc:
        raise CliError(str(exc)) from exc
    root = index_dir(args)
    if args.keys and isinstance(root, Path) and Path(args.keys).resolve().is_relative_to(root.resolve()):
        raise CliError("keep the keys file outside the index folder")
    data = Path(args.data) if args.data else paths.default_data_dir()
    if args.watch and not data.is_dir():
        raise CliError(f"data folder {data} does not exist (--watch watches it)")
    run(root, keys, data, args.host, args.port, build_if_missing=not args.no_build, watch=args.watch)
    return EXIT_OK


def cmd_keys_hash(args: argparse.Namespace) -> int:
    from api.keys import hash_key

    key = sys.stdin.readline().strip()
    if not key:
        raise CliError("give the key on stdin, e.g. 'openssl rand -hex 24 | tee key.txt | bulletins keys hash'")
    name = args.name.replace("\\", "").replace('"', "")
    print(f'[[keys]]\nname = "{name}"\nrole = "{args.role}"\nhash = "{hash_key(key)}"')
    return EXIT_OK
