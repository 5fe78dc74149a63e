"""Keyword search latency: whoosh matcher trees vs numpy postings vs bm25s, side by side in one process.

Usage::

    python bench/keyword_latency.py [--sizes 10000 100000] [--work /tmp/keyword-latency] [--repeat 2]
                                    [--limit 100] [--old-max 100000] [--out bench/results/keyword_latency.md]

For each size, items come from ``bench/corpus_gen.py`` ``generate(n)``; the keyword index is built once into
``WORK/<n>/keyword`` (reused when present; its build times are kept in ``build.json``). Every query of
``corpus_gen.QUERIES`` runs through ``KeywordIndex.search`` on the whoosh path (``use_postings = False``), on
the numpy-postings path, and through ``bm25s`` over the same analyzer tokens of title + text, each without and
with an ``allowed`` filter (rotating: zh items, en items, one year, quotes). The table gives p50/p95/max and the
median per-query ratio; a second table says how far the two engine paths agree (same match count, top-10 overlap).
The same for quoted phrases and ``textfield:"..."`` (:data:`PHRASES`; numpy positional postings vs whoosh).
Then, on a copy of the index made as the builder makes it (hard links; the lock and analysis files copied),
``update()`` replaces one bulletin's 30 items and adds one new 30-item bulletin.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `bench` and `index` importable
    sys.path.insert(0, str(ROOT))

from archive.model import Item  # noqa: E402
from bench.corpus_gen import ITEMS_PER_BULLETIN, QUERIES, generate  # noqa: E402
from index.keyword.analysis import analyze  # noqa: E402
from index.keyword.engine import META_FILE, KeywordIndex  # noqa: E402
from index.keyword.fields import POSTED, postings_doc  # noqa: E402
from index.keyword.postings import PostingsIndex  # noqa: E402

PHRASES = ('"绿色发展"', '"一带一路"', '"绿色金融"', '"生物多样性" 保护', 'title:"绿色金融"', '"碳市场 试点"',
           '"光伏发电" 巴基斯坦', '"green finance"', '"Belt and Road"', 'speaker:"Erik Solheim"',
           '"renewable energy" cooperation', 'text:"green bonds"')

FILTERS: tuple[tuple[str, Callable[[Item], bool]], ...] = (
    ("lang zh", lambda it: it.lang == "zh"), ("lang en", lambda it: it.lang == "en"),
    ("one year", lambda it: it.date[:4] == "2019"), ("quotes", lambda it: it.kind == "quote"),
)


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return (time.perf_counter() - start) * 1000, out


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def build(folder: Path, items: list[Item]) -> dict:
    """Build (or reuse) the keyword index; return build seconds."""
    meta_path = folder.parent / "build.json"
    if (folder / "postings").is_dir() and meta_path.exists():
        try:
            with KeywordIndex.open(folder) as index:
                if index.doc_count() == len(items):
                    return json.loads(meta_path.read_text())
        except Exception as exc:  # a stale or foreign index: rebuild
            print(f"rebuilding {folder}: {exc}", file=sys.stderr)
    shutil.rmtree(folder, ignore_errors=True)
    start = time.perf_counter()
    KeywordIndex.create(folder, items).close()
    total = time.perf_counter() - start
    start = time.perf_counter()
    PostingsIndex.build([postings_doc(it) for it in items], POSTED)
    meta = {"create_s": total, "postings_s": time.perf_counter() - start}
    meta_path.write_text(json.dumps(meta))
    return meta


def bm25s_index(items: list[Item]):
    import bm25s

    retriever = bm25s.BM25()
    retriever.index([[t.text for t in analyze(f"{it.title}\n{it.text}")] for it in items], show_progress=False)
    return retriever


def bm25s_search(retriever, query: str, k: int, mask: np.ndarray | None) -> None:
    known = [t.text for t in analyze(query) if t.text in retriever.vocab_dict]
    if known:
        retriever.retrieve([known], k=min(k, len(retriever.vocab_dict)), show_progress=False, n_threads=1,
                           weight_mask=None if mask is None else mask.astype(np.float32))


def measure(index: KeywordIndex, items: list[Item], retriever, repeat: int, limit: int, old: bool,
            texts: tuple[str, ...] = tuple(q.text for q in QUERIES)) -> dict:
    ids = np.array([it.id for it in items])
    masks = [np.array([keep(it) for it in items]) for _, keep in FILTERS]
    allowed_sets = [frozenset(ids[m].tolist()) for m in masks]
    times: dict[str, list[float]] = {}
    agree = {"queries": 0, "same_total": 0, "overlap10": [], "same_complete": 0}

    def add(key: str, fn: Callable[[], object]) -> object:
        ms, out = timed(fn)
        times.setdefault(key, []).append(ms)
        return out

    for round_ in range(repeat):
        for n, text in enumerate(texts):
            f = n % len(FILTERS)
            allowed, mask = allowed_sets[f], masks[f]
            for label, allow, m in (("", None, None), ("+filter", allowed, mask)):
                index.use_postings = True
                new = add(f"numpy postings{label}", lambda t=text, a=allow: index.search(t, limit, a))
                if old:
                    index.use_postings = False
                    was = add(f"whoosh{label}", lambda t=text, a=allow: index.search(t, limit, a))
                    if round_ == 0:
                        _compare(agree, was, new)
                if retriever is not None:
                    add(f"bm25s{label}", lambda t=text, m=m: bm25s_search(retriever, t, limit, m))
    index.use_postings = True
    return {"times": times, "agree": agree}


def _compare(agree: dict, old, new) -> None:
    agree["queries"] += 1
    agree["same_total"] += old.total == new.total
    agree["same_complete"] += old.complete == new.complete
    a, b = {i for i, _ in old.hits[:10]}, {i for i, _ in new.hits[:10]}
    agree["overlap10"].append(len(a & b) / len(a | b) if a | b else 1.0)  # both empty: full agreement


def link_copy(src: Path, dst: Path) -> None:
    """The builder's copy of a keyword folder: files hard-linked, the lock and analysis files copied."""
    dst.mkdir(parents=True)
    for path in sorted(src.rglob("*")):
        target = dst / path.relative_to(src)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif path.name in (META_FILE, "MAIN_WRITELOCK"):
            shutil.copy2(path, target)
        else:
            os.link(path, target)


