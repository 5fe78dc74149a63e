"""`bulletins search` and `bulletins similar`: ranked hits as text or JSON lines."""

from __future__ import annotations

import argparse
import html
import json
import sys
from dataclasses import replace
from pathlib import Path

from cli.common import dump, index_dir
from cli.errors import EXIT_OK, CliError
from index.interface import (
    FILTER_FIELDS,
    Archive,
    Filters,
    Hit,
    HybridConfig,
    IndexProblem,
    ItemNotFound,
    ModelError,
    SearchResult,
    is_filter_date,
)


def cmd_search(args: argparse.Namespace) -> int:
    if (args.query is None) == (args.queries is None):
        raise CliError("give a QUERY or --queries FILE (one of them)")
    if args.k < 1:
        raise CliError("-k must be at least 1")
    filters = _filters(args)
    archive = _open_archive(args)
    try:
        if args.queries:
            for query in _read_queries(Path(args.queries)):
                result = archive.search(query, args.mode, filters, args.k)
                dump({"query": query, "took_ms": round(result.took_ms, 2), "notice": result.notice,
                      "hits": [h.to_dict() for h in result.hits]})
            return EXIT_OK
        result = archive.search(args.query, args.mode, filters, args.k)
    except ModelError as exc:
        raise CliError(str(exc)) from exc
    _print_result(result, args.json)
    return EXIT_OK


def cmd_similar(args: argparse.Namespace) -> int:
    archive = _open_archive(args)
    try:
        hits = archive.similar(args.item_id, args.k)
    except ItemNotFound as exc:
        raise CliError(str(exc)) from exc
    for hit in hits:
        print(json.dumps(hit.to_dict(), ensure_ascii=False) if args.json else _format_hit(hit))
    return EXIT_OK


def _open_archive(args: argparse.Namespace) -> Archive:
    from service.opening import open_archive_lazily

    config = HybridConfig()
    if getattr(args, "fusion", None):
        config = replace(config, method=args.fusion)
    if getattr(args, "semantic_weight", None) is not None:
        if not 0 <= args.semantic_weight <= 1:
            raise CliError("--semantic-weight must be between 0 and 1")
        config = replace(config, semantic_weight=args.semantic_weight)
    if getattr(args, "no_translate", False):
        config = replace(config, translate=False)
    if getattr(args, "fixed_fusion", False):
        config = replace(config, query_aware=False)
    if getattr(args, "partial_damping", None) is not None:
        config = replace(config, partial_keyword_damping=args.partial_damping)
    try:
        return open_archive_lazily(index_dir(args), config=config)
    except IndexProblem as exc:
        raise CliError(str(exc)) from exc


def _filters(args: argparse.Namespace) -> Filters:
    values = {f.param: getattr(args, f.param) for f in FILTER_FIELDS}
    for f in FILTER_FIELDS:
        if f.kind == "date" and values[f.param] and not is_filter_date(values[f.param]):
            raise CliError(f"--{f.param} '{values[f.param]}' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    return Filters.from_values(values)


def _read_queries(path: Path) -> list[str]:
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"cannot read queries from {path}: {exc}") from exc
    return [line.strip() for line in lines if line.strip()]


def _print_result(result: SearchResult, as_json: bool) -> None:
    if as_json:
        for hit in result.hits:
            dump(hit.to_dict())
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
