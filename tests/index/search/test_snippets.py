"""Snippets: best fragments, <mark> around matches, HTML-escaped, Chinese-aware bounds."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from index.search.snippets import find_spans, highlight

QUOTE = ("纵观历史，丝绸之路和海上丝绸之路的发展都是和平的信号，“一带一路”倡议也是和平的信号。"
         "对于海上丝绸之路的绿色化，要构建务实的伙伴关系，包括各国之间、公共部门和私营部门之间的伙伴关系。"
         "在工作的优先领域上，建议关注绿色港口、绿色航\n运、循环经济和海洋生物多样性保护。")


def test_marks_the_matched_term_in_the_best_sentence() -> None:
    out = highlight(QUOTE, ["绿色航运"], max_chars=60, fragments=1)
    assert "<mark>绿色航运</mark>" in out  # the line break inside the word is joined for display
    assert out.startswith("…") and "纵观历史" not in out


def test_fragments_prefer_sentences_with_more_distinct_terms() -> None:
    out = highlight(QUOTE, ["伙伴关系", "绿色港口", "循环经济"], max_chars=200, fragments=1)
    assert "<mark>绿色港口</mark>" in out and "<mark>循环经济</mark>" in out


def test_two_fragments_are_joined_with_an_ellipsis() -> None:
    out = highlight(QUOTE, ["和平", "循环经济"], max_chars=120, fragments=2)
    assert "<mark>和平</mark>" in out and "<mark>循环经济</mark>" in out
    assert out.count("…") >= 1


def test_matching_is_normalisation_aware() -> None:
    assert "<mark>綠色絲路</mark>" in highlight("推動綠色絲路建設。", ["绿色丝路"])
    assert "<mark>Ocean</mark>" in highlight("Ocean governance matters.", ["ocean"])
    assert highlight("“一带一路”绿色发展", ["一带一路绿色"]) == "“<mark>一带一路”绿色</mark>发展"


def test_english_terms_match_whole_words_only() -> None:
    out = highlight("Marine research at sea.", ["sea"])
    assert out == "Marine research at <mark>sea</mark>."


def test_text_is_escaped_and_only_mark_tags_remain() -> None:
    out = highlight('<script>alert("x")</script> & 海洋 <b>bold</b>', ["海洋", "script"])
    assert "<script>" not in out and "&lt;" in out and "&amp;" in out
    assert "<mark>海洋</mark>" in out


def test_no_terms_or_no_match_gives_the_beginning() -> None:
    out = highlight(QUOTE, [], max_chars=30)
    assert out.startswith("纵观历史") and out.endswith("…") and "<mark>" not in out
    assert highlight("", ["海洋"]) == "" and highlight(QUOTE, ["x"], max_chars=0) == ""


def test_long_text_is_bounded() -> None:
    text = "海洋" + "很长的句子没有标点" * 100
    out = highlight(text, ["海洋"], max_chars=50)
    assert len(re.sub(r"</?mark>", "", out)) <= 52


def test_find_spans_merges_overlaps() -> None:
    spans = find_spans("绿色航运发展", ["绿色航运", "航运", "绿色"])
    assert [(s.start, s.end) for s in spans] == [(0, 4)]


_TEXT = st.text(st.sampled_from(list("海洋绿色<>&\"'mark/ 。！？；\n綠ab")), max_size=80) | st.text(max_size=80)


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.lists(st.text(max_size=6), max_size=4), st.integers(1, 200), st.integers(1, 3))
def test_output_never_contains_unescaped_markup(text: str, terms: list[str], width: int, count: int) -> None:
    out = highlight(text, terms, max_chars=width, fragments=count)
    stripped = out.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in stripped and ">" not in stripped
    assert out.count("<mark>") == out.count("</mark>")
