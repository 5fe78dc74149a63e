"""Search over a real on-disk index (real whoosh, fake encoder): modes, filters, fusion, collapse."""

from __future__ import annotations

import pytest

from index.build.builder import build
from index.search.filters import Filters
from index.search.searcher import HybridConfig, Searcher
from tests.corpus_small import write_corpus
from tests.fakes import FakeEncoder

MODES = ["keyword", "semantic", "hybrid"]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    root = tmp_path_factory.mktemp("search")
    encoder = FakeEncoder()
    build(write_corpus(root / "data"), root / "idx", encoder=encoder)
    return Searcher.open(root / "idx", encoder=encoder, config=HybridConfig(min_similarity=-1.0))


FILTER_CASES = [
    Filters(sections=("观点与动态",)),
    Filters(kinds=("news",)),
    Filters(bulletins=("b2",)),
    Filters(speakers=("索尔海姆",)),
    Filters(sources=("新华网",)),
    Filters(langs=("en",)),
    Filters(since="2019-11-01"),
    Filters(until="2019-10-31"),
    Filters(since="2019-12-03", kinds=("event",)),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("filters", FILTER_CASES, ids=lambda f: f.describe())
def test_filters_apply_before_ranking_in_every_mode(searcher: Searcher, mode: str, filters: Filters) -> None:
    query = "绿色 一带一路 ocean"
    allowed = {i.id for i in searcher.table.items if filters.matches(i)}
    result = searcher.search(query, mode, filters, k=1)
    unfiltered = searcher.search(query, mode, None, k=50)
    expected = [h.item.id for h in unfiltered.hits if h.item.id in allowed][:1]
    shown = [h.item.id for h in result.hits]
    assert set(shown) <= allowed
    if mode == "keyword":  # a filtered-out top hit must not consume the single slot
        assert shown == expected
    else:
        assert len(shown) == min(1, len(allowed))


@pytest.mark.parametrize("mode", ["keyword", "semantic"])
def test_hybrid_with_weight_one_equals_the_single_mode(searcher: Searcher, mode: str) -> None:
    weight = 1.0 if mode == "semantic" else 0.0
    hybrid = Searcher(searcher.folder, searcher.manifest, searcher.table, searcher.keyword, searcher.vectors,
                      searcher.encoder, HybridConfig(semantic_weight=weight, min_similarity=-1.0))
    for query in ["绿色航运", "Oslo ocean", "马克龙", "solar"]:
        single = [h.item.id for h in searcher.search(query, mode, k=5).hits]
        assert [h.item.id for h in hybrid.search(query, "hybrid", k=5).hits] == single


def test_hybrid_reports_both_ranks(searcher: Searcher) -> None:
    hit = searcher.search("绿色航运", "hybrid").hits[0]
    assert hit.item.id == "b1-ship"
    assert hit.keyword_rank == 1 and hit.semantic_rank is not None
    assert "<mark>" in hit.snippet


def test_near_duplicates_collapse_under_the_first(searcher: Searcher) -> None:
    hits = searcher.search("马克龙", "keyword").hits
    assert [h.item.id for h in hits] == ["b1-macron"]
    assert hits[0].duplicates == ("b2-dup",)


def test_paging_continues_the_ranking(searcher: Searcher) -> None:
    whole = [h.item.id for h in searcher.search("绿色", "semantic", k=6).hits]
    pages = [h.item.id for o in (0, 2, 4) for h in searcher.search("绿色", "semantic", k=2, offset=o).hits]
    assert pages == whole


def test_empty_query_is_no_hits_not_an_error(searcher: Searcher) -> None:
    for mode in MODES:
        assert searcher.search("", mode).hits == ()


def test_facets_count_matches_and_ignore_their_own_filter(searcher: Searcher) -> None:
    facets = searcher.facets("", "keyword", Filters(kinds=("news",)))
    assert facets["kinds"]["quote"] == 1  # the kind facet still shows the other kinds
    assert facets["sections"] == {"绿色丝路新闻": 1, "News": 3}
    assert facets["months"]["2019-11"] == 2


@pytest.mark.parametrize("mode", ["hybrid", "keyword", "semantic"])
def test_matched_rows_are_kept_for_the_next_rerun_and_read_only(searcher: Searcher, mode: str) -> None:
    from index.search import searcher as searcher_mod

    first = searcher.matched_rows("green shipping", mode)
    assert first.any() and not first.flags.writeable
    assert searcher.matched_rows("green shipping", mode) is first  # asked again: not computed again
    assert searcher.matched_rows("green shipping ", mode) is not first  # another query text
    for n in range(searcher_mod.MATCHED_KEPT):
        searcher.matched_rows(f"query {n}", mode)
    again = searcher.matched_rows("green shipping", mode)
    assert again is not first and again.tolist() == first.tolist()  # dropped (least recent), same rows


def test_similar_excludes_the_item_and_its_duplicates(searcher: Searcher) -> None:
    ids = [h.item.id for h in searcher.similar("b1-macron", k=10)]
    assert "b1-macron" not in ids and "b2-dup" not in ids and len(ids) == 5
    with pytest.raises(KeyError):
        searcher.similar("nope")


def test_browse_lists_filtered_items_in_archive_order(searcher: Searcher) -> None:
    page = searcher.browse(Filters(bulletins=("b1",)), k=2, offset=1)
    assert page.total == 4 and [h.rank for h in page.hits] == [2, 3]
    assert [h.item.id for h in page.hits] == ["b1-macron", "b1-finance"]
    assert searcher.browse(Filters(kinds=("event",))).hits[0].snippet.startswith("联盟合作伙伴年度交流会")
