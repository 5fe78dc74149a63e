"""Explore helpers over a real on-disk index: coverage, top values, bulletins, speakers."""

from __future__ import annotations

import pytest

from index.build.builder import build
from index.engines import open_archive
from index.interface.filters import Filters
from index.search.searcher import HybridConfig, Searcher
from tests.corpus_small import write_corpus
from tests.fakes import FakeEncoder


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    root = tmp_path_factory.mktemp("explore")
    encoder = FakeEncoder()
    build(write_corpus(root / "data"), root / "idx", encoder=encoder)
    return open_archive(root / "idx", encoder=encoder, config=HybridConfig(min_similarity=0.99))


def test_coverage_per_month_and_section(searcher: Searcher) -> None:
    points = searcher.coverage()
    assert ("2019-11", "绿色丝路新闻", 1) in [(p.month, p.group, p.count) for p in points]
    assert sum(p.count for p in points) == 7
    by_kind = searcher.coverage("马克龙", "keyword", by="kind")
    assert [(p.month, p.group, p.count) for p in by_kind] == [("2019-11", "news", 2)]
    with pytest.raises(ValueError):
        searcher.coverage(by="colour")


def test_coverage_respects_filters(searcher: Searcher) -> None:
    points = searcher.coverage(filters=Filters(langs=("en",)))
    assert sum(p.count for p in points) == 2


def test_top_values(searcher: Searcher) -> None:
    assert searcher.top_values("source")[0] == ("新华网", 2)
    assert searcher.top_values("place") == [("深圳", 1)]
    assert searcher.top_values("source", "Oslo", "keyword") == [("Xinhua", 1)]


def test_bulletins_and_speakers(searcher: Searcher) -> None:
    summaries = {s.bulletin.id: s for s in searcher.bulletins()}
    assert summaries["b1"].items == 4 and summaries["b1"].by_kind["quote"] == 1
    assert summaries["b2"].by_section == {"News": 3}
    speakers = searcher.speakers()
    assert [(s.speaker, s.quotes) for s in speakers] == [("索尔海姆", 1)]
    assert speakers[0].titles == ("联盟咨询委员会主任委员",)
    assert searcher.speakers(Filters(org="亚洲开发银行")) == []


def test_speakers_of_a_theme(searcher: Searcher) -> None:
    assert [s.speaker for s in searcher.speakers(query="绿色港口", mode="keyword")] == ["索尔海姆"]
    assert searcher.speakers(query="Kenya solar", mode="keyword") == []
