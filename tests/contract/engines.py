"""The engines the search interface's contract suite runs on: each builds the tiny bilingual corpus
(``tests/corpus_small.py``) where it keeps indexes and opens it as an :class:`~index.interface.Archive`.

A new engine adds one :class:`EngineUnderTest` to :data:`ENGINES` (skipping, with the reason, where what it needs
is missing); every test of ``test_archive.py`` then runs on it.

SolrCloud runs when ``BULLETINS_SOLR_URL`` names a running cluster (``http://127.0.0.1:PORT/solr``; ``.ci/run`` and
``solr/cluster.sh start`` print it); with ``BULLETINS_REQUIRE_SOLR=1`` (CI) a missing cluster fails instead of
skipping.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from index.interface import Archive, HybridConfig
from tests.corpus_small import write_bulletin, write_corpus
from tests.fakes import FakeEncoder


@dataclass
class EngineUnderTest:
    """One engine with the corpus built in it.

    Attributes:
        name: The engine's name in test ids.
        data: The bulletins folder the index was built from.
        location: Where its index lives (a folder or an engine's URL).
        encoder: The (fake) encoder the build used; queries use it too.
    """

    name: str
    data: Path
    location: str | Path
    encoder: FakeEncoder

    def open(self, config: HybridConfig | None = None) -> Archive:
        from index.engines import open_archive

        return open_archive(self.location, self.encoder, config or HybridConfig(min_similarity=-1.0))

    def add_bulletin(self, name: str, rows: list[dict]) -> None:
        """Add a bulletin to the data folder and build again (a new build lands at the same location)."""
        from index.engines import build

        write_bulletin(self.data, name, rows)
        build(self.data, self.location, encoder=self.encoder)


def local(root: Path) -> EngineUnderTest:
    """The local engine: an index folder (whoosh + numpy) on disk."""
    from index.build.builder import build

    encoder = FakeEncoder()
    data = write_corpus(root / "data")
    build(data, root / "idx", encoder=encoder)
    return EngineUnderTest("local", data, root / "idx", encoder)


def solr(root: Path) -> EngineUnderTest:
    """SolrCloud: a fresh alias on the cluster ``BULLETINS_SOLR_URL`` names (2 shards x 2 replicas)."""
    from index.engines import build

    base = os.environ.get("BULLETINS_SOLR_URL", "")
    if not base:
        reason = "no SolrCloud cluster: start one with solr/cluster.sh start and set BULLETINS_SOLR_URL"
        if os.environ.get("BULLETINS_REQUIRE_SOLR") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    os.environ.setdefault("BULLETINS_CACHE", str(root / "cache"))  # the fake model's vectors stay with the test
    encoder = FakeEncoder()
    data = write_corpus(root / "data")
    location = f"solr://{base.removeprefix('http://').rstrip('/')}/contract_{uuid.uuid4().hex[:8]}"
    build(data, location, encoder=encoder)
    return EngineUnderTest("solr", data, location, encoder)


ENGINES = {"local": local, "solr": solr}
