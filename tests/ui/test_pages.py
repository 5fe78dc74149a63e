"""The app's other pages, driven headlessly with AppTest: quotes, bulletins, coverage (admin: test_admin.py).

Same real index as tests/ui/test_app.py (sample + small English bulletins, real default model).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from index.engines import open_archive
from index.interface.filters import Filters
from index.search.searcher import Searcher
from tests.conftest import ROOT
from ui import periods

APP = str(ROOT / "app.py")
TIMEOUT = 60
QUOTES = Filters(kinds=("quote",))
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def searcher(ui_index: Path) -> Iterator[Searcher]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BULLETINS_INDEX", str(ui_index))
        mp.delenv("BULLETINS_ADMIN", raising=False)
        opened = open_archive(ui_index)
        yield opened
        opened.close()


def run(params: dict | None = None, page: str = "") -> AppTest:
    """The app after its first run on ``page`` (url path; '' is the search page), with URL ``params``."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(params or {})
    at.run()
    if page:
        goto(at, page)
    assert not at.exception, [e.value for e in at.exception]
    return at


def goto(at: AppTest, url_path: str) -> AppTest:
    """Open a page of the app's st.navigation, as clicking it in the top bar does.

    AppTest.switch_page only knows file pages, so the page is requested by its script hash (AppTest's
    own bookkeeping); afterwards the test stays wherever the app itself navigates to.
    """
    at._page_hash = next(h for h, info in at._registered_pages.items() if info.get("url_pathname") == url_path)
    at.run()
    at._page_hash = ""
    return at


def pages(at: AppTest) -> dict[str, str]:
    return {info["url_pathname"]: info["page_name"] for info in at._registered_pages.values()}


def keys(at: AppTest, prefix: str) -> list[str]:
    return [b.key.removeprefix(prefix) for b in at.button if b.key and b.key.startswith(prefix)]


def texts(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown) + "\n".join(c.value for c in at.caption)


# -- navigation -----------------------------------------------------------------------------------------


def test_pages_are_named_in_both_languages_and_admin_is_absent(searcher: Searcher) -> None:
    at = run()
    assert pages(at) == {"": "检索", "quotes": "发言", "bulletins": "简报", "coverage": "报道趋势"}
    at.sidebar.radio(key="ui").set_value("en").run()
    assert pages(at) == {"": "Search", "quotes": "Quotes", "bulletins": "Bulletins", "coverage": "Coverage"}
    with pytest.raises(StopIteration):
        goto(at, "admin")


def test_view_survives_a_round_trip_through_other_pages(searcher: Searcher) -> None:
    at = run({"q": "海洋", "kind": "quote", "ui": "en"})
    for page in ("quotes", "bulletins", "coverage"):
        goto(at, page)
        assert not at.exception, [e.value for e in at.exception]
    goto(at, "")
    assert at.text_input(key="q").value == "海洋" and at.multiselect(key="f_kinds").value == ["quote"]
    assert at.title[0].value == "Bulletin Archive" and at.query_params["q"] == "海洋"


# -- quotes ---------------------------------------------------------------------------------------------


def test_quotes_page_lists_every_quote_with_speaker_bulletin_parent_and_citation(searcher: Searcher) -> None:
    at = run(page="quotes")
    quotes = [it for it in searcher.engine.table.items if it.kind == "quote"]
    assert at.main.markdown[0].value == f"共 {len(quotes)} 条发言"
    assert keys(at, "qopen-") == [q.id for q in quotes[:10]]
    first = quotes[0]
    assert f"**{first.speaker}** · " in texts(at)
    assert first.speaker in at.code[0].value and "，见《" in at.code[0].value, "the citation names the news item"
    assert keys(at, "qparent-")[0] == first.id
    assert at.radio(key="qmode").value == "semantic", "quotes are found by theme by default"


def test_quotes_by_theme_semantic_then_keyword(searcher: Searcher) -> None:
    at = run(page="quotes")
    at.text_input(key="qq").input("ocean governance").run()
    expected = searcher.search("ocean governance", "semantic", QUOTES, k=10)
    assert keys(at, "qopen-") == [h.item.id for h in expected.hits] and expected.hits
    assert at.main.markdown[0].value.startswith(f"共 {expected.total} 条与“ocean governance”相关的发言")
    assert at.query_params["qq"] == "ocean governance" and "qmode" not in at.query_params
    at.radio(key="qmode").set_value("keyword").run()
    keyword = searcher.search("ocean governance", "keyword", QUOTES, k=10)
    assert keys(at, "qopen-") == [h.item.id for h in keyword.hits]
    assert at.query_params["qmode"] == "keyword"


