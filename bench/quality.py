"""Retrieval quality on judged queries: the engine's modes and two baselines, side by side in one run.

Usage::

    python bench/quality.py [--index DIR] [--judged tests/judged/sample.jsonl] [--data data/bulletins]
                            [--out bench/results/quality.md] [--build] [--system NAME=ARGS]... [--no-baselines]

Items come from ``bulletins items DATA`` (or ``--items FILE`` of item JSON lines); each judged ``match``
is resolved to item ids (``bench.metrics.resolve``). Every system then answers every query (top 10):

- the engine through the CLI, one batch per filter set:
  ``bulletins search --queries FILE --mode M -k 10 --json [--index DIR] [filters]``.
  The systems are data: ``ENGINE_SYSTEMS`` lists (name, extra CLI args) pairs, and ``--system NAME=ARGS``
  adds more (e.g. ``--system "hybrid-rrf=--mode hybrid --fusion rrf"``) without code changes;
- the baselines of ``bench.baselines`` (whoosh + jieba ChineseAnalyzer, bm25s + jieba), built in memory
  from the same items, pre-filtered with the same filters.

A system that cannot run (e.g. the engine is not built yet: the CLI exits 2) is reported as unavailable,
the others are still measured. Exit codes: 0 all systems ran, 1 some were unavailable (table still
written), 2 nothing could be evaluated (judged file, items or judgments unusable).
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `bench` importable
    sys.path.insert(0, str(ROOT))

from bench import judged as judged_mod  # noqa: E402
from bench.baselines import BASELINES, filter_items  # noqa: E402
from bench.metrics import ResolveError, ambiguous_matches, mean, median, mrr, ndcg_at_k, recall_at_k, resolve  # noqa: E402

K = 10
ENGINE_SYSTEMS: list[tuple[str, list[str]]] = [
    ("keyword", ["--mode", "keyword"]),
    ("semantic", ["--mode", "semantic"]),
    ("hybrid", ["--mode", "hybrid"]),
]
JudgedQuery = judged_mod.JudgedQuery


class Unavailable(Exception):
    """A system cannot answer (not built, crashed, bad output); the message says why in plain words."""


@dataclass(frozen=True)
class QueryRun:
    ranked: list[str]
    took_ms: float


@dataclass
class SystemResult:
    name: str
    runs: dict[str, QueryRun] = field(default_factory=dict)
    error: str = ""


@dataclass(frozen=True)
class Scores:
    ndcg: float
    recall: float
    rr: float


# --------------------------------------------------------------------------- the CLI


def bulletins_cmd() -> list[str]:
    """The ``bulletins`` executable, or the module when it is not on PATH."""
    exe = shutil.which("bulletins")
    return [exe] if exe else [sys.executable, "-m", "cli"]


def filter_args(filters: dict[str, Any]) -> list[str]:
    """Judged-file filters to CLI options (lists become repeated options)."""
    args: list[str] = []
    for name, value in sorted(filters.items()):
        for v in value if isinstance(value, list) else [value]:
            args += [f"--{name}", str(v)]
    return args


def run_cli(args: Sequence[str], timeout: float = 1800) -> str:
    """Run the CLI; its stdout, or ``Unavailable`` with the CLI's own words."""
    try:
        proc = subprocess.run([*bulletins_cmd(), *args], capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise Unavailable(f"could not run `bulletins {args[0]}`: {exc}") from exc
    if proc.returncode != 0:
        said = (proc.stderr.strip().splitlines() or ["(no message)"])[-1]
        raise Unavailable(f"`bulletins {args[0]}` exited {proc.returncode}: {said}")
    return proc.stdout


def parse_json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip().startswith("{")]


def load_items(data: str, items_file: str | None) -> list[dict[str, Any]]:
    """Items from ``--items FILE`` or from ``bulletins items DATA``."""
    text = Path(items_file).read_text(encoding="utf-8") if items_file else run_cli(["items", data])
    items = [obj for obj in parse_json_lines(text) if "id" in obj and "text" in obj]
    if not items:
        raise Unavailable(f"no items from {items_file or data}")
    return items


