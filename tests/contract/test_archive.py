"""The search interface's contract, written once against :class:`index.interface.Archive` and run on every engine
of ``tests/contract/engines.py``: search modes, every filter (applied before ranking), facets that ignore their own
filter, similar items, browsing, bulletins, coverage, speakers, empty and hostile queries, and a new build becoming
visible. Only the interface is used: nothing here knows how an engine stores the archive."""

from __future__ import annotations

from dataclasses import fields

import pytest

from index.interface import (
    FILTER_FIELDS,
    MODES,
    Archive,
    BuildInfo,
    Filters,
    HybridConfig,
    ItemNotFound,
    SearchResult,
)
from tests.contract.engines import ENGINES, EngineUnderTest
from tests.corpus_small import B1, B2


@pytest.fixture(scope="module", params=sorted(ENGINES))
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> EngineUnderTest:
    return ENGINES[request.param](tmp_path_factory.mktemp(request.param))


@pytest.fixture(scope="module")
def archive(engine: EngineUnderTest) -> Archive:
    return engine.open()


def everything(archive: Archive) -> list:
    return [h.item for h in archive.browse(k=1000).hits]


# -- search modes and filters ---------------------------------------------------------------------------

FILTER_CASES = [
    Filters(sections=("观点与动态",)),
    Filters(kinds=("news",)),
    Filters(kinds=("news", "event")),
    Filters(bulletins=("b2",)),
    Filters(speakers=("索尔海姆",)),
    Filters(sources=("新华网",)),
    Filters(langs=("en",)),
    Filters(since="2019-11-01"),
    Filters(until="2019-10-31"),
    Filters(since="2019-11"),
    Filters(until="2019"),
    Filters(since="2019-12-03", kinds=("event",)),
    Filters(org="咨询委员会"),
    Filters(kinds=("nothing",)),
]


def test_the_cases_cover_every_filter() -> None:
    assert {f.name for f in FILTER_FIELDS} == {f.name for f in fields(Filters)}
    covered = {name for case in FILTER_CASES for name in (f.name for f in fields(case)) if getattr(case, name)}
    assert covered == {f.name for f in FILTER_FIELDS}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("filters", FILTER_CASES, ids=lambda f: f.describe())
def test_filters_apply_before_ranking_in_every_mode(archive: Archive, mode: str, filters: Filters) -> None:
    query = "绿色 一带一路 ocean"
    allowed = {i.id for i in everything(archive) if filters.matches(i)}  # the filters' reference meaning
    result = archive.search(query, mode, filters, k=1)
    unfiltered = archive.search(query, mode, None, k=50)
    expected = [h.item.id for h in unfiltered.hits if h.item.id in allowed][:1]
    shown = [h.item.id for h in result.hits]
    assert set(shown) <= allowed
    if mode == "keyword":  # a filtered-out top hit must not consume the single slot
        assert shown == expected
    else:
        assert len(shown) == min(1, len(allowed))


@pytest.mark.parametrize("filters", FILTER_CASES, ids=lambda f: f.describe())
def test_browse_and_facets_agree_with_the_filters(archive: Archive, filters: Filters) -> None:
    allowed = [i.id for i in everything(archive) if filters.matches(i)]
    page = archive.browse(filters, k=1000)
    assert [h.item.id for h in page.hits] == allowed and page.total == len(allowed)
    kinds = archive.facets("", "hybrid", filters.without("kinds") if filters.kinds else filters)["kinds"]
    assert sum(kinds.values()) == len([i for i in everything(archive) if filters.without("kinds").matches(i)])


def test_unknown_mode_is_a_clear_error(archive: Archive) -> None:
    with pytest.raises(ValueError, match="unknown mode 'fuzzy'"):
        archive.search("绿色", "fuzzy")


@pytest.mark.parametrize("mode", ["keyword", "semantic"])
def test_hybrid_with_weight_one_equals_the_single_mode(engine: EngineUnderTest, archive: Archive, mode: str) -> None:
    weight = 1.0 if mode == "semantic" else 0.0
    hybrid = engine.open(HybridConfig(semantic_weight=weight, min_similarity=-1.0))
    for query in ["绿色航运", "Oslo ocean", "马克龙", "solar"]:
        single = [h.item.id for h in archive.search(query, mode, k=5).hits]
        assert [h.item.id for h in hybrid.search(query, "hybrid", k=5).hits] == single


def test_hybrid_reports_both_ranks_and_marks_the_terms(archive: Archive) -> None:
    hit = archive.search("绿色航运", "hybrid").hits[0]
    assert hit.item.id == "b1-ship"
    assert hit.keyword_rank == 1 and hit.semantic_rank is not None
    assert "<mark>" in hit.snippet


def test_semantic_hits_carry_their_passage(archive: Archive) -> None:
    hit = archive.search("ocean governance partnership", "semantic").hits[0]
    assert hit.item.id == "b2-ocean" and hit.passage and hit.semantic_rank == 1


def test_an_english_query_finds_the_chinese_item(archive: Archive) -> None:
    assert "b1-ship" in [h.item.id for h in archive.search("green shipping", "keyword", k=5).hits]


def test_near_duplicates_fold_under_the_first(archive: Archive) -> None:
    hits = archive.search("马克龙", "keyword").hits
    assert [h.item.id for h in hits] == ["b1-macron"]
    assert hits[0].duplicates == ("b2-dup",)


def test_paging_continues_the_ranking(archive: Archive) -> None:
    whole = [h.item.id for h in archive.search("绿色", "semantic", k=6).hits]
    pages = [h.item.id for o in (0, 2, 4) for h in archive.search("绿色", "semantic", k=2, offset=o).hits]
    assert pages == whole


