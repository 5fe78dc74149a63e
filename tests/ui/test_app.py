"""The Streamlit app driven headlessly with AppTest, over a real index (sample + a small English bulletin)."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from index.build.builder import build
from index.engines import open_archive
from index.interface.export import COLUMNS
from index.search.searcher import Searcher
from tests.conftest import ROOT, UI_EXTRA_ITEMS

APP = str(ROOT / "app.py")
TIMEOUT = 60
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def searcher(ui_index: Path) -> Iterator[Searcher]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BULLETINS_INDEX", str(ui_index))
        opened = open_archive(ui_index)
        yield opened
        opened.close()


def run(params: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(params or {})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def hit_ids(at: AppTest) -> list[str]:
    return [b.key.removeprefix("open-") for b in at.button if b.key and b.key.startswith("open-")]


def summary(at: AppTest) -> str:
    """The result-count line (first Markdown element of the main area)."""
    return at.main.markdown[0].value


def plain(markdown: str) -> str:
    """What Markdown text made by the app's escaping reads as: backslash escapes and entities undone."""
    return html.unescape(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown))


def md_of(text: str) -> str:
    """The app's escaping, restated: ASCII punctuation backslash-escaped, then &, <, > as entities."""
    escaped = re.sub(r"([!-/:-@\[-`{-~])", lambda m: m[1] if m[1] in "&<>" else "\\" + m[1], text)
    return escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def texts(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown) + "\n".join(c.value for c in at.caption)


# -- search ---------------------------------------------------------------------------------------------


def test_first_page_browses_the_archive_in_bulletin_order(searcher: Searcher) -> None:
    at = run()
    assert at.title[0].value == "简报档案检索"
    assert summary(at) == f"共 {len(searcher.engine.table)} 条，按简报顺序浏览"
    assert hit_ids(at) == [it.id for it in searcher.engine.table.items[:10]]
    assert dict(at.query_params) == {}


def test_chinese_query_shows_ranked_highlighted_results(searcher: Searcher) -> None:
    at = run()
    at.text_input(key="q").input("海洋").run()
    expected = searcher.search("海洋", "hybrid", k=10)
    assert hit_ids(at) == [h.item.id for h in expected.hits]
    assert summary(at).startswith(f"共 {expected.total} 条结果，用时 ")
    snippets = [m.value for m in at.markdown if "<mark>" in m.value]
    assert len(snippets) == len(expected.hits) and all("<mark>海洋</mark>" in s for s in snippets)
    assert at.query_params["q"] == "海洋"
    why = at.expander[0]
    assert why.label == "为什么出现这条结果"
    assert "关键词排名" in why.markdown[0].value and "语义排名" in why.markdown[0].value


def test_english_query_finds_chinese_items(searcher: Searcher) -> None:
    at = run({"q": "green shipping"})
    ids = hit_ids(at)
    langs = [searcher.item(i).lang for i in ids]
    assert "zh" in langs[:5], "cross-language: Chinese items among the top results of an English query"
    assert "en-ports-green-corridor" in ids


def test_mode_switch_changes_the_ranking_and_the_url(searcher: Searcher) -> None:
    at = run({"q": "green shipping"})
    hybrid = hit_ids(at)
    at.radio(key="mode").set_value("keyword").run()
    keyword = searcher.search("green shipping", "keyword", k=10)
    assert hit_ids(at) == [h.item.id for h in keyword.hits] != hybrid
    assert at.query_params["mode"] == "keyword"
    at.radio(key="mode").set_value("semantic").run()
    assert hit_ids(at) == [h.item.id for h in searcher.search("green shipping", "semantic", k=10).hits]
    assert "关键词检索未命中" in at.expander[0].markdown[0].value


def test_bad_syntax_is_searched_as_words_with_a_notice() -> None:
    at = run({"q": '"unbalanced quote', "mode": "keyword"})
    assert [w.value for w in at.warning] == ["检索式有误，已按普通词语检索。"]


# -- filters --------------------------------------------------------------------------------------------

