"""The real SolrCloud the Solr engine's tests run on: ``SOLR_CLUSTER_DIR`` names a cluster ``solr/cluster.sh start``
started (``.ci/run`` starts one and requires it with ``BULLETINS_REQUIRE_SOLR=1``)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def cluster() -> dict:
    status = Path(os.environ.get("SOLR_CLUSTER_DIR", "/nonexistent")) / "status.json"
    if not status.is_file():
        reason = "no SolrCloud cluster: start one with solr/cluster.sh start and set SOLR_CLUSTER_DIR"
        if os.environ.get("BULLETINS_REQUIRE_SOLR") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return json.loads(status.read_text(encoding="utf-8"))
