"""Months and periods for the coverage view: spans, periods as date filters, chart selections."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ui import periods


@pytest.mark.parametrize(("first", "last", "expected"), [
    ("2019-11", "2020-01", ["2019-11", "2019-12", "2020-01"]),
    ("2019-11", "2019-11", ["2019-11"]),
    ("2020-01", "2019-11", []),
    ("2019-13", "2020-01", []),
    ("", "2020-01", []),
    ("２０１９-11", "2020-01", []),  # full-width digits are not a month
])
def test_months_between(first: str, last: str, expected: list[str]) -> None:
    assert periods.months_between(first, last) == expected


def test_span_fills_quiet_months_and_ignores_junk() -> None:
    assert periods.span(["2020-02", "2019-12", "junk", "2019-12"]) == ["2019-12", "2020-01", "2020-02"]
    assert periods.span([]) == []


@pytest.mark.parametrize(("months", "expected"), [
    (["2019-11"], ("2019-11-01", "2019-11-30")),
    (["2020-02", "2019-12"], ("2019-12-01", "2020-02-29")),
    ([], ("", "")),
    (["not a month"], ("", "")),
])
def test_period_covers_whole_months(months: list[str], expected: tuple[str, str]) -> None:
    assert periods.period(months) == expected


def test_months_of_period() -> None:
    months = ["2019-10", "2019-11", "2019-12"]
    assert periods.months_of_period("2019-11-01", "2019-11-30", months) == ["2019-11"]
    assert periods.months_of_period("2019-11", "", months) == ["2019-11", "2019-12"]
    assert periods.months_of_period("", "", months) == months
    assert periods.months_of_period("2021-01-01", "", months) == []


@pytest.mark.parametrize(("selection", "expected"), [
    ({"selection": {"period": [{"month": "2019-12"}, {"month": "2019-10", "group": "x"}]}}, ["2019-10", "2019-12"]),
    ({"selection": {"period": {"month": ["2019-10", "2019-12"]}}}, ["2019-10", "2019-11", "2019-12"]),
    ({"selection": {"period": []}}, []),
    ({"selection": {"other": [{"month": "2019-10"}]}}, []),
    ({"selection": {"period": [{"month": "<b>"}, "junk", {"month": 7}]}}, []),
    (None, []),
    ("junk", []),
])
def test_selected_months_from_a_chart_selection(selection: object, expected: list[str]) -> None:
    assert periods.selected_months(selection, "period") == expected


@given(st.lists(st.from_regex(r"(19|20)[0-9][0-9]-(0[1-9]|1[0-2])", fullmatch=True), max_size=6))
def test_a_period_contains_every_chosen_month(months: list[str]) -> None:
    since, until = periods.period(months)
    assert all(since <= f"{m}-01" and f"{m}-28" <= until for m in months)
    assert periods.months_of_period(since, until, periods.span(months)) == periods.span(months)
