"""App render latency after warm-up: the whole Streamlit script run per query, via AppTest.

    python bench/app_latency.py [--index DIR] [--runs 3]

Builds the built-in sample into a scratch index when --index is not given. Prints a markdown table
(median / p95 / max per query over the runs) and writes it to bench/results/app_latency.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = ["绿色航运", "ocean governance", "一带一路", "海洋命运共同体", "green finance", "气候变化"]
TARGET_S = 0.5


def _index(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    from index.build.builder import build

    scratch = Path(tempfile.mkdtemp(prefix="app-latency-")) / "index"
    build(ROOT / "data" / "bulletins", scratch)
    return scratch


def measure(index: Path, runs: int) -> dict[str, list[float]]:
    from streamlit.testing.v1 import AppTest

    os.environ["BULLETINS_INDEX"] = str(index)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["q"] = "海洋"
    at.run()  # warm-up: model, searcher, first render
    timings: dict[str, list[float]] = {q: [] for q in QUERIES}
    for _ in range(runs):
        for query in QUERIES:
            at.text_input(key="q").input(query)
            started = time.perf_counter()
            at.run()
            timings[query].append(time.perf_counter() - started)
            if at.exception:
                raise SystemExit(f"app raised on {query!r}: {at.exception[0].value}")
    return timings


def table(timings: dict[str, list[float]]) -> str:
    rows = ["| query | median ms | max ms |", "|---|---|---|"]
    for query, values in timings.items():
        rows.append(f"| {query} | {statistics.median(values) * 1000:.0f} | {max(values) * 1000:.0f} |")
    every = sorted(v for values in timings.values() for v in values)
    median, p95 = statistics.median(every), every[min(len(every) - 1, int(0.95 * len(every)))]
    verdict = "met" if median < TARGET_S else "missed"
    rows.append(f"| **all ({len(every)} runs)** | **{median * 1000:.0f}** | p95 {p95 * 1000:.0f} |")
    return "\n".join(rows) + f"\n\nTarget: a query after warm-up renders in < {TARGET_S * 1000:.0f} ms " \
                             f"(median): **{verdict}** ({os.cpu_count()} CPUs, AppTest, whole script run).\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", default=None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "app_latency.md"))
    args = parser.parse_args()
    report = "# App render latency\n\n" + table(measure(_index(args.index), args.runs))
    print(report)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
