"""The whoosh keyword index on disk: phrases, booleans, fields, traditional characters, glossary, filters."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from archive.model import Item
from index.keyword.engine import KeywordIndex, KeywordIndexError, KeywordResult
from index.keyword.glossary import load_glossary
from index.keyword.planner import plan_query
from index.keyword.syntax import NOTICE_SYNTAX, plain_words
from tests.paths import ROOT

GLOSSARY = load_glossary(ROOT / "data" / "glossary.csv")


def item(id: str, text: str, title: str = "", bulletin: str = "b1", **fields: str) -> Item:
    return Item(id=id, bulletin_id=bulletin, kind=fields.pop("kind", "news"), title=title, text=text, **fields)


ITEMS = [
    item("solheim", "对于海上丝绸之路的绿色化，要构建务实的伙伴关系。建议关注绿色港口、绿色航\n运、循环经济和海洋生物多样性保护。",
         kind="quote", speaker="索尔海姆", speaker_title="世界资源研究所高级顾问", section="观点与动态",
         date="2019-10-23"),
    item("oslo", "“一带一路”绿色发展国际联盟与中国环境与发展国际合作委员会（国合会）在挪威奥斯陆联合召开了边会。",
         title="联盟“海洋命运共同体和海洋环境治理”专题伙伴关系在挪威奥斯陆启动", section="联盟动态", date="2019-10-23"),
    item("finance", "绿色金融是推动“一带一路”高质量发展的重要工具。", title="绿色金融", section="绿色丝路新闻",
         date="2019-11-06"),
    item("apart", "金融机构支持绿色项目，一带和一路沿线的银行参与。", section="绿色丝路新闻", date="2019-11-06"),
    item("trad", "綠色絲路建設需要各方參與。", section="绿色丝路新闻", date="2019-11-01"),
    item("silk", "绿色丝路新闻：海洋生态保护合作。", section="绿色丝路新闻", date="2019-11-02"),
    item("ship", "DNV GL and partners discussed green shipping and healthy oceans.", title="Green shipping",
         bulletin="b2", lang="en", date="2020-01-10"),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> KeywordIndex:
    keyword = KeywordIndex.create(tmp_path_factory.mktemp("kw") / "keyword", ITEMS, glossary=GLOSSARY)
    yield keyword
    keyword.close()


def ids(result: KeywordResult) -> list[str]:
    return [i for i, _ in result.hits]


def test_create_and_count(index: KeywordIndex) -> None:
    assert index.doc_count() == len(ITEMS)


@pytest.mark.parametrize(("query", "expected"), [
    ('"一带一路"', {"oslo", "finance"}),
    ("一带一路", {"oslo", "finance"}),
    ('"绿色金融"', {"finance"}),
    ("一带一路绿色发展国际联盟", {"oslo"}),
    ('"海洋命运共同体"', {"oslo"}),
])
def test_phrases_match_across_quotes_and_not_apart(index: KeywordIndex, query: str, expected: set[str]) -> None:
    assert set(ids(index.search(query, 10))) == expected


def test_phrase_of_several_words_needs_adjacency(index: KeywordIndex) -> None:
    assert ids(index.search('"支持 项目"', 10)) == []
    assert ids(index.search('"支持 绿色 项目"', 10)) == ["apart"]


def test_traditional_query_finds_simplified_and_back(index: KeywordIndex) -> None:
    assert {"trad", "silk"} <= set(ids(index.search("綠色絲路", 10)))
    assert "trad" in ids(index.search("绿色丝路", 10))


@pytest.mark.parametrize(("query", "expected"), [
    ("海洋 AND 伙伴关系", ["oslo", "solheim"]),
    ("海洋 AND 伙伴关系 NOT 挪威", ["solheim"]),
    ("海洋 AND 伙伴关系 AND -挪威", ["solheim"]),
    ("绿色金融 OR 绿色港口", ["finance", "solheim"]),
    ("(绿色金融 OR 绿色港口) AND 循环经济", ["solheim"]),
])
def test_boolean_queries(index: KeywordIndex, query: str, expected: list[str]) -> None:
    assert sorted(ids(index.search(query, 10))) == sorted(expected)


@pytest.mark.parametrize(("query", "expected"), [
    ("speaker:索尔海姆", ["solheim"]),
    ("speaker:Solheim", ["solheim"]),
    ("section:观点与动态", ["solheim"]),
    ("kind:quote", ["solheim"]),
    ("kind:QUOTE 海洋", ["solheim"]),
    ("bulletin:b2", ["ship"]),
    ("lang:en", ["ship"]),
    ("date:2019-10 海洋", ["oslo", "solheim"]),
    ("title:绿色金融", ["finance"]),
])
def test_field_queries(index: KeywordIndex, query: str, expected: list[str]) -> None:
    assert sorted(ids(index.search(query, 10))) == sorted(expected)


def test_excluded_terms_also_exclude_partial_matches(index: KeywordIndex) -> None:
    for query in ("海洋 伙伴关系 NOT 挪威", "海洋 伙伴关系 -挪威"):
        found = ids(index.search(query, 10))
        assert found[0] == "solheim" and "oslo" not in found


def test_field_value_stays_required_when_words_are_relaxed(index: KeywordIndex) -> None:
    assert ids(index.search("kind:quote 绿色金融 循环经济", 10)) == ["solheim"]


def test_title_is_boosted(index: KeywordIndex) -> None:
    assert ids(index.search("绿色金融", 10))[0] == "finance"


@pytest.mark.parametrize(("query", "expected"), [
    ("Solheim", "solheim"),
    ("solheim's green ports", "solheim"),
    ("CCICED", "oslo"),
    ("中国环境与发展国际合作委员会", "oslo"),
    ("BRIGC", "oslo"),
    ("Oslo", "oslo"),
    ("Green Silk Road", "silk"),
])
def test_glossary_expansion_crosses_languages_and_abbreviations(index: KeywordIndex, query: str,
                                                                 expected: str) -> None:
    assert expected in ids(index.search(query, 10))


def test_english_query_finds_chinese_and_english_items(index: KeywordIndex) -> None:
    found = ids(index.search("green shipping", 10))
    assert {"solheim", "ship"} <= set(found)  # 绿色航\n运 (line break inside the word) is joined


def test_terms_include_expansions(index: KeywordIndex) -> None:
    result = index.search("Solheim", 10)
    assert {"solheim", "索尔海姆"} <= set(result.terms)
    assert "挪威" not in index.search("海洋 -挪威", 10).terms


def test_bigram_field_finds_part_of_a_word(index: KeywordIndex) -> None:
    assert "solheim" in ids(index.search("多样性", 10))  # 生物多样性 is one word token


def test_long_chinese_query_still_finds_items(index: KeywordIndex) -> None:
    result = index.search("联盟在奥斯陆启动的海洋专题伙伴关系会议报道", 10)
    assert ids(result)[0] == "oslo"


def test_and_matches_rank_before_partial_matches(index: KeywordIndex) -> None:
    result = index.search("海洋 伙伴关系 绿色港口", 10)
    assert ids(result)[0] == "solheim"
    assert "oslo" in ids(result) and result.total >= 2
    scores = [s for _, s in result.hits]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("query", ["(((", "AND OR", '"unclosed', ")", "NOT", "OR 海洋", "海洋 AND", "speaker:",
                                   ":", '"', "*?", "海洋 NOT", "((海洋)", "AND AND 海洋", "a:b:c", "-", "--x",
                                   "date:", "kind:", "+", "\x00", "海洋^2", "[2019 TO 2020]"])
def test_malformed_queries_never_raise(index: KeywordIndex, query: str) -> None:
    result = index.search(query, 10)
    assert isinstance(result, KeywordResult)


def test_malformed_query_searches_plain_words_with_notice(index: KeywordIndex) -> None:
    result = index.search('"海洋 伙伴关系', 10)
    assert result.notice == NOTICE_SYNTAX
    assert {"oslo", "solheim"} <= set(ids(result))
    assert index.search("((海洋", 10).notice == NOTICE_SYNTAX
    assert index.search("海洋 伙伴关系", 10).notice == ""


@pytest.mark.parametrize("query", ["", "   ", "，。！", "-海洋"])
def test_empty_or_only_excluding_query_gives_zero_hits(index: KeywordIndex, query: str) -> None:
    result = index.search(query, 10)
    assert result.hits == [] and result.total == 0


def test_allowed_set_applies_before_ranking(index: KeywordIndex) -> None:
    everything = ids(index.search("绿色金融 OR 绿色港口", 10))
    top, runner_up = everything[0], everything[1]
    allowed = frozenset({i.id for i in ITEMS} - {top})
    result = index.search("绿色金融 OR 绿色港口", 1, allowed=allowed)
    assert ids(result) == [runner_up] and result.total == 1
    assert index.search("海洋", 10, allowed=frozenset()).hits == []
    assert index.search("海洋", 10, allowed=frozenset({"nope"})).hits == []


def test_limit_is_respected(index: KeywordIndex) -> None:
    assert len(index.search("绿色", 2).hits) == 2
    assert index.search("绿色", 0).hits == []


def test_plan_is_built_apart_from_running() -> None:
    plan = plan_query("海洋 伙伴关系", GLOSSARY)
    assert plan.strict is not None and plan.loose is not None
    assert plan_query("海洋", GLOSSARY).loose is None


def test_update_replaces_a_bulletins_items(tmp_path: Path) -> None:
    keyword = KeywordIndex.create(tmp_path / "kw", ITEMS, glossary=GLOSSARY)
    assert ids(keyword.search("循环经济", 10)) == ["solheim"]
    new = [item("solheim2", "海洋塑料污染治理需要循环经济。", bulletin="b1")]
    keyword.update(["b1"], new)
    assert keyword.doc_count() == 2
    assert ids(keyword.search("循环经济", 10)) == ["solheim2"]
    assert ids(keyword.search("奥斯陆", 10)) == []
    assert ids(keyword.search("循环经济", 10, allowed=frozenset({"solheim2"}))) == ["solheim2"]
    keyword.close()
    reopened = KeywordIndex.open(tmp_path / "kw", glossary=GLOSSARY)
    assert reopened.doc_count() == 2 and ids(reopened.search("green shipping", 10)) == ["ship"]
    reopened.close()


def test_open_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(KeywordIndexError, match="no keyword index"):
        KeywordIndex.open(tmp_path / "absent")


def test_open_damaged_index_is_a_clear_error(tmp_path: Path) -> None:
    KeywordIndex.create(tmp_path / "kw", ITEMS[:2], glossary=GLOSSARY).close()
    for path in (tmp_path / "kw").glob("*.toc"):
        path.write_bytes(b"garbage")
    with pytest.raises(KeywordIndexError, match="rebuild"):
        KeywordIndex.open(tmp_path / "kw")


def test_open_index_built_with_another_analyzer_is_refused(tmp_path: Path) -> None:
    KeywordIndex.create(tmp_path / "kw", ITEMS[:2], glossary=GLOSSARY).close()
    (tmp_path / "kw" / "keyword-analysis.json").write_text('{"analysis": "other"}', encoding="utf-8")
    with pytest.raises(KeywordIndexError, match="another analyzer"):
        KeywordIndex.open(tmp_path / "kw")


def test_indexes_built_before_the_whoosh_adapter_still_open() -> None:
    """Their segment lists pickled the schema's tokenizer as ``index.keyword.engine.AnalysisTokenizer``."""
    from index.keyword.whoosh_adapter import AnalysisTokenizer

    assert pickle.loads(b"cindex.keyword.engine\nAnalysisTokenizer\n.") is AnalysisTokenizer


def test_indexes_built_when_the_engine_was_one_module_still_open() -> None:
    """Indexes of the released single-module engine (``index/keyword.py``) pickled ``index.keyword.AnalysisTokenizer``."""
    from index.keyword.whoosh_adapter import AnalysisTokenizer

    assert pickle.loads(b"cindex.keyword\nAnalysisTokenizer\n.") is AnalysisTokenizer


@pytest.mark.parametrize(("query", "plain"), [
    ("绿色 AND 发展", "绿色 发展"), ('"green finance" OR 碳中和', "green finance 碳中和"),
    ("kind:quote 气候", "quote 气候"), ("绿色 -煤炭", "绿色"), ("(海洋 OR 湿地) NOT 塑料", "海洋 湿地"),
    ("", ""),
])
def test_plain_words_drop_the_syntax(query, plain):
    assert plain_words(query) == plain