HOSTILE = ['"unbalanced', "AND OR NOT", "kind:", "((((", ")", "-", "*?~^", "'; DROP TABLE items; --",
           "<script>alert(1)</script>", "\x00\x1f\u202e", "𝕏 🌊", "x" * 2000, "bulletin:nothing kind:quote",
           "section:观点与动态 AND NOT 绿色"]


@pytest.mark.parametrize("mode", MODES)
def test_empty_and_hostile_queries_are_answers_not_errors(archive: Archive, mode: str) -> None:
    assert archive.search("", mode).hits == () and archive.search("   ", mode).total == 0
    for query in HOSTILE:
        result = archive.search(query, mode, k=5)
        assert isinstance(result, SearchResult) and len(result.hits) <= 5
        assert all("<script>" not in h.snippet for h in result.hits)


def test_find_searches_or_browses(archive: Archive) -> None:
    assert archive.find("", "hybrid", Filters(kinds=("news",))).mode == "browse"
    assert archive.find("绿色", "keyword").mode == "keyword"


# -- facets, exploring ------------------------------------------------------------------------------------


def test_facets_count_matches_and_ignore_their_own_filter(archive: Archive) -> None:
    facets = archive.facets("", "keyword", Filters(kinds=("news",)))
    assert facets["kinds"]["quote"] == 1  # the kind facet still shows the other kinds
    assert facets["sections"] == {"绿色丝路新闻": 1, "News": 3}
    assert facets["months"]["2019-11"] == 2
    assert set(facets.names()) >= {"sections", "kinds", "sources", "speakers", "bulletins", "langs", "months"}


def test_facets_follow_the_query(archive: Archive) -> None:
    facets = archive.facets("马克龙", "keyword")
    assert dict(facets["bulletins"]) == {"b1": 1, "b2": 1}
    assert facets.to_dict()["sources"] == {"新华网": 2}


def test_coverage_counts_dated_items_per_month(archive: Archive) -> None:
    points = {(p.month, p.group): p.count for p in archive.coverage(by="kind")}
    assert points == {("2019-10", "quote"): 1, ("2019-10", "news"): 1, ("2019-11", "news"): 2,
                      ("2019-11", "report"): 1, ("2019-12", "event"): 1, ("2020-03", "news"): 1}
    assert {p.month for p in archive.coverage("马克龙", "keyword")} == {"2019-11"}
    with pytest.raises(ValueError):
        archive.coverage(by="colour")


def test_top_values_and_speakers(archive: Archive) -> None:
    assert archive.top_values("source")[0] == ("新华网", 2)
    (speaker,) = archive.speakers()
    assert (speaker.speaker, speaker.titles, speaker.quotes) == ("索尔海姆", ("联盟咨询委员会主任委员",), 1)
    assert archive.speakers(Filters(bulletins=("b2",))) == []


def test_similar_leaves_out_the_item_and_its_duplicates(archive: Archive) -> None:
    ids = [h.item.id for h in archive.similar("b1-macron", k=10)]
    assert "b1-macron" not in ids and "b2-dup" not in ids and len(ids) == 5
    assert all(h.item.kind == "news" for h in archive.similar("b1-macron", k=10, filters=Filters(kinds=("news",))))
    with pytest.raises(ItemNotFound):
        archive.similar("nope")


# -- records ----------------------------------------------------------------------------------------------


def test_browse_lists_filtered_items_in_archive_order(archive: Archive) -> None:
    page = archive.browse(Filters(bulletins=("b1",)), k=2, offset=1)
    assert page.total == 4 and [h.rank for h in page.hits] == [2, 3]
    assert [h.item.id for h in page.hits] == ["b1-macron", "b1-finance"]
    assert archive.browse(Filters(kinds=("event",))).hits[0].snippet.startswith("联盟合作伙伴年度交流会")


def test_items_and_bulletins(archive: Archive) -> None:
    assert archive.item("b1-ship").speaker == "索尔海姆" and archive.item("nope") is None
    assert archive.bulletin("b2").id == "b2" and archive.bulletin("nope") is None
    assert [i.id for i in archive.bulletin_items("b1")] == [row["id"] for row in B1]
    assert archive.bulletin_items("nope") == []
    summaries = {s.bulletin.id: s for s in archive.bulletins()}
    assert summaries["b1"].items == len(B1) and summaries["b2"].items == len(B2)
    assert summaries["b1"].by_kind == {"quote": 1, "news": 1, "report": 1, "event": 1}
    assert summaries["b2"].by_section == {"News": 3}
    assert "2019-12-03" in archive.dates() and "2020-03-01" in archive.dates()


def test_the_build_describes_itself(engine: EngineUnderTest, archive: Archive) -> None:
    info = archive.info()
    assert isinstance(info, BuildInfo) and info.engine == engine.name
    assert (info.model, info.items, info.bulletins) == ("fake", len(B1) + len(B2), 2)
    assert info.build and archive.latest_build() == info.build
    assert archive.health() == ""  # whole


@pytest.mark.parametrize("name", sorted(ENGINES))
def test_a_new_build_becomes_visible(name: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    engine = ENGINES[name](tmp_path_factory.mktemp(f"{name}-new"))
    before = engine.open()
    seen = before.info()
    engine.add_bulletin("b3", [{"id": "b3-wind", "kind": "news", "title": "风电场并网", "text": "海上风电场并网发电。",
                                "date": "2020-06-01"}])
    assert before.latest_build() not in (None, seen.build)  # the old archive knows a newer build landed
    assert before.item("b3-wind") is None  # ... and keeps answering from its own
    after = engine.open()
    assert after.info().build == before.latest_build() and after.info().items == seen.items + 1
    assert [h.item.id for h in after.search("风电场", "keyword").hits] == ["b3-wind"]
    change = after.changes_since(seen)
    assert (change.added, change.items) == (("b3",), 1)