def incremental(folder: Path, n: int) -> dict:
    """Replace one bulletin and add the next 30-item bulletin on a hard-linked copy (as the builder does)."""
    copy = folder.parent / "keyword-update"
    shutil.rmtree(copy, ignore_errors=True)
    start = time.perf_counter()
    link_copy(folder, copy)
    copied = time.perf_counter() - start
    new = list(generate(ITEMS_PER_BULLETIN, first_bulletin=-(-n // ITEMS_PER_BULLETIN)))
    edited = [dataclasses.replace(it, text=it.text + " 更新") for it in generate(ITEMS_PER_BULLETIN, first_bulletin=1)]
    start = time.perf_counter()
    index = KeywordIndex.open(copy)
    opened = time.perf_counter() - start
    start = time.perf_counter()
    index.update([edited[0].bulletin_id], edited)
    replaced = time.perf_counter() - start
    start = time.perf_counter()
    index.update([new[0].bulletin_id], new)
    updated = time.perf_counter() - start
    assert index.doc_count() == n + len(new)
    index.close()
    shutil.rmtree(copy, ignore_errors=True)
    return {"copy_s": copied, "open_s": opened, "replace_s": replaced, "update_s": updated}


def rows_for(size: int, build_meta: dict, result: dict, phrases: dict, inc: dict) -> list[str]:
    out = [f"## {size:,} items", "",
           f"Build: KeywordIndex.create {build_meta['create_s']:.1f} s "
           f"({size / build_meta['create_s']:.0f} items/s), of which numpy postings (analysis + arrays) "
           f"{build_meta['postings_s']:.1f} s. Hard-linked copy {inc['copy_s']:.2f} s, open {inc['open_s']:.2f} s, "
           f"update() replacing a 30-item bulletin {inc['replace_s']:.2f} s, adding one "
           f"{inc['update_s']:.2f} s.", ""]
    out += table(result) + ["", f"Quoted phrases and textfield:\"...\" ({len(PHRASES)} queries):", ""]
    return out + table(phrases) + [""]


def table(result: dict) -> list[str]:
    times = result["times"]
    out = ["| path | n | p50 ms | p95 ms | max ms | median ratio to numpy |", "|---|---|---|---|---|---|"]
    for label in ("", "+filter"):
        base = times[f"numpy postings{label}"]
        for name in ("whoosh", "numpy postings", "bm25s"):
            values = times.get(f"{name}{label}")
            if not values:
                continue
            ratio = statistics.median(v / b for v, b in zip(values, base, strict=True))
            out.append(f"| {name}{label} | {len(values)} | {pct(values, 50):.1f} | {pct(values, 95):.1f} | "
                       f"{max(values):.1f} | {ratio:.2f}× |")
    agree = result["agree"]
    if agree["queries"]:
        out += ["", f"whoosh vs numpy on {agree['queries']} query runs: same match count "
                f"{agree['same_total']}, same number of complete (all-words) hits {agree['same_complete']}, "
                f"mean top-10 overlap (Jaccard) {statistics.mean(agree['overlap10']):.3f}."]
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    p.add_argument("--work", type=Path, default=Path("/tmp/keyword-latency"))
    p.add_argument("--repeat", type=int, default=2)
    p.add_argument("--limit", type=int, default=100, help="hits per query (the searcher fetches 100)")
    p.add_argument("--old-max", type=int, default=100_000, help="skip the whoosh path above this size")
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "keyword_latency.md")
    args = p.parse_args(argv)
    lines = ["# Keyword latency (bench/keyword_latency.py)", "",
             f"Run {time.strftime('%Y-%m-%d %H:%M')}; corpus bench/corpus_gen.py; {len(QUERIES)} queries × "
             f"{args.repeat} rounds, with and without an `allowed` filter; top {args.limit}. Times are "
             "KeywordIndex.search wall times in one process (machine shared: compare ratios).", ""]
    for size in args.sizes:
        items = list(generate(size))
        folder = args.work / str(size) / "keyword"
        folder.parent.mkdir(parents=True, exist_ok=True)
        meta = build(folder, items)
        retriever = bm25s_index(items)
        with KeywordIndex.open(folder) as index:
            for q in QUERIES[:5]:  # warm up caches (analyzer, glossary, mmap pages)
                index.search(q.text, args.limit)
            result = measure(index, items, retriever, args.repeat, args.limit, size <= args.old_max)
            phrases = measure(index, items, None, args.repeat, args.limit, size <= args.old_max, PHRASES)
        inc = incremental(folder, size)
        lines += rows_for(size, meta, result, phrases, inc)
        print("\n".join(lines), flush=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
