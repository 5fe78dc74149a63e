"""Implementations of the CLI subcommands (argument parsing lives in cli.py)."""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import archive
from index import paths
from index.cli.parser import EXIT_OK, EXIT_PARTIAL, CliError
from index.errors import IndexProblem
from index.search.filters import Filters
from index.search.results import Hit, SearchResult
from index.store.folder import IndexStore
from index.vectors.encoders import ModelError

if TYPE_CHECKING:
    from index.build.builder import BuildReport


def _index_dir(args: argparse.Namespace) -> Path:
    return Path(args.index) if args.index else paths.default_index_dir()


def _open_searcher(args: argparse.Namespace):
    from dataclasses import replace

    from index.search.searcher import HybridConfig, Searcher

    config = HybridConfig()
    if getattr(args, "fusion", None):
        config = replace(config, method=args.fusion)
    if getattr(args, "semantic_weight", None) is not None:
        if not 0 <= args.semantic_weight <= 1:
            raise CliError("--semantic-weight must be between 0 and 1")
        config = replace(config, semantic_weight=args.semantic_weight)
    if getattr(args, "partial_damping", None) is not None:
        config = replace(config, partial_keyword_damping=args.partial_damping)
    try:
        return Searcher.open(_index_dir(args), config=config)
    except IndexProblem as exc:
        raise CliError(str(exc)) from exc


def _dump(record: dict) -> None:
    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


def cmd_items(args: argparse.Namespace) -> int:
    result = archive.read_many([Path(p) for p in args.paths])
    for parsed in result.files:
        for item in parsed.items:
            _dump(item.to_dict())
    for error in result.errors:
        print(f"error: {error}", file=sys.stderr)
    if not result.files and result.errors:
        return 2
    return EXIT_PARTIAL if result.errors else EXIT_OK


class _Progress:
    """One-line progress on stderr: 'embedding  120/300'."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.quiet or not total:
            return
        width = 30
        filled = int(width * done / total)
        end = "\n" if done >= total else ""
        print(f"\r{stage:8} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end=end, file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    from index.build.builder import build

    data = Path(args.data) if args.data else paths.default_data_dir()
    if not data.is_dir():
        raise CliError(f"data folder {data} does not exist")
    try:
        report = build(data, _index_dir(args), model=args.model or paths.model_override(), rebuild=args.rebuild,
                       progress=_Progress(args.quiet))
    except (IndexProblem, ModelError) as exc:
        raise CliError(str(exc)) from exc
    for error in report.errors:
        print(f"failed: {error}", file=sys.stderr)
    if report.kept_from_previous:
        print(f"kept the previous items of: {', '.join(report.kept_from_previous)}", file=sys.stderr)
    if not args.quiet or report.errors:
        print(_build_summary(report), file=sys.stderr)
    return EXIT_PARTIAL if report.errors else EXIT_OK


def _build_summary(report: BuildReport) -> str:
    if report.up_to_date:
        return f"index is up to date: {report.files} files, {report.items} items (nothing to do)"
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(report.by_kind.items()))
    changed = len(report.changed_bulletins)
    how = "appended" if report.mode == "append" else "built"
    return (f"{how}: {report.files} files, {report.items} items ({kinds}); {changed} bulletins updated, "
            f"{report.encoded_passages} passages encoded, {len(report.errors)} files failed, "
            f"{report.seconds:.1f} s")


def _filters(args: argparse.Namespace) -> Filters:
    for name in ("since", "until"):
        value = getattr(args, name)
        if value and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
            raise CliError(f"--{name} '{value}' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    return Filters(
        sections=tuple(args.section), kinds=tuple(args.kind), bulletins=tuple(args.bulletin),
        speakers=(args.speaker,) if args.speaker else (), sources=(args.source,) if args.source else (),
        langs=(args.lang,) if args.lang else (), since=args.since or "", until=args.until or "",
    )


def cmd_search(args: argparse.Namespace) -> int:
    if (args.query is None) == (args.queries is None):
        raise CliError("give a QUERY or --queries FILE (one of them)")
    if args.k < 1:
        raise CliError("-k must be at least 1")
    filters = _filters(args)
    searcher = _open_searcher(args)
    try:
        if args.queries:
            for query in _read_queries(Path(args.queries)):
                result = searcher.search(query, args.mode, filters, args.k)
                _dump({"query": query, "took_ms": round(result.took_ms, 2), "notice": result.notice,
                       "hits": [h.to_dict() for h in result.hits]})
            return EXIT_OK
        result = searcher.search(args.query, args.mode, filters, args.k)
    except ModelError as exc:
        raise CliError(str(exc)) from exc
    _print_result(result, args.json)
    return EXIT_OK


def _read_queries(path: Path) -> list[str]:
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"cannot read queries from {path}: {exc}") from exc
    return [line.strip() for line in lines if line.strip()]


def _print_result(result: SearchResult, as_json: bool) -> None:
    if as_json:
        for hit in result.hits:
            _dump(hit.to_dict())
        return
    if result.notice:
        print(f"note: {result.notice}", file=sys.stderr)
    scope = f" ({result.filters.describe()})" if not result.filters.is_empty() else ""
    print(f"{result.total} results for '{result.query}' [{result.mode}]{scope} in {result.took_ms:.0f} ms")
    for hit in result.hits:
        print(_format_hit(hit))


def _format_hit(hit: Hit) -> str:
    it = hit.item
    meta = " · ".join(x for x in (it.date, it.section, it.source, it.speaker) if x)
    snippet = html.unescape(hit.snippet.replace("<mark>", "[").replace("</mark>", "]"))
    ranks = f"keyword #{hit.keyword_rank or '-'}, semantic #{hit.semantic_rank or '-'}"
    dups = f"\n     + {len(hit.duplicates)} near-duplicate(s)" if hit.duplicates else ""
    return f"{hit.rank:3}. [{it.kind}] {it.title}  ({it.id})\n     {meta}  ({ranks})\n     {snippet}{dups}"


def cmd_similar(args: argparse.Namespace) -> int:
    searcher = _open_searcher(args)
    try:
        hits = searcher.similar(args.item_id, args.k)
    except KeyError as exc:
        raise CliError(exc.args[0]) from exc
    for hit in hits:
        print(json.dumps(hit.to_dict(), ensure_ascii=False) if args.json else _format_hit(hit))
    return EXIT_OK


def cmd_info(args: argparse.Namespace) -> int:
    store = IndexStore(_index_dir(args))
    try:
        folder = store.require_current()
        manifest = store.read_manifest(folder)
    except IndexProblem as exc:
        raise CliError(str(exc)) from exc
    if not args.files:  # one entry per input file: thousands of lines for a large archive
        manifest = manifest | {key: len(manifest.get(key, {})) for key in _PER_FILE}
    print(json.dumps({"index": str(folder)} | manifest, ensure_ascii=False, indent=2))
    return EXIT_OK


_PER_FILE = ("files", "stats", "bulletin_ids")


def cmd_app(args: argparse.Namespace) -> int:
    script = paths.app_script()
    if not script.exists():
        raise CliError(f"cannot find the app at {script}; install the project with 'pip install -e .'")
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.headless", "true", "--server.port", str(args.port),
        "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal",
    ]
    env = dict(os.environ)
    if args.index:
        env["BULLETINS_INDEX"] = args.index
    if args.admin:
        env["BULLETINS_ADMIN"] = "1"
    return subprocess.call(cmd, env=env)
