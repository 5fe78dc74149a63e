"""The API against a real `bulletins serve` on loopback: shapes, filters, 404s, bad parameters, auth, uploads."""

from __future__ import annotations

import json
import time

import pytest

from index.build import audit
from index.engines import open_archive
from index.interface.filters import Filters
from tests.api.conftest import EDITOR_KEY, Server
from tests.fakes import FakeEncoder

NEWS = "联盟动态\n\n测试新闻：绿色航运走廊启动\n一条关于绿色航运走廊的测试新闻，港口合作推进低碳燃料。来源：新华网\n"


def test_health_and_ready(server: Server) -> None:
    with server.client() as c:
        assert c.get("/health").json() == {"status": "ok"}
        ready = c.get("/ready").json()
        assert ready["status"] == "ready" and ready["items"] > 20 and ready["model"] == "fake"
        assert "swagger" in c.get("/docs").text.lower()
        assert "/search" in c.get("/openapi.json").json()["paths"]


@pytest.mark.parametrize("mode", ["hybrid", "keyword", "semantic"])
def test_search_hits_are_the_cli_json_hits(server: Server, mode: str) -> None:
    searcher = open_archive(server.index, encoder=FakeEncoder())
    expected = searcher.search("绿色航运", mode, Filters(), k=5)
    with server.client() as c:
        body = c.get("/search", params={"q": "绿色航运", "mode": mode, "k": 5}).json()
    assert set(body) >= {"query", "took_ms", "total", "hits"}
    assert body["query"] == "绿色航运" and body["total"] == expected.total
    assert body["hits"] == [h.to_dict() for h in expected.hits]


@pytest.mark.parametrize(("params", "check"), [
    ({"kind": "quote"}, lambda h: h["kind"] == "quote"),
    ({"kind": ["quote", "event"]}, lambda h: h["kind"] in ("quote", "event")),
    ({"lang": "en"}, lambda h: h["lang"] == "en"),
    ({"speaker": "Jane Doe"}, lambda h: h["speaker"] == "Jane Doe"),
    ({"source": "Harbour Desk"}, lambda h: h["source"] == "Harbour Desk"),
    ({"since": "2019-12"}, lambda h: (h["date_end"] or h["date"]) >= "2019-12"),
    ({"until": "2019-11-30"}, lambda h: h["date"] <= "2019-11-30"),
    ({"bulletin": "harbour-2019-12"}, lambda h: h["bulletin_id"] == "harbour-2019-12"),
    ({"section": "Ports"}, lambda h: h["section"] == "Ports"),
])
def test_filters(server: Server, params: dict, check) -> None:
    with server.client() as c:
        for q in ("", "green 绿色"):
            body = c.get("/search", params={"q": q, "k": 50, **params}).json()
            assert body["hits"], (q, params)
            assert all(check(h) for h in body["hits"])


def test_paging_and_facets(server: Server) -> None:
    with server.client() as c:
        first = c.get("/search", params={"q": "绿色", "k": 3}).json()
        second = c.get("/search", params={"q": "绿色", "k": 3, "offset": 3}).json()
        faceted = c.get("/search", params={"q": "绿色", "facets": "true"}).json()
    assert [h["rank"] for h in second["hits"]] == [4, 5, 6]
    assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]}
    assert "facets" not in first or first["facets"] is None
    assert sum(faceted["facets"]["kinds"].values()) >= faceted["total"] - 1
    assert set(faceted["facets"]) >= {"sections", "kinds", "sources", "speakers", "months"}


def test_items_similar_and_bulletins(server: Server) -> None:
    with server.client() as c:
        item = c.get("/items/en-green-shipping").json()
        assert item["title"] == "Green shipping corridor opens" and item["bulletin_id"] == "harbour-2019-12"
        assert c.get("/items/no-such-item").status_code == 404
        similar = c.get("/items/en-green-shipping/similar", params={"k": 3}).json()
        assert len(similar["hits"]) == 3 and "en-green-shipping" not in {h["id"] for h in similar["hits"]}
        assert c.get("/items/no-such-item/similar").status_code == 404
        listing = c.get("/bulletins").json()
        ids = [b["bulletin"]["id"] for b in listing["bulletins"]]
        assert ids == ["harbour-2019-12", "brigc-2019-11"]  # newest first
        assert "/" not in listing["bulletins"][0]["bulletin"]["source_file"]
        one = c.get("/bulletins/brigc-2019-11").json()
        positions = [i["position"] for i in one["items"]]
        assert positions == sorted(positions) and len(positions) > 10
        assert c.get("/bulletins/nope").status_code == 404


