"""The zh/en analyzer: token streams, offsets into the original text, sequential positions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.keyword.analysis import (
    Token,
    analyze,
    bigrams,
    is_cjk,
    normalize,
    normalize_offsets,
    read_dictionary,
    word_texts,
)
from index.keyword.analysis import _fold_plural as fold_plural


def texts(text: str) -> list[str]:
    return [t.text for t in analyze(text)]


def test_quotes_and_punctuation_are_dropped() -> None:
    assert texts("“一带一路”绿色发展国际联盟") == texts("一带一路绿色发展国际联盟")
    assert "一带一路" in texts("“一带一路”")
    assert all(t.isalnum() for t in texts("《开放合作　命运与共》，（来源：新华网）！"))


@pytest.mark.parametrize("word", ["一带一路", "国合会", "绿色丝路", "生态环境部", "联盟", "专题伙伴关系",
                                  "海洋命运共同体", "绿色航运", "绿色金融", "生物多样性", "可持续发展",
                                  "索尔海姆", "奥斯陆"])
def test_domain_words_are_single_tokens(word: str) -> None:
    assert texts(word) == [word]


def test_coalition_name_splits_so_lianmeng_matches() -> None:
    assert texts("绿色发展国际联盟")[-1] == "联盟"


def test_offsets_point_into_the_original() -> None:
    text = "“綠色絲路”與 Oceans，２０３０年"
    tokens = analyze(text)
    assert [t.text for t in tokens] == ["绿色丝路", "与", "ocean", "2030", "年"]
    assert [text[t.start : t.end] for t in tokens] == ["綠色絲路", "與", "Oceans", "２０３０", "年"]


def test_line_breaks_inside_chinese_words_are_joined() -> None:
    text = "建议关注绿色航\n运和赫\n尔格森"
    tokens = analyze(text)
    assert "绿色航运" in [t.text for t in tokens]
    joined = next(t for t in tokens if t.text == "绿色航运")
    assert text[joined.start : joined.end] == "绿色航\n运"


def test_english_words_numbers_and_case() -> None:
    assert texts("DNV GL's Green Shipping, COP15 and 70% in 2.5 years") == [
        "dnv", "gl", "s", "green", "shipping", "cop15", "and", "70", "in", "2.5", "year"]


@pytest.mark.parametrize(("word", "folded"), [("oceans", "ocean"), ("policies", "policy"), ("news", "news"),
                                              ("analysis", "analysis"), ("status", "status"), ("class", "class"),
                                              ("species", "species"), ("partnerships", "partnership")])
def test_light_plural_folding(word: str, folded: str) -> None:
    assert fold_plural(word) == folded


def test_positions_are_list_indices_and_sequential_in_text() -> None:
    tokens = analyze("共建绿色“一带一路”，推动绿色金融。")
    assert all(a.end <= b.start for a, b in zip(tokens, tokens[1:], strict=False))


def test_bigrams_cross_dropped_punctuation_and_keep_words() -> None:
    grams = [t.text for t in bigrams("“一带一路”绿色 ocean 航")]
    assert grams == ["一带", "带一", "一路", "路绿", "绿色", "ocean", "航"]


def test_normalize_and_empty_inputs() -> None:
    assert normalize("綠色ＡＢＣ") == "绿色abc"
    assert analyze("") == [] and bigrams("") == [] and analyze(" ，。!? ") == []
    assert is_cjk("绿色") and not is_cjk("绿x") and not is_cjk("")


def test_normalize_offsets_origin_length() -> None:
    norm, origin = normalize_offsets("ﬁ綠\n色")
    assert norm == "fi绿色" and origin == [0, 0, 1, 3]


def test_domain_dictionary_has_the_required_words() -> None:
    from index.keyword.analysis import DOMAIN_DICTIONARY, ENV_VOCABULARY

    words = {w for w, _ in read_dictionary(DOMAIN_DICTIONARY)}
    assert {"一带一路", "国合会", "绿色丝路", "生态环境部", "海洋命运共同体", "绿色航运"} <= words
    assert (ENV_VOCABULARY.parent / (ENV_VOCABULARY.name + ".SOURCE")).exists()


_ALPHABET = st.sampled_from(list("绿色綠絲路丝一带路联盟國合会航运海洋与與abcXYZ019 ，。“”\n\t-'.%ＡＢ１ﬁİ《》（）"))


@settings(max_examples=300, deadline=None)
@given(st.text(_ALPHABET, max_size=40) | st.text(max_size=40))
def test_analyze_never_raises_and_offsets_are_faithful(text: str) -> None:
    for token in analyze(text):
        assert isinstance(token, Token)
        assert 0 <= token.start < token.end <= len(text)
        span = "".join(normalize(text[token.start : token.end]).split())
        assert token.text in span or token.text == fold_plural(span)  # ¼ -> 1⁄4 yields "1" and "4"
    for gram in bigrams(text):
        assert 0 <= gram.start < gram.end <= len(text)


_MIXED = st.lists(st.sampled_from(list("绿色发展綠色發展一带一路碳中和 \n\t，。、·‧-_'.%ＡＢＣａｂｃﬁ①İ") +
                                  ["policies", "oceans", "species", "PM2.5", "G20", "3.5", "e-mail"]),
                  max_size=40).map("".join)


@given(_MIXED)
@settings(max_examples=400, deadline=None)
def test_word_texts_are_the_texts_of_analyze_and_bigrams(text):
    words, grams = word_texts(text)
    assert list(words) == [t.text for t in analyze(text)]
    assert list(grams) == [t.text for t in bigrams(text)]


def test_word_texts_on_the_sample_bulletin():
    from tests.paths import ROOT

    for line in (ROOT / "data" / "bulletins" / "brigc-2019-11.txt").read_text(encoding="utf-8").splitlines():
        assert word_texts(line) == (tuple(t.text for t in analyze(line)), tuple(t.text for t in bigrams(line)))


@given(_MIXED)
@settings(max_examples=200, deadline=None)
def test_normalize_is_the_text_of_normalize_offsets(text):
    assert normalize(text) == normalize_offsets(text)[0]
