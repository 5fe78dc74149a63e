"""`bulletins solr init` on the real cluster: the layout it sets is the layout every build keeps."""

from __future__ import annotations

import os
import subprocess
import uuid
from pathlib import Path

import pytest

from index.build.solr import init
from index.engines import build, open_archive
from index.errors import IndexProblem
from index.solr import collections
from index.solr.client import SolrClient
from tests.corpus_small import write_bulletin, write_corpus
from tests.fakes import FakeEncoder


def test_builds_keep_the_layout_init_chose(cluster: dict, tmp_path: Path) -> None:
    base = cluster["nodes"][0]["base_url"]
    location = f"solr://{base.removeprefix('http://')}/init_{uuid.uuid4().hex[:8]}"
    os.environ.setdefault("BULLETINS_CACHE", str(tmp_path / "cache"))
    client = SolrClient(base)
    first = init(location, shards=1, replicas=3)
    assert collections.layout(client, first) == (1, 3)
    with pytest.raises(IndexProblem, match="exists already .* 1 shards x 3 replicas"):
        init(location)
    encoder = FakeEncoder()
    data = write_corpus(tmp_path / "data")
    build(data, location, encoder=encoder)
    built = open_archive(location, encoder).info().build
    assert built != first and collections.layout(client, built) == (1, 3)
    write_bulletin(data, "b3", [{"id": "b3-x", "kind": "news", "title": "风电", "text": "风电并网。"}])
    build(data, location, encoder=encoder)
    assert collections.layout(client, open_archive(location, encoder).info().build) == (1, 3)


def test_the_command(cluster: dict) -> None:
    base = cluster["nodes"][0]["base_url"].removeprefix("http://")
    location = f"solr://{base}/cli_{uuid.uuid4().hex[:8]}"

    def solr_init(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["bulletins", "solr", "init", "--index", location, *args], capture_output=True, text=True)

    done = solr_init("--shards", "3", "--replicas", "1")
    assert done.returncode == 0, done.stderr
    assert "(3 shards x 1 replicas); now run 'bulletins build --index" in done.stderr
    again = solr_init()
    assert again.returncode == 2 and "exists already" in again.stderr and "Traceback" not in again.stderr
    assert solr_init("--shards", "0").returncode == 2