FILTERS = [
    ("f_sections", ["观点与动态"], "section", lambda it: it.section == "观点与动态"),
    ("f_kinds", ["event"], "kind", lambda it: it.kind == "event"),
    ("f_sources", ["新华网"], "source", lambda it: it.source == "新华网"),
    ("f_speakers", ["王菊英", "艾瑞民"], "speaker", lambda it: it.speaker in ("王菊英", "艾瑞民")),
    ("f_bulletins", ["harbour-weekly-2019-12"], "bulletin", lambda it: it.bulletin_id == "harbour-weekly-2019-12"),
    ("f_langs", ["en"], "lang", lambda it: it.lang == "en"),
]


@pytest.mark.parametrize(("key", "values", "param", "check"), FILTERS, ids=[f[2] for f in FILTERS])
def test_each_filter_restricts_results_and_counts_match(searcher: Searcher, key, values, param, check) -> None:
    at = run()
    select = at.multiselect(key=key)
    shown = {select.format_func(v) for v in values}
    counts = [int(opt.rsplit("(", 1)[1].rstrip(")")) for opt in select.options if opt in shown]
    for value in values:
        select = select.select(value)
    select.run()
    ids = hit_ids(at)
    matching = [it for it in searcher.engine.table.items if check(it)]
    assert ids and ids == [it.id for it in matching[:10]]
    assert summary(at).startswith(f"共 {len(matching)} 条") and sum(counts) == len(matching)
    assert at.query_params[param] == (values if len(values) > 1 else values[0])


def test_facet_counts_follow_the_query(searcher: Searcher) -> None:
    at = run({"q": "海洋"})
    facets = searcher.facets("海洋", "hybrid")
    options = at.multiselect(key="f_kinds").options
    assert options == [f"{label} ({n})" for label, n in
                       [({"quote": "发言", "news": "新闻", "event": "活动", "report": "报告", "about": "简介"}[k], n)
                        for k, n in sorted(facets["kinds"].items(), key=lambda kv: (-kv[1], kv[0]))]]
    at.multiselect(key="f_kinds").select("quote").run()
    quotes = facets["kinds"]["quote"]
    assert summary(at).startswith(f"共 {quotes} 条结果") and "筛选：类型 发言" in summary(at)
    assert all(searcher.item(i).kind == "quote" for i in hit_ids(at))


def test_date_range_filter(searcher: Searcher) -> None:
    at = run()
    at.date_input(key="f_since").set_value(date(2019, 11, 1)).run()
    at.date_input(key="f_until").set_value(date(2019, 11, 30)).run()
    matching = [it for it in searcher.engine.table.items if it.date and "2019-11-01" <= it.date <= "2019-11-30"]
    assert summary(at).startswith(f"共 {len(matching)} 条")
    assert set(hit_ids(at)) == {it.id for it in matching[:10]}
    assert (at.query_params["since"], at.query_params["until"]) == ("2019-11-01", "2019-11-30")
    assert "起 2019-11-01 · 止 2019-11-30" in plain(summary(at))


def test_clear_filters_in_one_click(searcher: Searcher) -> None:
    at = run({"section": "观点与动态", "kind": "quote", "since": "2019-10"})
    assert summary(at).startswith("共 9 条")
    at.button(key="clear-main").click().run()
    assert summary(at) == f"共 {len(searcher.engine.table)} 条，按简报顺序浏览"
    assert dict(at.query_params) == {}
    assert at.multiselect(key="f_sections").value == [] and at.date_input(key="f_since").value is None


def test_empty_state_suggests_other_modes_and_fewer_filters() -> None:
    at = run({"q": "xylophone zebra", "mode": "keyword", "section": "活动预告"})
    assert at.info[0].value == "没有找到与“xylophone zebra”相符的结果。"
    assert {b.key for b in at.button} >= {"try-semantic", "try-hybrid", "try-filters"}
    at.button(key="try-filters").click().run()
    assert at.query_params.get("section") is None
    at.button(key="try-semantic").click().run()
    assert at.radio(key="mode").value == "semantic"


# -- pages, items, language, URL ------------------------------------------------------------------------


