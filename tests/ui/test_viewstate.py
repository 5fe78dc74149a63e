"""The app's view <-> URL query parameters: round trips, short links, junk never breaks the page."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.interface.filters import Filters
from ui.viewstate import (
    MAX_PAGE,
    MAX_QUERY,
    ViewState,
    first_day,
    from_params,
    last_day,
    to_params,
)

STATES = [
    ViewState(),
    ViewState(query="海洋治理"),
    ViewState(query="green shipping", mode="semantic", page=3, lang="en"),
    ViewState(query="一带一路", mode="keyword", item="brigc-2019-11-2b86d338"),
    ViewState(filters=Filters(sections=("观点与动态", "联盟动态"), kinds=("quote",), speakers=("王菊英",),
                              sources=("新华网",), bulletins=("brigc-2019-11",), langs=("zh", "en"),
                              since="2019-10", until="2019-11-30")),
    ViewState(query="a&b=c?d#e", filters=Filters(since="2019")),
    ViewState(query="海洋", filters=Filters(kinds=("quote",), org="世界资源研究所")),
    ViewState(quote_query="ocean governance", quote_mode="keyword", quote_page=2),
    ViewState(query="海洋", reading="brigc-2019-11", coverage_by="kind", filters=Filters(since="2019-11-01")),
]


@pytest.mark.parametrize("state", STATES)
def test_round_trip(state: ViewState) -> None:
    assert from_params(to_params(state)) == state


def test_defaults_make_an_empty_query_string() -> None:
    assert to_params(ViewState()) == {}


def test_params_use_short_names_and_lists_for_multi_valued_filters() -> None:
    state = ViewState(query="海洋", mode="keyword", page=2, item="x1", lang="en",
                      filters=Filters(sections=("观点与动态",), langs=("en",), since="2019-10"))
    assert to_params(state) == {"q": "海洋", "mode": "keyword", "section": ["观点与动态"], "lang": ["en"],
                                "since": "2019-10", "page": "2", "item": "x1", "ui": "en"}


def test_other_pages_selections_have_short_params_and_defaults_are_left_out() -> None:
    state = ViewState(quote_query="海洋治理", quote_mode="hybrid", quote_page=3, reading="b1", coverage_by="kind")
    assert to_params(state) == {"qq": "海洋治理", "qmode": "hybrid", "qpage": "3", "read": "b1", "by": "kind"}
    assert to_params(ViewState(quote_mode="semantic", coverage_by="section")) == {}


def test_repeated_params_and_single_strings_are_both_read() -> None:
    state = from_params({"section": ["观点与动态", "联盟动态"], "kind": "quote"})
    assert state.filters.sections == ("观点与动态", "联盟动态")
    assert state.filters.kinds == ("quote",)


JUNK = [
    ({"mode": "fuzzy"}, "mode", "hybrid"),
    ({"mode": "KEYWORD"}, "mode", "keyword"),
    ({"page": "abc"}, "page", 1),
    ({"page": "-3"}, "page", 1),
    ({"page": "0"}, "page", 1),
    ({"page": "²"}, "page", 1),
    ({"page": "1e9"}, "page", 1),
    ({"page": "99999999999999999999"}, "page", MAX_PAGE),
    ({"ui": "fr"}, "lang", "zh"),
    ({"ui": "EN"}, "lang", "en"),
    ({"item": "<script>alert(1)</script>"}, "item", ""),
    ({"item": ""}, "item", ""),
    ({"item": "report 2019/11 第3条"}, "item", "report 2019/11 第3条"),
    ({"item": "x" * 201}, "item", ""),
    ({"q": ["first", "second"]}, "query", "first"),
    ({"q": "  padded  "}, "query", "padded"),
    ({"q": "x" * (MAX_QUERY + 50)}, "query", "x" * MAX_QUERY),
    ({"q": 42}, "query", ""),
    ({"qmode": "fuzzy"}, "quote_mode", "semantic"),
    ({"qmode": "Keyword"}, "quote_mode", "keyword"),
    ({"qpage": "x"}, "quote_page", 1),
    ({"read": "<b>"}, "reading", ""),
    ({"read": "harbour weekly 2019/12"}, "reading", "harbour weekly 2019/12"),
    ({"by": "colour"}, "coverage_by", "section"),
    ({"by": "KIND"}, "coverage_by", "kind"),
    ({"qq": " 海洋 "}, "quote_query", "海洋"),
]


@pytest.mark.parametrize(("params", "attr", "expected"), JUNK)
def test_junk_values_fall_back_to_defaults(params: dict, attr: str, expected: object) -> None:
    assert getattr(from_params(params), attr) == expected


@pytest.mark.parametrize("value", ["2019-13", "2019-02-30", "0000", "19-11", "2019/11/01", "yesterday", "2019-1"])
def test_bad_dates_are_dropped(value: str) -> None:
    state = from_params({"since": value, "until": value})
    assert (state.filters.since, state.filters.until) == ("", "")


@pytest.mark.parametrize("value", ["2019", "2019-11", "2019-11-05", "2020-02-29"])
def test_good_dates_are_kept(value: str) -> None:
    assert from_params({"since": value}).filters.since == value


def test_filter_values_are_trimmed_deduplicated_and_blank_ones_dropped() -> None:
    state = from_params({"speaker": [" 王菊英 ", "王菊英", "", "   ", "x" * 500]})
    assert state.filters.speakers == ("王菊英",)


@pytest.mark.parametrize(("value", "first", "last"), [
    ("2019", date(2019, 1, 1), date(2019, 12, 31)),
    ("2019-11", date(2019, 11, 1), date(2019, 11, 30)),
    ("2020-02", date(2020, 2, 1), date(2020, 2, 29)),
    ("2019-11-05", date(2019, 11, 5), date(2019, 11, 5)),
    ("2019-02-30", None, None),
    ("", None, None),
])
def test_partial_dates_cover_their_period(value: str, first: date | None, last: date | None) -> None:
    assert (first_day(value), last_day(value)) == (first, last)


_text = st.text(max_size=30)
_params = st.dictionaries(
    st.sampled_from(["q", "mode", "section", "kind", "bulletin", "speaker", "source", "lang", "since", "until",
                     "org", "page", "item", "ui", "qq", "qmode", "qpage", "read", "by", "other"]),
    st.one_of(_text, st.lists(_text, max_size=4), st.integers(), st.none()),
)


@given(_params)
def test_any_params_give_a_valid_view_that_survives_a_round_trip(params: dict) -> None:
    state = from_params(params)
    assert state.mode in ("hybrid", "keyword", "semantic")
    assert state.lang in ("zh", "en")
    assert 1 <= state.page <= MAX_PAGE and 1 <= state.quote_page <= MAX_PAGE
    assert state.quote_mode in ("hybrid", "keyword", "semantic") and state.coverage_by in ("section", "kind")
    assert from_params(to_params(state)) == state