def test_speakers_list_counts_and_picks_a_speaker(searcher: Searcher) -> None:
    at = run(page="quotes")
    listed = searcher.speakers()
    pills = at.button_group(key="speaker_pick")
    assert pills.options == [f"{s.speaker} · {s.quotes}" for s in listed]
    name = listed[0].speaker
    pills.set_value(name).run()
    assert at.query_params["speaker"] == name
    assert keys(at, "qopen-") and all(searcher.item(i).speaker == name for i in keys(at, "qopen-"))
    at.button_group(key="speaker_pick").set_value(None).run()
    assert "speaker" not in at.query_params


@pytest.mark.parametrize(("params", "check"), [
    ({"org": "世界资源研究所"}, lambda it: "世界资源研究所" in it.speaker_title),
    ({"bulletin": "brigc-2019-11"}, lambda it: it.bulletin_id == "brigc-2019-11"),
    ({"since": "2019-10-01", "until": "2019-10-31"}, lambda it: it.date.startswith("2019-10")),
], ids=["org", "bulletin", "dates"])
def test_quote_filters(searcher: Searcher, params: dict, check) -> None:
    at = run(params, page="quotes")
    expected = [it.id for it in searcher.engine.table.items if it.kind == "quote" and check(it)]
    assert expected and keys(at, "qopen-") == expected[:10]
    assert at.main.markdown[0].value.startswith(f"共 {len(expected)} 条发言 · 筛选：")


def test_a_quote_links_to_its_news_item_in_the_item_view(searcher: Searcher) -> None:
    at = run(page="quotes")
    quote = searcher.item(keys(at, "qparent-")[0])
    at.button(key=f"qparent-{quote.id}").click().run()
    assert at.query_params["item"] == quote.parent_id
    assert at.subheader[0].value.replace("\\", "") == searcher.item(quote.parent_id).title
    assert f"quote-{quote.id}" in {b.key for b in at.button}, "the news item lists the quote"


def test_quotes_export_holds_all_quotes_with_news_item_and_citation(searcher: Searcher, deferred: dict) -> None:
    run({"qq": "海洋"}, page="quotes")
    expected = searcher.search("海洋", "semantic", QUOTES, k=1000)
    table = list(csv.DictReader(io.StringIO(deferred["bulletin-quotes.csv"]().decode("utf-8-sig"))))
    assert [r["id"] for r in table] == [h.item.id for h in expected.hits] and len(table) == expected.total
    assert all(r["kind"] == "quote" and r["speaker"] and r["speaker"] in r["citation"] for r in table)
    assert all(r["parent_title"] == searcher.item(r["parent_id"]).title for r in table if r["parent_id"])
    doc = json.loads(deferred["bulletin-quotes.json"]())
    assert doc["query"] == "海洋" and doc["mode"] == "semantic" and doc["filters"]["kinds"] == ["quote"]
    assert [h["id"] for h in doc["hits"]] == [r["id"] for r in table]


def test_quotes_page_number_is_in_the_url_and_a_stale_one_is_clamped(searcher: Searcher) -> None:
    at = run({"qpage": "7"}, page="quotes")
    quotes = [it.id for it in searcher.engine.table.items if it.kind == "quote"]
    last = (len(quotes) - 1) // 10
    assert keys(at, "qopen-") == quotes[last * 10:last * 10 + 10]
    assert at.query_params.get("qpage", "1") == str(last + 1)
    at.text_input(key="qq").input("海洋").run()
    assert "qpage" not in at.query_params


# -- bulletins ------------------------------------------------------------------------------------------


def test_bulletins_page_lists_every_bulletin_newest_first_with_counts(searcher: Searcher) -> None:
    at = run(page="bulletins")
    summaries = searcher.bulletins()
    assert keys(at, "read-") == [s.bulletin.id for s in summaries] == [
        "harbour-weekly-2020-01", "harbour-weekly-2019-12", "brigc-2019-11"]
    shown = texts(at)
    sample = next(s for s in summaries if s.bulletin.id == "brigc-2019-11")
    assert "2019\\-11\\-16" in shown and f"{sample.items} 个条目" in shown
    assert all(f"{section} {n}" in shown for section, n in sample.by_section.items())
    assert f":violet-badge[发言] {sample.by_kind['quote']}" in shown