def test_pagination_and_new_query_returns_to_page_one(searcher: Searcher) -> None:
    at = run()
    first = hit_ids(at)
    at.button(key="page-next").click().run()
    assert hit_ids(at) == [it.id for it in searcher.engine.table.items[10:20]] and not set(first) & set(hit_ids(at))
    assert at.query_params["page"] == "2" and "第 2 / 3 页" in texts(at)
    at.button(key="page-prev").click().run()
    assert hit_ids(at) == first and "page" not in at.query_params
    at.button(key="page-next").click().run()
    at.text_input(key="q").input("一带一路").run()
    assert "page" not in at.query_params and "第 1 / " in texts(at)


def test_item_view_of_a_quote(searcher: Searcher) -> None:
    quote = next(it for it in searcher.engine.table.items if it.kind == "quote" and it.parent_id)
    at = run({"q": quote.speaker})
    at.button(key=f"open-{quote.id}").click().run()
    assert at.query_params["item"] == quote.id
    assert at.subheader[0].value.startswith(quote.speaker)
    meta = texts(at)
    assert quote.speaker_title.split("、")[0] in meta and "“一带一路”绿色发展国际联盟简报" in meta
    citation = at.code[0].value
    assert quote.speaker in citation and "2019-11-16" in citation and "观点与动态" in citation
    parent = searcher.item(quote.parent_id)
    similar = [b for b in at.button if b.key and b.key.startswith("similar-")]
    assert len(similar) == 5 and all(not b.key.endswith(quote.id) for b in similar)
    at.button(key=f"parent-{parent.id}").click().run()
    assert at.query_params["item"] == parent.id and at.code[0].value.startswith(f"《{parent.title}》")
    assert f"quote-{quote.id}" in {b.key for b in at.button}, "the news item lists its quotes"
    at.button(key="back").click().run()
    assert "item" not in at.query_params and hit_ids(at)


def test_item_view_of_an_event_shows_time_and_place(searcher: Searcher) -> None:
    event = next(it for it in searcher.engine.table.items if it.kind == "event" and it.place and it.date_end)
    at = run({"item": event.id})
    meta = texts(at)
    assert "**时间**" in meta and f"{event.date} – {event.date_end}".replace("-", "\\-") in meta
    assert "**地点**" in meta


def test_browse_the_bulletin_of_an_item(searcher: Searcher) -> None:
    at = run({"q": "harbour", "item": "en-ports-green-corridor"})
    at.button(key="browse-bulletin").click().run()
    assert dict(at.query_params) == {"bulletin": "harbour-weekly-2019-12"}
    assert hit_ids(at) == ["en-ports-green-corridor", "en-markup-probe"]
    assert plain(summary(at)).endswith("筛选：简报 Harbour Weekly, December 2019")


def test_interface_language_switch() -> None:
    at = run({"q": "海洋", "kind": "quote"})
    at.sidebar.radio(key="ui").set_value("en").run()
    assert at.title[0].value == "Bulletin Archive"
    assert summary(at).endswith("· Filtered: kind Quote") and " results in " in summary(at)
    assert at.text_input(key="q").label == "Search" and at.multiselect(key="f_kinds").label == "Kind"
    assert ":violet-badge[Quote]" in texts(at)
    assert at.query_params["ui"] == "en"


def test_url_restores_the_whole_view(searcher: Searcher) -> None:
    params = {"q": "海洋", "mode": "keyword", "section": "观点与动态", "ui": "en", "page": "1"}
    at = run(params)
    assert at.text_input(key="q").value == "海洋" and at.radio(key="mode").value == "keyword"
    assert at.multiselect(key="f_sections").value == ["观点与动态"]
    expected = searcher.search("海洋", "keyword", searcher_filters("观点与动态"), k=10)
    assert hit_ids(at) == [h.item.id for h in expected.hits]
    assert at.title[0].value == "Bulletin Archive"
    assert at.query_params == {k: v for k, v in params.items() if k != "page"}
    item = expected.hits[1].item.id
    at = run(params | {"item": item, "page": "1"})
    assert at.code[0].value and at.query_params["item"] == item


def searcher_filters(section: str):
    from index.interface.filters import Filters

    return Filters(sections=(section,))


def test_junk_url_falls_back_to_defaults() -> None:
    at = run({"mode": "zzz", "page": "abc", "since": "2019-99", "ui": "xx", "item": "no-such-item",
              "kind": "<b>"})
    assert at.radio(key="mode").value == "hybrid"
    assert at.warning[0].value == "找不到条目 no\\-such\\-item，可能索引已更新。"
    at.button(key="back").click().run()
    assert summary(at).startswith("共 0 条") and "类型 &lt;b&gt;" in summary(at)


