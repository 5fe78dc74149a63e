"""What the keyword index costs to build, part by part and per whoosh writer option, beside bm25s on the same tokens.

Usage::

    python bench/keyword_build.py [--items 10000] [--seed 7] [--out bench/results/keyword_build.md]

Items come from ``bench/corpus_gen.py``. Rows: analysis (the offsets-free fast path the build uses, and the token
path with offsets it replaced), the numpy postings built from those tokens, bm25s indexing the same tokens (a floor
for the keyword side), and the whoosh writer with the options :meth:`WhooshIndex.writing` offers: whoosh's default
sort memory (128 MB), the project's (``WRITER_MB``), and two writer processes writing one segment each.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import corpus_gen  # noqa: E402
from bench.speed import table  # noqa: E402
from index.keyword import analysis  # noqa: E402
from index.keyword.fields import POSTED, document, postings_doc  # noqa: E402
from index.keyword.postings import PostingsIndex  # noqa: E402
from index.keyword.whoosh_adapter import WRITER_MB, WhooshIndex  # noqa: E402


def timed(run: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def whoosh_seconds(items: list, limitmb: int, procs: int) -> float:
    with tempfile.TemporaryDirectory(prefix="bench-whoosh-") as folder:
        start = time.perf_counter()
        index = WhooshIndex.create(Path(folder))
        with index.writing(limitmb=limitmb, procs=procs) as writer:
            for item in items:
                writer.add(document(item))
        return time.perf_counter() - start


def token_path(items: list) -> None:
    for item in items:
        for name in POSTED:
            if name != "grams":
                [t.text for t in analysis.analyze(getattr(item, name))]
        analysis.bigrams(item.title), analysis.bigrams(item.text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "keyword_build.md")
    args = parser.parse_args(argv)
    items = list(corpus_gen.generate(args.items, args.seed))
    n = len(items)
    analysis.word_texts("预热 warm-up")  # the segmenter's dictionary loads once, outside the timings
    rows = []

    def row(label: str, seconds: float) -> None:
        rows.append([label, f"{seconds:.2f} s", f"{n / seconds:.0f} items/s"])
        print(f"{label}: {seconds:.2f} s", file=sys.stderr, flush=True)

    analysis.word_texts.cache_clear()
    seconds, docs = timed(lambda: [postings_doc(it) for it in items])
    row("analysis, offsets-free (the build's)", seconds)
    row("analysis with token offsets (before)", timed(lambda: token_path(items))[0])
    row("numpy postings from those tokens", timed(lambda: PostingsIndex.build(docs, POSTED))[0])
    import bm25s

    corpus = [[t for tokens in d.fields.values() for t in tokens] for d in docs]
    row("bm25s indexing the same tokens (floor)",
        timed(lambda: bm25s.BM25().index(bm25s.tokenization.Tokenized(*_vocab_ids(corpus)), show_progress=False))[0])
    for label, limitmb, procs in (("whoosh, 128 MB sort memory (whoosh's default)", 128, 1),
                                  (f"whoosh, {WRITER_MB} MB sort memory (the build's)", WRITER_MB, 1),
                                  (f"whoosh, {WRITER_MB} MB, 2 writer processes", WRITER_MB, 2)):
        analysis.word_texts.cache_clear()
        row(label, whoosh_seconds(items, limitmb, procs))
    text = f"# Keyword index build, {n:,} items (bench/keyword_build.py)\n\n" + \
        table(["step", "time", "throughput"], rows) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


def _vocab_ids(corpus: list[list[str]]) -> tuple[list[list[int]], dict[str, int]]:
    vocab: dict[str, int] = {}
    return [[vocab.setdefault(t, len(vocab)) for t in doc] for doc in corpus], vocab


if __name__ == "__main__":
    raise SystemExit(main())