def test_open_a_bulletin_read_it_in_order_by_section_and_open_an_item(searcher: Searcher) -> None:
    at = run(page="bulletins")
    at.button(key="read-brigc-2019-11").click().run()
    assert at.query_params["read"] == "brigc-2019-11"
    items = searcher.bulletin_items("brigc-2019-11")
    assert keys(at, "bitem-") == [it.id for it in items]
    sections = [s.value for s in at.main.subheader[1:]]
    assert sections == [section or "（无栏目）" for section, _ in itertools.groupby(it.section for it in items)]
    at.button(key=f"bitem-{items[3].id}").click().run()
    assert at.query_params["item"] == items[3].id and at.code[0].value, "the item view, with its citation"
    at.button(key="read-bulletin").click().run()  # and from the item view back to its bulletin
    assert keys(at, "bitem-") == [it.id for it in items]
    at.button(key="bulletins-back").click().run()
    assert "read" not in at.query_params and len(keys(at, "read-")) == 3


def test_a_shared_link_opens_the_bulletin_and_unknown_ones_say_so(searcher: Searcher) -> None:
    at = run({"read": "harbour-weekly-2019-12", "ui": "en"}, page="bulletins")
    assert keys(at, "bitem-") == ["en-ports-green-corridor", "en-markup-probe"]
    assert "<" not in texts(at).replace("<mark>", "").replace("</mark>", "")
    at = run({"read": "no-such-bulletin"}, page="bulletins")
    assert at.warning[0].value.startswith("找不到简报 no\\-such\\-bulletin")


# -- coverage -------------------------------------------------------------------------------------------


def charts(at: AppTest) -> list:
    return list(at.main.get("vega_lite_chart"))


def chart_rows(chart) -> list[dict]:
    """The data rows of an Altair chart element (the Arrow-encoded datasets of its Vega-Lite spec)."""
    return [row for ds in chart.proto.datasets for row in pa.ipc.open_stream(ds.data.data).read_all().to_pylist()]


def test_coverage_charts_for_the_archive_and_the_current_query(searcher: Searcher) -> None:
    at = run(page="coverage")
    assert len(charts(at)) == 1, "no query, no filters: the whole archive only"
    rows = chart_rows(charts(at)[0])
    assert sum(r["count"] for r in rows) == sum(p.count for p in searcher.coverage())
    at.text_input(key="q").input("海洋").run()
    assert len(charts(at)) == 2 and at.query_params["q"] == "海洋"
    query_rows = chart_rows(charts(at)[1])
    expected = searcher.coverage("海洋", "hybrid")
    assert sorted((r["month"], r["group"], r["count"]) for r in query_rows) == sorted(
        (p.month, p.group, p.count) for p in expected)
    at.segmented_control(key="by").set_value("kind").run()
    assert at.query_params["by"] == "kind"
    kinds = {r["group"] for r in chart_rows(charts(at)[1])}
    assert kinds <= {"新闻", "发言", "活动", "报告", "简介"}, "kinds shown in the interface language"


def test_picking_a_period_filters_the_results_and_the_url(searcher: Searcher) -> None:
    at = run(page="coverage")
    at.select_slider[0].set_range("2019-11", "2019-11").run()
    assert (at.query_params["since"], at.query_params["until"]) == ("2019-11-01", "2019-11-30")
    in_period = [it for it in searcher.engine.table.items if it.date and it.date[:7] <= "2019-11" <= (it.date_end
                                                                                                or it.date)[:7]]
    assert f"共 {len(in_period)} 条" in texts(at)
    assert set(keys(at, "cov-")) <= {it.id for it in in_period}
    assert len(charts(at)) == 1 and at.select_slider[0].value == ("2019-11", "2019-11")
    at.button(key="period-all").click().run()
    assert "since" not in at.query_params and "until" not in at.query_params


def test_coverage_top_values_follow_the_query(searcher: Searcher) -> None:
    at = run({"q": "海洋"}, page="coverage")
    shown = texts(at)
    for attr in ("source", "speaker", "place"):
        for value, n in searcher.top_values(attr, "海洋", "hybrid", n=3):
            assert f"{value} ({n})" in shown.replace("\\", "")


def test_a_chart_click_becomes_a_period() -> None:
    state = {"selection": {"period": [{"month": "2019-12"}, {"month": "2019-10"}]}}
    assert periods.period(periods.selected_months(state, "period")) == ("2019-10-01", "2019-12-31")
