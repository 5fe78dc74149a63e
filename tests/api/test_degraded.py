"""What the API says when the engine is degraded or does not answer (e.g. SolrCloud with a node down, or stopped):
``/ready`` names what is degraded, and a search whose engine fails answers 503 in plain words, never a traceback.
(The engine's own health on a real cluster: tests/index/solr/test_faults.py.)"""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from index.interface import BuildInfo, IndexProblem

INFO = BuildInfo(engine="solr", location="solr://127.0.0.1:1/solr/x", build="x_1", model="usem3", dim=512, items=3,
                 bulletins=1)


class _Archive:
    """An archive whose engine answers its health but fails every search (a stand-in, for the API's mapping)."""

    def __init__(self, health: str) -> None:
        self._health = health

    def info(self) -> BuildInfo:
        return INFO

    def health(self) -> str:
        if self._health == "down":
            raise IndexProblem("Solr at http://127.0.0.1:1/solr does not answer (connection refused); is it running?")
        return self._health

    def find(self, *args: object, **kwargs: object) -> None:
        raise IndexProblem("Solr at http://127.0.0.1:1/solr does not answer (connection refused); is it running?")


class _Live:
    def __init__(self, archive: _Archive) -> None:
        self.held = archive

    def archive(self) -> _Archive:
        return self.held


def _client(tmp_path: Path, health: str) -> TestClient:
    app = create_app(tmp_path / "unused", build_if_missing=False)
    app.state.live = _Live(_Archive(health))
    return TestClient(app)  # no lifespan: nothing opens the index folder


def test_ready_names_what_is_degraded(tmp_path: Path) -> None:
    whole = _client(tmp_path, "").get("/ready").json()
    assert whole == {"status": "ready", "build": "x_1", "items": 3, "model": "usem3", "degraded": ""}
    weak = _client(tmp_path, "serving from fewer copies: shard1 1 of 2 replicas").get("/ready")
    assert weak.status_code == 200 and weak.json()["status"] == "degraded"
    assert weak.json()["degraded"] == "serving from fewer copies: shard1 1 of 2 replicas"


def test_an_engine_that_does_not_answer_is_503_in_plain_words(tmp_path: Path) -> None:
    client = _client(tmp_path, "down")
    ready = client.get("/ready")
    assert ready.status_code == 503 and "does not answer" in ready.json()["detail"]
    found = client.get("/search", params={"q": "海洋"})
    assert found.status_code == 503 and found.headers["retry-after"] == "5"
    assert found.json() == {"detail": "the index is not available: Solr at http://127.0.0.1:1/solr does not answer "
                                      "(connection refused); is it running?"}
