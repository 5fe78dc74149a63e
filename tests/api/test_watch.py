"""`bulletins serve --watch` (real default model, a real server on loopback): a bulletin dropped into the data
folder is returned by /search within 5 s; a bad file is logged by name and the server keeps serving.

The server builds the index itself on its first run (while its watcher's first build waits on the index
lock). The dropped bulletin (tests/corpus/brigc-2020-06.txt, June 2020, no sidecar) sorts after the sample:
the builder's append path.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.net import free_port
from tests.paths import CORPUS, ROOT

pytestmark = pytest.mark.slow
LIVE_S = 5
PHRASE = {"q": '"世界环境日"', "mode": "keyword", "k": 3}


def _wait(check, timeout: float, what: str, proc: subprocess.Popen, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"server exited with {proc.returncode}: {log.read_text()[-3000:]}"
        got = check()
        if got:
            return got
        time.sleep(0.05)
    raise AssertionError(f"{what} not within {timeout} s: {log.read_text()[-3000:]}")


def _bulletins_found(url: str) -> list[str]:
    try:
        r = httpx.get(f"{url}/search", params=PHRASE, timeout=10)
    except httpx.TransportError:
        return []
    return [h["bulletin_id"] for h in r.json()["hits"]] if r.status_code == 200 else []


def test_serve_watch_finds_a_dropped_bulletin_within_5_s(tmp_path: Path) -> None:
    data, index, log = tmp_path / "data", tmp_path / "index", tmp_path / "serve.log"
    shutil.copytree(ROOT / "data" / "bulletins", data)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "cli", "serve", "--watch", "--index", str(index),
                                 "--data", str(data), "--port", str(port)], stdout=out, stderr=subprocess.STDOUT,
                                env=os.environ.copy())
    try:
        _wait(lambda: "watch: watching" in log.read_text(), 180, "the watcher", proc, log)
        ready = _wait(lambda: (r := httpx.get(f"{url}/ready", timeout=10)).status_code == 200 and r.json(),
                      60, "/ready", proc, log)
        assert _bulletins_found(url) == []

        dropped = time.monotonic()
        shutil.copy(CORPUS / "brigc-2020-06.txt", data / "brigc-2020-06.txt")
        hits = _wait(lambda: _bulletins_found(url), 30, "the dropped bulletin in /search", proc, log)
        searchable_s = time.monotonic() - dropped
        print(f"\nserve --watch: drop -> /search returns it {searchable_s:.2f} s")
        assert hits[0] == "brigc-2020-06"
        assert searchable_s < LIVE_S
        now = httpx.get(f"{url}/ready", timeout=10).json()
        assert now["build"] != ready["build"] and now["items"] > ready["items"]
        manifest = json.loads((index / "builds" / now["build"] / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["build_mode"] == "append"

        (data / "broken.txt").write_bytes(b"\x00\x01binary\xff" * 40)
        _wait(lambda: "broken.txt" in log.read_text(), 30, "the bad file in the log", proc, log)
        assert "watch: failed:" in log.read_text()
        assert httpx.get(f"{url}/ready", timeout=10).status_code == 200
        assert _bulletins_found(url)[0] == "brigc-2020-06"
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=30)
    assert code == 0, log.read_text()[-3000:]
