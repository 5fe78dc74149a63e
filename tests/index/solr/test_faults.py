"""The Solr engine when a node fails, on the real cluster of ``solr/cluster.sh`` (``SOLR_CLUSTER_DIR`` names it;
``.ci/run`` starts one): a node killed with ``kill -9`` leaves every search answering from the replicas, a build
during the fault completes or fails in plain words with the previous build still serving, and the node comes back
with the cluster whole again."""

from __future__ import annotations

import os
import signal
import time
import uuid
from pathlib import Path

import httpx

from index.engines import build, open_archive
from index.errors import IndexProblem
from index.interface import MODES, HybridConfig
from index.solr import collections
from index.solr.client import SolrClient
from tests.corpus_small import write_bulletin, write_corpus
from tests.fakes import FakeEncoder

QUERIES = ["绿色航运", "Oslo ocean", "马克龙", "solar"]


def _answers(archive) -> dict[tuple[str, str], list[str]]:
    return {(query, mode): [h.item.id for h in archive.search(query, mode, k=5).hits] for query in QUERIES
            for mode in MODES}


def _whole(client: SolrClient, collection: str, timeout: float = 90) -> dict:
    """The cluster's health once every replica of the collection is active again (or what it is at the timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        health = collections.cluster_health(client, collection)
        if health["live_nodes"] == 3 and all(n == 2 for n in health["shards"].values()) \
                or time.monotonic() > deadline:
            return health
        time.sleep(1)


def test_a_killed_node_leaves_searches_answering_and_comes_back(cluster: dict, tmp_path: Path) -> None:
    first, victim = cluster["nodes"][0], cluster["nodes"][2]
    base = first["base_url"].removeprefix("http://")
    location = f"solr://{base}/faults_{uuid.uuid4().hex[:8]}"
    os.environ.setdefault("BULLETINS_CACHE", str(tmp_path / "cache"))
    encoder = FakeEncoder()
    data = write_corpus(tmp_path / "data")
    build(data, location, encoder=encoder)
    archive = open_archive(location, encoder, HybridConfig(min_similarity=-1.0))
    before = _answers(archive)
    serving = archive.info().build

    assert archive.health() == ""
    os.kill(victim["pid"], signal.SIGKILL)
    try:
        for _ in range(3):  # right after the kill, and while the cluster notices
            assert _answers(archive) == before
        deadline = time.monotonic() + 60  # ZooKeeper notices the dead node within its session timeout
        while not archive.health() and time.monotonic() < deadline:
            time.sleep(1)
        assert archive.health().startswith("serving from fewer copies: shard"), archive.health()
        write_bulletin(data, "b3", [{"id": "b3-wind", "kind": "news", "title": "风电场并网", "text": "海上风电场并网发电。",
                                     "date": "2020-06-01"}])
        try:
            build(data, location, encoder=encoder)
        except IndexProblem as exc:  # a build during the fault may fail: in plain words, the old build serving
            assert "Solr at http://" in str(exc) and "Traceback" not in str(exc)
            assert archive.latest_build() == serving and _answers(archive) == before
        else:
            assert open_archive(location, encoder).item("b3-wind") is not None
    finally:
        restarted = httpx.post(f"{cluster['control_url']}/nodes/{victim['index']}/start", timeout=120)
    assert restarted.status_code == 200, restarted.text
    client = SolrClient(first["base_url"])
    for collection in {archive.info().build, archive.latest_build()}:  # the build held, and a newer one if any
        health = _whole(client, collection)
        assert health["live_nodes"] == 3 and all(n == 2 for n in health["shards"].values()), health
    assert archive.health() == ""
    assert _answers(open_archive(location, encoder, HybridConfig(min_similarity=-1.0)))[("马克龙", "keyword")] == \
        before[("马克龙", "keyword")]