def test_document_text_is_escaped_everywhere() -> None:
    at = run({"bulletin": "harbour-weekly-2019-12"})
    shown = texts(at)
    assert "<" not in shown.replace("<mark>", "").replace("</mark>", ""), "no raw HTML reaches the page"
    probe = next(item for item in UI_EXTRA_ITEMS if item["id"] == "en-markup-probe")
    assert probe["title"] in plain(shown) and probe["source"] in plain(shown)
    assert f"**{md_of(probe['title'])}**" in shown, "the title is bold as a whole, its own ** are literal"


# -- export, first run, cache ---------------------------------------------------------------------------


def test_export_csv_and_json_hold_all_filtered_results(searcher: Searcher, deferred: dict) -> None:
    run({"q": "海洋", "section": "观点与动态"})
    expected = searcher.search("海洋", "hybrid", searcher_filters("观点与动态"), k=1000)
    table = list(csv.DictReader(io.StringIO(deferred["bulletin-results.csv"]().decode("utf-8-sig"))))
    assert list(table[0]) == list(COLUMNS)
    assert [r["id"] for r in table] == [h.item.id for h in expected.hits] and len(table) == expected.total
    assert all(r["section"] == "观点与动态" and "“观点与动态”栏目" in r["citation"] for r in table)
    assert any("，见《" in r["citation"] for r in table), "quotes name their news item"
    doc = json.loads(deferred["bulletin-results.json"]())
    assert doc["query"] == "海洋" and doc["filters"]["sections"] == ["观点与动态"]
    assert [h["id"] for h in doc["hits"]] == [r["id"] for r in table]


def test_first_run_builds_the_sample_then_searches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "bulletins", data)
    monkeypatch.setenv("BULLETINS_INDEX", str(tmp_path / "index"))
    monkeypatch.setenv("BULLETINS_DATA", str(data))
    at = run({"q": "海洋"})
    assert at.success[0].value.startswith("索引已建立：23 个条目")
    assert (tmp_path / "index" / "CURRENT").is_file() and hit_ids(at)
    assert not run({"q": "海洋"}).success, "second session finds the index"


def test_rebuilt_index_is_picked_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "bulletins", data)
    build(data, tmp_path / "index")
    monkeypatch.setenv("BULLETINS_INDEX", str(tmp_path / "index"))
    at = run()
    assert summary(at).startswith("共 23 条")
    (data / "extra.jsonl").write_text(json.dumps({"id": "extra-1", "text": "新增条目：绿色航运", "kind": "news"},
                                                 ensure_ascii=False) + "\n", encoding="utf-8")
    build(data, tmp_path / "index")
    at.run()
    assert summary(at).startswith("共 24 条")


def test_near_duplicates_fold_under_the_first(searcher: Searcher) -> None:
    repeat = searcher.item("en-ports-green-corridor-repeat")
    assert repeat.duplicate_of == "en-ports-green-corridor"
    at = run({"q": "green shipping corridor pledge", "mode": "keyword"})
    ids = hit_ids(at)
    assert ids[0] == "en-ports-green-corridor" and repeat.id not in ids
    fold = next(e for e in at.expander if e.label == "另有 1 条相近重复内容")
    fold.button(key=f"dup-{ids[0]}-{repeat.id}").click().run()
    assert at.query_params["item"] == repeat.id
    assert "与此条目相近重复" in [c.value for c in at.caption] and f"orig-{ids[0]}" in {b.key for b in at.button}


def test_speaker_organisation_filter(searcher: Searcher) -> None:
    at = run({"q": "海洋"})
    at.sidebar.text_input(key="f_org").input("挪威").run()
    ids = hit_ids(at)
    assert ids and all("挪威" in searcher.item(i).speaker_title for i in ids)
    assert at.query_params["org"] == "挪威" and "发言人机构 挪威" in plain(summary(at))
    at.button(key="clear-main").click().run()
    assert "org" not in at.query_params and at.sidebar.text_input(key="f_org").value == ""
