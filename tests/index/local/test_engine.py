"""The local engine's own behaviour beyond the search interface's contract (tests/contract): what it keeps
between queries."""

from __future__ import annotations

import pytest

from index.build.builder import build
from index.engines import open_archive
from index.interface import HybridConfig
from index.local import engine as local_engine
from index.search.searcher import Searcher
from tests.corpus_small import write_corpus
from tests.fakes import FakeEncoder


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    root = tmp_path_factory.mktemp("local")
    encoder = FakeEncoder()
    build(write_corpus(root / "data"), root / "idx", encoder=encoder)
    return open_archive(root / "idx", encoder=encoder, config=HybridConfig(min_similarity=-1.0))


@pytest.mark.parametrize("mode", ["hybrid", "keyword", "semantic"])
def test_matched_rows_are_kept_for_the_next_rerun_and_read_only(searcher: Searcher, mode: str) -> None:
    engine = searcher.engine

    def rows(query: str):
        return engine._matched_rows(searcher._match(query, mode))

    first = rows("green shipping")
    assert first.any() and not first.flags.writeable
    assert rows("green shipping") is first  # asked again: not computed again
    assert rows("green shipping ") is not first  # another query text
    for n in range(local_engine.MATCHED_KEPT):
        rows(f"query {n}")
    again = rows("green shipping")
    assert again is not first and again.tolist() == first.tolist()  # dropped (least recent), same rows


def test_facets_of_a_rerun_do_not_match_the_query_again(searcher: Searcher, monkeypatch: pytest.MonkeyPatch) -> None:
    searcher.facets("solar power", "hybrid")
    calls = []
    monkeypatch.setattr(searcher.engine, "_match", lambda match: calls.append(match))
    searcher.facets("solar power", "hybrid")
    searcher.coverage("solar power", "hybrid")
    assert calls == []