def batch_search(base_args: list[str], queries: list[JudgedQuery], k: int) -> dict[str, QueryRun]:
    """One ``search --queries`` batch for queries sharing the same filters."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as fh:
        fh.write("".join(q.query + "\n" for q in queries))
        path = fh.name
    try:
        out = run_cli(["search", "--queries", path, "--json", "-k", str(k), *base_args,
                       *filter_args(queries[0].filters)])
    finally:
        Path(path).unlink(missing_ok=True)
    lines = parse_json_lines(out)
    if len(lines) != len(queries):
        raise Unavailable(f"`bulletins search --queries` printed {len(lines)} result lines for {len(queries)} queries")
    return {q.id: _query_run(line) for q, line in zip(queries, lines, strict=True)}


def _query_run(line: dict[str, Any]) -> QueryRun:
    hits = sorted(line.get("hits", []), key=lambda h: h.get("rank", 0))
    return QueryRun(ranked=[str(h["id"]) for h in hits], took_ms=float(line.get("took_ms", 0.0)))


def by_filters(queries: Sequence[JudgedQuery]) -> list[list[JudgedQuery]]:
    groups: dict[str, list[JudgedQuery]] = {}
    for q in queries:
        groups.setdefault(q.filter_key(), []).append(q)
    return list(groups.values())


def run_engine(name: str, args: list[str], queries: Sequence[JudgedQuery], index: str | None, k: int) -> SystemResult:
    result = SystemResult(name)
    base = [*args, *(["--index", index] if index else [])]
    try:
        for group in by_filters(queries):
            result.runs |= batch_search(base, group, k)
    except Unavailable as exc:
        result.error = str(exc)
    return result


# --------------------------------------------------------------------------- baselines


def run_baseline(name: str, factory: Callable[[list], Any], queries: Sequence[JudgedQuery],
                 items: list[dict[str, Any]], k: int) -> SystemResult:
    """Build the baseline once per filter set (on the filtered items) and time each query."""
    result = SystemResult(name)
    try:
        for group in by_filters(queries):
            ranker = factory(filter_items(items, group[0].filters))
            for q in group:
                start = time.perf_counter()
                ranked = ranker.search(q.query, k)
                result.runs[q.id] = QueryRun(ranked, (time.perf_counter() - start) * 1000)
    except Exception as exc:  # a broken baseline must not hide the other systems' numbers
        result.error = f"{type(exc).__name__}: {exc}"
    return result


# --------------------------------------------------------------------------- scoring and tables


def score(run: QueryRun | None, gains: dict[str, int], k: int) -> Scores:
    ranked = run.ranked if run else []
    return Scores(ndcg_at_k(ranked, gains, k), recall_at_k(ranked, gains, k), mrr(ranked, gains, k))


def resolve_all(queries: Sequence[JudgedQuery], items: list[dict[str, Any]]) -> tuple[dict[str, dict[str, int]], list[str]]:
    """Gains per query id, and the problems (unresolved matches) found."""
    gains: dict[str, dict[str, int]] = {}
    errors: list[str] = []
    for q in queries:
        try:
            gains[q.id] = resolve(q.relevant_dicts(), items, query=q.id)
        except ResolveError as exc:
            errors.append(str(exc))
    return gains, errors


def warn_ambiguous(queries: Sequence[JudgedQuery], items: list[dict[str, Any]]) -> list[str]:
    seen: dict[str, list[str]] = {}
    for q in queries:
        seen |= ambiguous_matches(q.relevant_dicts(), items)
    return [f"match {m!r} selects {len(ids)} items: {', '.join(ids)}" for m, ids in seen.items()]


def groups_of(queries: Sequence[JudgedQuery]) -> list[tuple[str, list[JudgedQuery]]]:
    """'all', one group per query type present, and 'filtered'."""
    out = [("all", list(queries))]
    out += [(t, [q for q in queries if q.type == t]) for t in judged_mod.QUERY_TYPES]
    out.append(("filtered", [q for q in queries if q.filters]))
    return [(name, qs) for name, qs in out if qs]


def fmt(x: float) -> str:
    return "n/a" if x != x else f"{x:.3f}"


def summary_table(results: list[SystemResult], table: dict[str, dict[str, Scores]], queries: list[JudgedQuery]) -> list[str]:
    rows = ["| system | nDCG@10 | recall@10 | MRR | median ms/query | queries |", "|---|---|---|---|---|---|"]
    for r in results:
        if r.error:
            rows.append(f"| {r.name} | n/a | n/a | n/a | n/a | unavailable |")
            continue
        s = [table[r.name][q.id] for q in queries]
        ms = median(run.took_ms for run in r.runs.values())
        rows.append(f"| {r.name} | {fmt(mean(x.ndcg for x in s))} | {fmt(mean(x.recall for x in s))} | "
                    f"{fmt(mean(x.rr for x in s))} | {ms:.1f} | {len(s)} |")
    return rows


def by_type_table(metric: str, results: list[SystemResult], table: dict[str, dict[str, Scores]],
                  queries: list[JudgedQuery]) -> list[str]:
    groups = groups_of(queries)
    head = "| system | " + " | ".join(f"{name} ({len(qs)})" for name, qs in groups) + " |"
    rows = [head, "|---" * (len(groups) + 1) + "|"]
    for r in results:
        if r.error:
            continue
        cells = [fmt(mean(getattr(table[r.name][q.id], metric) for q in qs)) for _, qs in groups]
        rows.append(f"| {r.name} | " + " | ".join(cells) + " |")
    return rows


def per_query_table(results: list[SystemResult], table: dict[str, dict[str, Scores]], queries: list[JudgedQuery]) -> list[str]:
    ok = [r for r in results if not r.error]
    rows = ["| id | type | query | filters | " + " | ".join(r.name for r in ok) + " |",
            "|---" * (4 + len(ok)) + "|"]
    for q in queries:
        flt = " ".join(filter_args(q.filters)) or ""
        cells = [fmt(table[r.name][q.id].ndcg) for r in ok]
        rows.append(f"| {q.id} | {q.type} | {q.query.replace('|', '/')} | {flt} | " + " | ".join(cells) + " |")
    return rows


def render(results: list[SystemResult], table: dict[str, dict[str, Scores]], queries: list[JudgedQuery],
           meta: dict[str, str], notes: list[str]) -> str:
    out = [f"# Retrieval quality: {meta['judged']}", ""]
    out += [f"- {k}: {v}" for k, v in meta.items()]
    out += ["", "## Summary (means over queries; MRR within the top 10)", "", *summary_table(results, table, queries)]
    for metric, title in (("ndcg", "nDCG@10"), ("recall", "recall@10"), ("rr", "MRR")):
        out += ["", f"## {title} by query type", "", *by_type_table(metric, results, table, queries)]
    unavailable = [r for r in results if r.error]
    if unavailable or notes:
        out += ["", "## Notes", ""]
        out += [f"- **{r.name} unavailable**: {r.error}" for r in unavailable]
        out += [f"- {n}" for n in notes]
    out += ["", "## nDCG@10 per query", "", *per_query_table(results, table, queries), ""]
    return "\n".join(out)


# --------------------------------------------------------------------------- main


def parse_system(spec: str) -> tuple[str, list[str]]:
    name, sep, args = spec.partition("=")
    if not (sep and name.strip()):
        raise argparse.ArgumentTypeError(f"--system wants NAME=ARGS, got {spec!r}")
    return name.strip(), shlex.split(args)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description="Judged-query retrieval quality: engine modes vs baselines.")
    p.add_argument("--index", default=None, help="index folder (default: the CLI's default)")
    p.add_argument("--judged", default=str(ROOT / "tests/judged/sample.jsonl"))
    p.add_argument("--data", default=str(ROOT / "data/bulletins"), help="bulletins folder the index was built from")
    p.add_argument("--items", default=None, help="item JSON lines to use instead of `bulletins items DATA`")
    p.add_argument("--out", default=str(ROOT / "bench/results/quality.md"))
    p.add_argument("--build", action="store_true", help="run `bulletins build --data DATA [--index DIR]` first")
    p.add_argument("--system", action="append", default=[], type=parse_system, metavar="NAME=ARGS",
                   help="extra engine system: CLI args added to `bulletins search` (repeatable)")
    p.add_argument("--no-engine", action="store_true", help="skip the engine's modes")
    p.add_argument("--no-baselines", action="store_true", help="skip whoosh+jieba and bm25s+jieba")
    p.add_argument("--skip-unresolved", action="store_true",
                   help="drop queries whose judged matches find no item (default: stop with the list)")
    p.add_argument("-k", type=int, default=K)
    return p


def run_systems(queries: list[JudgedQuery], items: list[dict[str, Any]], args: argparse.Namespace) -> list[SystemResult]:
    engine = [] if args.no_engine else ENGINE_SYSTEMS + args.system
    results = [run_engine(name, a, queries, args.index, args.k) for name, a in engine]
    if not args.no_baselines:
        results += [run_baseline(name, cls, queries, items, args.k) for name, cls in BASELINES.items()]
    return results


def prepare(args: argparse.Namespace) -> tuple[list[JudgedQuery], list[dict[str, Any]]]:
    """Judged queries and items; raises ``Unavailable``/``JudgedFileError`` when nothing can be evaluated."""
    queries = judged_mod.load(args.judged)
    if args.build:
        run_cli(["build", "--data", args.data, *(["--index", args.index] if args.index else []), "--quiet"])
    return queries, load_items(args.data, args.items)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        queries, items = prepare(args)
    except (judged_mod.JudgedFileError, Unavailable, OSError) as exc:
        print(f"quality: cannot evaluate: {exc}", file=sys.stderr)
        return 2
    gains, errors = resolve_all(queries, items)
    if errors and not args.skip_unresolved:
        print("quality: judged matches found no item (fix the judgment, or pass --skip-unresolved):\n  "
              + "\n  ".join(errors), file=sys.stderr)
        return 2
    notes = [f"dropped {e}" for e in errors] + warn_ambiguous(queries, items)
    queries = [q for q in queries if q.id in gains]
    results = run_systems(queries, items, args)
    table = {r.name: {q.id: score(r.runs.get(q.id), gains[q.id], args.k) for q in queries} for r in results}
    meta = {"judged": args.judged, "items": f"{len(items)} from {args.items or args.data}",
            "queries": str(len(queries)), "index": args.index or "(CLI default)", "k": str(args.k),
            "run": time.strftime("%Y-%m-%d %H:%M")}
    text = render(results, table, queries, meta, notes)
    print(text)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text, encoding="utf-8")
    for r in results:
        if r.error:
            print(f"quality: {r.name} unavailable: {r.error}", file=sys.stderr)
    return 1 if any(r.error for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