def test_quotes(server: Server) -> None:
    with server.client() as c:
        everything = c.get("/quotes").json()
        assert everything["hits"] and all(h["kind"] == "quote" for h in everything["hits"])
        assert any(s["speaker"] == "Jane Doe" for s in everything["speakers"])
        themed = c.get("/quotes", params={"q": "ocean governance", "speaker": "Jane Doe"}).json()
        assert [h["id"] for h in themed["hits"]] == ["en-quote-ocean"]


def test_exports(server: Server) -> None:
    with server.client() as c:
        csv = c.get("/export.csv", params={"q": "green", "kind": "news"})
        document = c.get("/export.json", params={"q": "green", "kind": "news"})
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.content.startswith(b"\xef\xbb\xbf") and b"citation" in csv.content.splitlines()[0]
    body = json.loads(document.content)
    assert body["query"] == "green" and body["filters"]["kinds"] == ["news"]
    assert body["hits"] and all(h["kind"] == "news" for h in body["hits"])


@pytest.mark.parametrize("params", [
    {"k": -1}, {"k": 0}, {"k": 100000}, {"offset": -3}, {"mode": "nonsense"}, {"since": "2020-13-45"},
    {"until": "yesterday"}, {"lang": "fr"}, {"facets": "maybe"}, {"k": "ten"},
])
def test_bad_parameters_are_4xx_with_a_message(server: Server, params: dict) -> None:
    with server.client() as c:
        r = c.get("/search", params=params)
    assert r.status_code in (400, 422), r.text
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["detail"]


def test_markup_is_never_echoed_raw(server: Server) -> None:
    evil = "<script>alert(1)</script>"
    with server.client() as c:
        for r in (c.get("/search", params={"q": evil}), c.get(f"/items/{evil}"), c.get("/search", params={"since": evil}),
                  c.get(f"/nowhere/{evil}")):
            assert r.status_code < 500
            assert r.headers["content-type"].startswith("application/json")
            assert all(evil not in h["snippet"] for h in r.json().get("hits", []))


def test_writes_need_an_editor_key(server: Server) -> None:
    files = {"file": ("x-2020-01.txt", NEWS.encode())}
    with server.client() as c:
        assert c.post("/bulletins", files=files).status_code == 401
        assert c.post("/bulletins", files=files, headers={"Authorization": "Bearer wrong"}).status_code == 403
        assert c.post("/bulletins", files=files, headers={"X-API-Key": "wrong"}).status_code == 403
    assert not (server.data / "x-2020-01.txt").exists()


def test_upload_adds_a_bulletin_and_is_audited(fresh: Server) -> None:
    auth = {"Authorization": f"Bearer {EDITOR_KEY}"}
    with fresh.client(headers=auth) as c:
        before = c.get("/ready").json()
        r = c.post("/bulletins", files={"file": ("test-2020-02.txt", NEWS.encode())})
        assert r.status_code == 201, r.text
        added = r.json()
        assert added["bulletin"] == "test-2020-02" and added["items"] >= 1 and added["status"] == "new"
        after = c.get("/ready").json()
        assert after["build"] != before["build"] and after["items"] == before["items"] + added["items"]
        hits = c.get("/search", params={"q": "绿色航运走廊", "bulletin": "test-2020-02"}).json()["hits"]
        assert hits and hits[0]["bulletin_id"] == "test-2020-02"
        again = c.post("/bulletins", files={"file": ("test-2020-02.txt", NEWS.encode())})
        assert again.status_code == 409 and "already" in again.json()["detail"]
        assert c.post("/bulletins", files={"file": ("../evil.txt", b"x")}).status_code == 400
        assert c.post("/bulletins", files={"file": ("notes.exe", b"x")}).status_code == 415
        assert c.post("/bulletins", files={"file": ("empty.jsonl", b"{not json")}).status_code == 422
        assert c.post("/bulletins").status_code == 422
    records = audit.read(fresh.index)
    assert [r["outcome"] for r in records] == ["added", "unchanged", "rejected", "rejected", "failed"]
    first = records[0]
    assert first["actor"] == "newsroom" and first["file"] == "test-2020-02.txt" and first["at"].endswith("Z")
    assert first["items"] == added["items"] and len(first["sha256"]) == 64 and first["bulletin"] == "test-2020-02"


def test_sigterm_stops_the_server_and_frees_the_port(fresh: Server) -> None:
    import socket

    port = int(fresh.url.rsplit(":", 1)[1])
    started = time.monotonic()
    assert fresh.stop() == 0
    assert time.monotonic() - started < 5, "a service manager's stop: within 5 s"
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))  # the port is free again
