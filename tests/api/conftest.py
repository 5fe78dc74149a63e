"""A real `bulletins serve` on loopback over a small index built with the fake encoder."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from api.keys import hash_key
from tests.fakes import FakeEncoder
from tests.net import free_port
from tests.paths import ROOT

EDITOR_KEY, READER_KEY = "editor-secret-1", "reader-secret-1"
EXTRA = [
    {"id": "en-green-shipping", "kind": "news", "title": "Green shipping corridor opens",
     "text": "Ports of Rotterdam and Singapore open a green shipping corridor for low-carbon fuels.",
     "section": "Ports", "date": "2019-12-03", "source": "Harbour Desk", "lang": "en"},
    {"id": "en-quote-ocean", "kind": "quote", "title": "On ocean governance",
     "text": "Ocean governance needs partnerships across the Belt and Road.", "speaker": "Jane Doe",
     "speaker_title": "Director, Ocean Institute", "section": "Views", "date": "2019-12-04", "lang": "en"},
]



def make_archive(base: Path) -> tuple[Path, Path]:
    """A data folder (the sample bulletin plus two English items) and its index, built with the fake encoder."""
    from index.build.builder import build

    data, index = base / "data", base / "index"
    shutil.copytree(ROOT / "data" / "bulletins", data)
    (data / "harbour-2019-12.jsonl").write_text("\n".join(json.dumps(x) for x in EXTRA) + "\n", encoding="utf-8")
    (data / "harbour-2019-12.meta.toml").write_text('title = "Harbour, December 2019"\nlanguage = "en"\n'
                                                    'date = "2019-12-07"\n', encoding="utf-8")
    report = build(data, index, encoder=FakeEncoder())
    assert not report.errors, report.errors
    return data, index


def keys_file(base: Path) -> Path:
    path = base / "keys.toml"
    path.write_text(f'[[keys]]\nname = "newsroom"\nrole = "editor"\nhash = "{hash_key(EDITOR_KEY)}"\n',
                    encoding="utf-8")
    return path


@dataclass
class Server:
    """A `bulletins serve` subprocess (fake encoder) and a client for it."""

    proc: subprocess.Popen
    url: str
    index: Path
    data: Path
    log: Path

    def client(self, **kw: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60, **kw)

    def wait_ready(self, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited with {self.proc.returncode}: {self.log.read_text()[-3000:]}")
            try:
                r = httpx.get(self.url + "/ready", timeout=5)
                if r.status_code == 200:
                    return r.json()
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError("server did not become ready")

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def start_server(index: Path, data: Path, keys: Path | None = None, embed_delay: float = 0.0,
                 port: int | None = None) -> Server:
    port = port or free_port()
    cmd = [sys.executable, "-m", "tests.api.server", "--index", str(index), "--data", str(data),
           "--port", str(port), "--no-build"]
    if keys:
        cmd += ["--keys", str(keys)]
    if embed_delay:
        cmd += ["--embed-delay", str(embed_delay)]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    log = (index.parent / f"server-{port}.log").open("w")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = Server(proc, f"http://127.0.0.1:{port}", index, data, Path(log.name))
    server.wait_ready()
    return server


@pytest.fixture(scope="module")
def archive_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    base = tmp_path_factory.mktemp("api")
    data, index = make_archive(base)
    return data, index, keys_file(base)


@pytest.fixture(scope="module")
def server(archive_dir: tuple[Path, Path, Path]) -> Iterator[Server]:
    """A read-mostly server shared by a module's tests (writes go to their own servers)."""
    data, index, keys = archive_dir
    srv = start_server(index, data, keys)
    yield srv
    srv.stop()


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Server]:
    """A server over its own archive, for tests that write."""
    data, index = make_archive(tmp_path)
    srv = start_server(index, data, keys_file(tmp_path))
    yield srv
    srv.stop()
