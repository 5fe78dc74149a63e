"""The search process of the speed benchmark, run fresh by ``bench/speed.py`` (one process per index).

Modes::

    python bench/speed_probe.py latency INDEX SPEC.json OUT.json   # latencies, peak RSS, references
    python bench/speed_probe.py first-result INDEX QUERY           # cold start: open + first hybrid search
    python bench/speed_probe.py dedupe N SEED                      # archive.mark_duplicates over N generated items

``latency`` opens the index with the plain model (no query memo, so every semantic query is encoded),
times every query in every mode with and without a filter, then ``similar``; reads the process's peak RSS
(VmHWM) *before* building the references; then, query by query side by side, times the engine's keyword
search next to ``bm25s`` over the same analyzer tokens, and the engine's vector scan next to a bare numpy
matrix product over the same matrix.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from index.interface.filters import Filters  # noqa: E402

MODES = ("keyword", "semantic", "hybrid")
FILTER_SETS: tuple[Filters, ...] = (
    Filters(langs=("zh",)),
    Filters(sections=("联盟动态", "Coalition news")),
    Filters(since="2019-01-01", until="2020-12-31"),
    Filters(kinds=("quote",)),
)


def peak_rss_mb() -> float:
    """Peak resident set size of this process (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn()
    return (time.perf_counter() - start) * 1000, value


def open_with_model(index_root: Path):
    from index.engines import open_archive
    from index.store.folder import IndexStore
    from index.vectors.encoders import load_encoder

    model = IndexStore(index_root).read_manifest()["model"]
    return open_archive(index_root, encoder=load_encoder(model))


def engine_latencies(searcher, queries: list[str], repeat: int, k: int) -> dict[str, list[float]]:
    """ms per search, keyed 'mode' or 'mode+filter'; modes interleaved query by query."""
    samples: dict[str, list[float]] = {}
    for mode in MODES:  # warm-up: first calls load lazy state
        searcher.search(queries[0], mode, None, k)
    for _ in range(repeat):
        for n, query in enumerate(queries):
            filters = FILTER_SETS[n % len(FILTER_SETS)]
            for mode in MODES:
                for key, f in ((mode, None), (f"{mode}+filter", filters)):
                    ms, _ = timed(lambda q=query, m=mode, f=f: searcher.search(q, m, f, k))
                    samples.setdefault(key, []).append(ms)
    return samples


def extra_latencies(searcher, queries: list[str], k: int) -> dict[str, list[float]]:
    """Query encoding alone, ``similar`` on items spread over the table, and keyword match counts."""
    encoder = searcher.encoder
    out: dict[str, list[float]] = {"encode": [], "similar": [], "keyword_matches": []}
    for query in queries:
        out["encode"].append(timed(lambda q=query: encoder.encode([q], query=True))[0])
        out["keyword_matches"].append(float(searcher.search(query, "keyword", None, k).total))
    rows = np.linspace(0, len(searcher.engine.table) - 1, num=min(40, len(searcher.engine.table)), dtype=int)
    for row in rows.tolist():
        out["similar"].append(timed(lambda r=row: searcher.similar(searcher.engine.table.items[r].id, k))[0])
    return out


def bm25s_reference(searcher) -> tuple[object, float, float]:
    """bm25s over the engine analyzer's tokens of title + text; returns (retriever, tokenise s, index s)."""
    import bm25s

    from index.keyword.analysis import analyze

    start = time.perf_counter()
    corpus = [[t.text for t in analyze(f"{it.title}\n{it.text}")] for it in searcher.engine.table.items]
    tokenised = time.perf_counter() - start
    retriever = bm25s.BM25()
    start = time.perf_counter()
    retriever.index(corpus, show_progress=False)
    return retriever, tokenised, time.perf_counter() - start


def bm25s_search(retriever, query: str, k: int, mask: np.ndarray | None) -> None:
    from index.keyword.analysis import analyze

    tokens = [t.text for t in analyze(query)]
    known = [t for t in tokens if t in retriever.vocab_dict]
    if not known:
        return
    retriever.retrieve([known], k=k, show_progress=False, n_threads=1,
                       weight_mask=None if mask is None else mask.astype(np.float32))


def side_by_side(searcher, queries: list[str], repeat: int, k: int, retriever) -> dict[str, list[float]]:
    """Engine keyword vs bm25s, engine vector scan vs bare numpy, query by query (vectors pre-encoded)."""
    vectors = searcher.encoder.encode(queries, query=True)
    matrix = searcher.engine.vectors.float_matrix()  # loaded after the RSS reading
    out: dict[str, list[float]] = {}
    fetch = searcher.config.fetch

    def add(key: str, fn: Callable[[], object]) -> None:
        out.setdefault(key, []).append(timed(fn)[0])

    for _ in range(repeat):
        for n, query in enumerate(queries):
            filters = FILTER_SETS[n % len(FILTER_SETS)]
            mask = searcher.engine.table.mask(filters)
            v = vectors[n]
            add("engine keyword (top 100)", lambda q=query: searcher._keyword(q, fetch, Filters()))
            add("bm25s (top 100)", lambda q=query: bm25s_search(retriever, q, fetch, None))
            add("engine keyword+filter", lambda q=query, f=filters: searcher._keyword(q, fetch, f))
            add("bm25s+filter (weight_mask)", lambda q=query, m=mask: bm25s_search(retriever, q, fetch, m))
            add("engine vector scan (top 100, no encoding)", lambda v=v: searcher.engine.vectors.search(v, fetch))
            add("numpy matrix @ q (floor)", lambda v=v: matrix @ v)
            add("numpy matrix @ q + argpartition top 100",
                lambda v=v: np.argpartition(-(matrix @ v), fetch)[:fetch])
            with threadpool_limits(1, "blas"):
                add("numpy matrix @ q, 1 BLAS thread", lambda v=v: matrix @ v)
    return out


def run_latency(index_root: Path, spec: dict) -> dict:
    started = time.perf_counter()
    searcher = open_with_model(index_root)
    opened = time.perf_counter() - started
    queries, repeat, k = spec["queries"], spec["repeat"], spec["k"]
    result: dict = {"open_s": opened, "items": len(searcher.engine.table), "passages": searcher.engine.vectors.n_passages}
    result["engine"] = engine_latencies(searcher, queries, repeat, k)
    result["extra"] = extra_latencies(searcher, queries, k)
    result["peak_rss_mb"] = peak_rss_mb()
    retriever, tok_s, index_s = bm25s_reference(searcher)
    result["bm25s_tokenise_s"], result["bm25s_index_s"] = tok_s, index_s
    result["reference"] = side_by_side(searcher, queries, spec.get("reference_repeat", repeat), k, retriever)
    result["peak_rss_with_references_mb"] = peak_rss_mb()
    return result


def run_first_result(index_root: Path, query: str) -> dict:
    """Time to the first hybrid result in this fresh process (imports included, from interpreter start)."""
    searcher = open_with_model(index_root)
    result = searcher.search(query, "hybrid", None, 10)
    return {"hits": len(result.hits), "peak_rss_mb": peak_rss_mb()}


def run_dedupe(n_items: int, seed: int) -> dict:
    from archive import mark_duplicates
    from archive.model import Bulletin, ParsedFile
    from bench.corpus_gen import ITEMS_PER_BULLETIN, generate

    items = list(generate(n_items, seed))
    files = [ParsedFile(Bulletin(id=items[i].bulletin_id, title=items[i].bulletin_id),
                        tuple(items[i : i + ITEMS_PER_BULLETIN])) for i in range(0, n_items, ITEMS_PER_BULLETIN)]
    start = time.perf_counter()
    marked = mark_duplicates(files)
    return {"seconds": time.perf_counter() - start,
            "duplicates": sum(1 for f in marked for it in f.items if it.duplicate_of)}


def main(argv: list[str]) -> int:
    mode = argv[0]
    if mode == "latency":
        spec = json.loads(Path(argv[2]).read_text(encoding="utf-8"))
        Path(argv[3]).write_text(json.dumps(run_latency(Path(argv[1]), spec)), encoding="utf-8")
    elif mode == "first-result":
        print(json.dumps(run_first_result(Path(argv[1]), argv[2])))
    elif mode == "dedupe":
        print(json.dumps(run_dedupe(int(argv[1]), int(argv[2]))))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
