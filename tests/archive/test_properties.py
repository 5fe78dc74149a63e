"""Property tests: the parser never raises on any text and never invents text."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import archive
from archive.layout.dates import find_dates
from archive.layout.parse import parse_text
from tests.paths import SAMPLE

SAMPLE_LINES = SAMPLE.read_text(encoding="utf-8").splitlines()
TOKENS = [
    "", " ", "  ", "——", "— ", "（来源：", "新华网）", "(Source: ", "Xinhua)", "会议时间：", "会议地点：", "Date: ",
    "Venue: ", "2019年11月6日，", "12 月 2-3 日", "6 November 2019", "1. ", "一、", "（一）", "# ", "## ", "### ",
    "联盟动态联盟动态", "观点与动态", "Upcoming Events", "更多信息，欢迎点击", "\ufffd", "发起成立", "inter-", "---",
    "。", ".", "”", "（", "）", "\t", "\u3000", "\x00", "\u2028",
]
LINE = st.one_of(
    st.sampled_from(SAMPLE_LINES),
    st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=12)), max_size=6).map("".join),
)
DOCUMENT = st.one_of(st.text(), st.lists(LINE, max_size=40).map("\n".join))
_INVISIBLE = re.compile(r"[\s\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd\ufeff\u200b-]+")


def _squash(text: str) -> str:
    """Text modulo whitespace, removed artefacts and hyphens (words are re-joined at hyphenated line breaks)."""
    return _INVISIBLE.sub("", text.replace("\u00a0", " "))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENT)
def test_parser_never_raises_and_never_invents_text(text: str) -> None:
    parsed = parse_text(text, "prop")
    source = _squash(text)
    for position, item in enumerate(parsed.items):
        assert item.position == position and item.title and item.text.strip()
        for paragraph in item.text.split("\n\n"):
            assert _squash(paragraph) in source, paragraph
        for field in (item.date, item.date_end):
            assert field == "" or re.fullmatch(r"\d{4}-\d{2}-\d{2}", field)
    assert len({it.id for it in parsed.items}) == len(parsed.items)


@settings(max_examples=50, deadline=None)
@given(DOCUMENT)
def test_parsing_is_deterministic(text: str) -> None:
    assert parse_text(text, "prop") == parse_text(text, "prop")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_date_finder_never_raises(text: str) -> None:
    for span in find_dates(text, default_year=2019):
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", span.start)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400), suffix=st.sampled_from(archive.SUPPORTED_SUFFIXES))
def test_read_raises_only_archive_errors(tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str) -> None:
    path = tmp_path_factory.mktemp("bytes") / f"any{suffix}"
    path.write_bytes(data)
    try:
        parsed = archive.read(path)
    except archive.ArchiveError as exc:
        assert exc.path == str(path) and exc.reason
    else:
        assert all(it.title and it.text for it in parsed.items)
