"""Writes under load and crashes: searches never see a half-written build, concurrent uploads both land,
and a server killed mid-ingest serves its previous build and takes the upload again."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import httpx

from index.build import audit
from tests.api.conftest import EDITOR_KEY, keys_file, make_archive, start_server

AUTH = {"Authorization": f"Bearer {EDITOR_KEY}"}


def _news(n: int) -> bytes:
    return (f"联盟动态\n\n测试新闻{n}：港口绿色合作\n第{n}条测试新闻，关于港口绿色合作与航运减排。来源：新华网\n").encode()


def _post(url: str, name: str, data: bytes, out: dict[str, object]) -> None:
    try:
        out[name] = httpx.post(url + "/bulletins", files={"file": (name, data)}, headers=AUTH, timeout=120)
    except httpx.TransportError as exc:
        out[name] = exc


def test_searches_during_an_ingest_see_the_old_build_or_the_new_one(tmp_path: Path) -> None:
    data, index = make_archive(tmp_path)
    server = start_server(index, data, keys_file(tmp_path), embed_delay=1.5)
    try:
        with server.client() as c:
            before = c.get("/search", params={"q": "港口绿色合作", "k": 50}).json()["total"]
            out: dict[str, object] = {}
            writer = threading.Thread(target=_post, args=(server.url, "port-2020-03.txt", _news(1), out))
            writer.start()
            totals, statuses = set(), set()
            while writer.is_alive():
                r = c.get("/search", params={"q": "港口绿色合作", "k": 50})
                statuses.add(r.status_code)
                totals.add(r.json()["total"])
            writer.join()
            after = c.get("/search", params={"q": "港口绿色合作", "k": 50}).json()["total"]
        assert out["port-2020-03.txt"].status_code == 201
        assert statuses == {200}
        assert after > before and totals <= {before, after}
    finally:
        server.stop()


def test_two_uploads_at_once_both_land(tmp_path: Path) -> None:
    data, index = make_archive(tmp_path)
    server = start_server(index, data, keys_file(tmp_path), embed_delay=0.5)
    try:
        out: dict[str, object] = {}
        names = ["port-2020-04.txt", "port-2020-05.txt"]
        threads = [threading.Thread(target=_post, args=(server.url, name, _news(n), out))
                   for n, name in enumerate(names)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert [out[n].status_code for n in names] == [201, 201], [out[n].text for n in names]
        with server.client() as c:
            held = {b["bulletin"]["id"] for b in c.get("/bulletins").json()["bulletins"]}
        assert {"port-2020-04", "port-2020-05"} <= held
        assert sorted(r["file"] for r in audit.read(index) if r["outcome"] == "added") == names
    finally:
        server.stop()


def test_kill_9_mid_ingest_keeps_the_previous_build_and_the_upload_can_be_retried(tmp_path: Path) -> None:
    data, index = make_archive(tmp_path)
    server = start_server(index, data, keys_file(tmp_path), embed_delay=30)
    previous = (index / "CURRENT").read_text().strip()
    out: dict[str, object] = {}
    writer = threading.Thread(target=_post, args=(server.url, "port-2020-06.txt", _news(6), out))
    writer.start()
    deadline = time.monotonic() + 30
    while not list((index / "builds").glob(".tmp-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list((index / "builds").glob(".tmp-*")), "the ingest never started building"
    time.sleep(0.5)  # inside the (slow) embedding step
    os.kill(server.proc.pid, signal.SIGKILL)
    server.proc.wait(10)
    writer.join(30)
    assert isinstance(out["port-2020-06.txt"], httpx.TransportError)
    assert (index / "CURRENT").read_text().strip() == previous

    restarted = start_server(index, data, keys_file(tmp_path))
    try:
        with restarted.client(headers=AUTH) as c:
            assert c.get("/ready").json()["build"] == previous
            assert c.get("/search", params={"q": "绿色"}).json()["hits"]
            retry = c.post("/bulletins", files={"file": ("port-2020-06.txt", _news(6))})
            assert retry.status_code == 201, retry.text
            assert c.get("/ready").json()["build"] != previous
            hits = c.get("/search", params={"q": "港口绿色合作", "bulletin": "port-2020-06"}).json()["hits"]
            assert hits
        assert not list((index / "builds").glob(".tmp-*"))  # the interrupted build was cleared
    finally:
        restarted.stop()
