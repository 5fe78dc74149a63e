"""Filters: one meaning (Filters.matches) and its vectorised mask agree; table-driven cases."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive.model import Item
from index.interface.filters import Filters
from index.store.table import ItemTable

ITEMS = [
    Item(id="n1", bulletin_id="b1", kind="news", title="t", text="x", section="绿色丝路新闻", date="2019-11-06",
         source="新华网", lang="zh"),
    Item(id="q1", bulletin_id="b1", kind="quote", title="t", text="x", section="观点与动态", date="2019-10-23",
         speaker="索尔海姆", speaker_title="国合会副主席、世界资源研究所高级顾问", lang="zh"),
    Item(id="e1", bulletin_id="b2", kind="event", title="t", text="x", section="活动预告", date="2019-12-02",
         date_end="2019-12-03", lang="zh"),
    Item(id="a1", bulletin_id="b2", kind="about", title="t", text="x", lang="en"),
]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), {"n1", "q1", "e1", "a1"}),
        (Filters(sections=("观点与动态",)), {"q1"}),
        (Filters(kinds=("news", "event")), {"n1", "e1"}),
        (Filters(bulletins=("b2",)), {"e1", "a1"}),
        (Filters(speakers=("索尔海姆",)), {"q1"}),
        (Filters(sources=("新华网",)), {"n1"}),
        (Filters(langs=("en",)), {"a1"}),
        (Filters(since="2019-11-01"), {"n1", "e1"}),
        (Filters(since="2019-12-03"), {"e1"}),  # event span 12-02..12-03 overlaps
        (Filters(until="2019-10"), {"q1"}),  # a month covers its whole period
        (Filters(since="2019-11", until="2019-11"), {"n1"}),
        (Filters(until="2019-12-02"), {"n1", "q1", "e1"}),
        (Filters(kinds=("quote",), since="2019-11-01"), set()),
        (Filters(org="世界资源研究所"), {"q1"}),
        (Filters(org="亚洲开发银行"), set()),
    ],
)
def test_filter_cases(filters: Filters, expected: set[str]) -> None:
    table = ItemTable(ITEMS)
    assert {i.id for i in ITEMS if filters.matches(i)} == expected
    assert set(table.ids[table.mask(filters)].tolist()) == expected


values = {
    "sections": st.sampled_from(["绿色丝路新闻", "观点与动态", "活动预告", "x"]),
    "kinds": st.sampled_from(["news", "quote", "event", "about"]),
    "bulletins": st.sampled_from(["b1", "b2", "b3"]),
    "speakers": st.sampled_from(["索尔海姆", "", "x"]),
    "sources": st.sampled_from(["新华网", ""]),
    "langs": st.sampled_from(["zh", "en", "mixed"]),
}
dates = st.sampled_from(["", "2019", "2019-10", "2019-11", "2019-11-06", "2019-12-02", "2020-01-01"])
filters_st = st.builds(
    Filters, **{k: st.lists(v, max_size=2).map(tuple) for k, v in values.items()}, since=dates, until=dates,
    org=st.sampled_from(["", "世界资源研究所", "国合会", "x"]),
)


@given(filters_st)
def test_mask_equals_matches(filters: Filters) -> None:
    table = ItemTable(ITEMS)
    assert table.mask(filters).tolist() == [filters.matches(i) for i in ITEMS]


@given(filters_st, st.sampled_from([*values, "since", "until", "org"]))
def test_adding_a_filter_never_adds_items(filters: Filters, name: str) -> None:
    looser = filters.without(name)
    assert {i.id for i in ITEMS if filters.matches(i)} <= {i.id for i in ITEMS if looser.matches(i)}


def test_describe_human_form() -> None:
    f = Filters(sections=("观点与动态",), since="2019-10")
    assert f.describe("en") == "in 观点与动态 · since 2019-10"
    assert f.describe("zh") == "栏目 观点与动态 · 起 2019-10"
    assert Filters().is_empty() and not f.is_empty()
