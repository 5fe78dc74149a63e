"""The HTTP API over a Solr archive while the whole cluster is stopped and started again (the real cluster of
``solr/cluster.sh``, stopped and restarted on its folder: same ports, same data): searches answer 503 in plain
words, never a traceback, and answer again once Solr is back, without restarting the server."""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from index.engines import build
from tests.corpus_small import write_corpus
from tests.paths import ROOT

pytestmark = pytest.mark.slow  # the real default model


def _cluster(action: str, folder: str) -> None:
    subprocess.run([str(ROOT / "solr" / "cluster.sh"), action, folder], check=True, capture_output=True, timeout=240)


def _until(client: TestClient, status: int, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while (got := client.get("/search", params={"q": "绿色航运", "k": 3}).status_code) != status \
            and time.monotonic() < deadline:
        time.sleep(1)
    return got


def test_searches_answer_503_while_solr_is_down_and_again_when_it_is_back(cluster: dict, tmp_path: Path) -> None:
    base = cluster["nodes"][0]["base_url"].removeprefix("http://")
    location = f"solr://{base}/outage_{uuid.uuid4().hex[:8]}"
    os.environ.setdefault("BULLETINS_CACHE", str(tmp_path / "cache"))
    build(write_corpus(tmp_path / "data"), location)
    with TestClient(create_app(location, data_dir=tmp_path / "data", build_if_missing=False)) as client:
        assert _until(client, 200) == 200
        answer = client.get("/search", params={"q": "绿色航运", "k": 3}).json()
        _cluster("stop", cluster["dir"])
        try:
            down = client.get("/search", params={"q": "绿色航运", "k": 3})
            assert down.status_code == 503 and "Traceback" not in down.text
            assert down.json()["detail"].startswith(f"the index is not available: Solr at http://{base}")
            assert client.get("/ready").status_code == 503
        finally:
            _cluster("start", cluster["dir"])
        assert _until(client, 200) == 200
        again = client.get("/search", params={"q": "绿色航运", "k": 3}).json()
        assert [h["id"] for h in again["hits"]] == [h["id"] for h in answer["hits"]]
        assert client.get("/ready").json()["status"] in ("ready", "degraded")
