"""Unit tests of the PDF reader's small modules: furniture, leaders, gutters, line joining, debug view."""

from __future__ import annotations

import pytest

from archive.readers.pdf.flow import Type, flow, is_heading, strip_leader
from archive.readers.pdf.furniture import furniture, is_page_number
from archive.readers.pdf.lines import Line, Page
from archive.readers.pdf.order import Chunk, gutters, page_chunks


def _line(text: str, x0: float = 50, top: float = 100, width: float | None = None, size: float = 10,
          page: int = 1, bold: bool = False) -> Line:
    w = width if width is not None else len(text) * size
    return Line(page, x0, x0 + w, top, top + size, size, bold, text, first_word=size)


@pytest.mark.parametrize("text", ["- 3 -", "— 12 —", "第3页", "第 3 页 共 12 页", "3/12", "3 / 12", "Page 3",
                                  "page 3 of 12", "7"])
def test_page_number_styles(text: str) -> None:
    assert is_page_number(text)


@pytest.mark.parametrize("text", ["2019年11月", "3. Headline", "Page three", "联盟动态"])
def test_not_page_numbers(text: str) -> None:
    assert not is_page_number(text)


def test_repeated_header_and_page_numbers_are_furniture() -> None:
    pages = [
        Page(n, 595, 842, (_line("简报 2019年第3期", top=30, page=n), _line(f"正文第{n}页的内容。", top=300, page=n),
                           _line(f"- {n} -", top=810, page=n)))
        for n in (1, 2, 3)
    ]
    marks = furniture(pages)
    assert {marks[(n, 0)] for n in (1, 2, 3)} == {"header"}
    assert {marks[(n, 2)] for n in (1, 2, 3)} == {"page-number"}
    assert not any(i == 1 for _, i in marks)


def test_a_top_line_seen_once_is_not_furniture() -> None:
    pages = [Page(1, 595, 842, (_line("Green Silk Road Monitor", top=30), _line("Body text.", top=300)))]
    assert furniture(pages) == {}


@pytest.mark.parametrize(("text", "expected"), [
    ("绿色丝路新闻……3", ("绿色丝路新闻", True)),
    ("Green Silk Road News ........ 3", ("Green Silk Road News", True)),
    ("Green Silk Road News . . . . 12", ("Green Silk Road News", True)),
    ("2019年11月3日，会议召开。", ("2019年11月3日，会议召开。", False)),
])
def test_contents_leaders_are_stripped(text: str, expected: tuple[str, bool]) -> None:
    assert strip_leader(text) == expected


def test_two_columns_have_one_gutter() -> None:
    left = [_line("左" * 20, x0=50, top=100 + 15 * i) for i in range(10)]
    right = [_line("右" * 20, x0=280, top=100 + 15 * i) for i in range(10)]
    assert gutters(left + right) == [(251, 280)]
    chunks = page_chunks(Page(1, 595, 842, tuple(sorted(left + right, key=lambda ln: ln.top))), set(), 480)
    assert [c.lines[0].text[0] for c in chunks] == ["左", "右"]


def test_a_boxed_sidebar_is_its_own_chunk_after_the_flow() -> None:
    body = [_line("正" * 20, x0=50, top=100 + 15 * i) for i in range(6)]
    side = [_line("框" * 10, x0=400, top=100 + 15 * i) for i in range(3)]
    page = Page(1, 595, 842, tuple(body + side), boxes=((390, 90, 520, 160),))
    chunks = page_chunks(page, set(), 480)
    assert [c.box for c in chunks] == [False, True]
    assert all(ln.text[0] == "框" for ln in chunks[1].lines)


def _chunk(lines: list[Line], right: float = 250) -> Chunk:
    return Chunk(tuple(lines), 50, right, 0)


BODY = Type(10, False, 4)


def test_wrapped_lines_join_and_gaps_break_paragraphs() -> None:
    lines = [_line("envi" * 5 + "-", width=200, top=100), _line("ronment protection.", width=120, top=114),
             _line("Next paragraph.", width=100, top=140)]
    text, _ = flow([_chunk(lines)], BODY)
    assert text == "envienvienvienvienvironment protection.\n\nNext paragraph.\n"


def test_chinese_joins_without_space_across_a_column_break() -> None:
    a = _chunk([_line("这是一个跨越两栏的段落，前半", width=200, top=700)])
    b = _chunk([_line("段在左栏，后半段在右栏。", top=80)])
    text, _ = flow([a, b], BODY)
    assert text == "这是一个跨越两栏的段落，前半段在左栏，后半段在右栏。\n"


def test_headings_stay_lines_of_their_own() -> None:
    heading = _line("绿色丝路新闻", size=15, top=80)
    assert is_heading(heading, BODY)
    text, decisions = flow([_chunk([heading, _line("正文" * 10, width=200, top=100)], right=200)], BODY)
    assert text.splitlines()[0] == "绿色丝路新闻" and decisions[id(heading)] == "heading"


def test_indented_name_keeps_its_indent() -> None:
    lines = [_line("——联盟咨询委员会委员、某智库总裁", width=200, top=100), _line("王某", x0=210, width=40, top=114)]
    text, _ = flow([_chunk(lines)], BODY)
    assert text == "——联盟咨询委员会委员、某智库总裁\n    王某\n"
