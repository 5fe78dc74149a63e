"""Query translation: sense selection by the archive, phrases first, names, weights (tiny inline corpus)."""

from __future__ import annotations

import numpy as np

from index.crosslingual.dictionary import clean_gloss, english_key, parse_cedict
from index.crosslingual.translate import TRANSLATED_BOOST, Translator
from index.keyword.glossary import Glossary

CEDICT = """\
中國 中国 [Zhong1 guo2] /China/
瓷器 瓷器 [ci2 qi4] /china; porcelain/
綠色 绿色 [lu:4 se4] /green/
綠 绿 [lu:4] /green/
青 青 [qing1] /green; blue/
航運 航运 [hang2 yun4] /shipping; transport/
海運 海运 [hai3 yun4] /shipping by sea/
船舶 船舶 [chuan2 bo2] /shipping; boat/
銀行 银行 [yin2 hang2] /bank/
河岸 河岸 [he2 an4] /bank (of a river)/
紅樹林 红树林 [hong2 shu4 lin2] /mangrove/
會見 会见 [hui4 jian4] /to meet with/
王 王 [Wang2] /surname Wang/king/
""".splitlines()

DOCS = ["中国推动绿色航运发展", "银行业支持中国企业", "瓷器展览", "河岸整治与银行贷款", "船舶燃料标准",
        "Mangroves protect coasts", "中国与东盟合作"]


class FakeCorpus:
    """Rows whose text contains a term (lowercase for English)."""

    def rows_with(self, text: str) -> np.ndarray:
        return np.array([i for i, d in enumerate(DOCS) if text.lower() in d.lower()], dtype=np.int64)

    def doc_count(self) -> int:
        return len(DOCS)


def translator(glossary: Glossary | None = None, names: Glossary | None = None) -> Translator:
    return Translator(FakeCorpus(), glossary or Glossary(), names or Glossary(), parse_cedict(CEDICT))


def forms_of(query: str, **kwargs: Glossary) -> list[list[str]]:
    result = translator(**kwargs).translate(query)
    return [["".join(tokens) for tokens, _ in r.forms] for r in result.renderings]


def test_gloss_cleaning_and_keys() -> None:
    assert clean_gloss("to meet with") == "meet with"
    assert clean_gloss("surname Wang") == ""
    assert clean_gloss("bank (of a river)") == "bank"
    assert english_key("Carbon Capture policies") == "carbon capture policy"


def test_capitalised_word_is_a_name_first() -> None:
    assert forms_of("China") == [["中国"]]
    assert "瓷器" in forms_of("china")[0]


def test_only_renderings_found_in_the_archive() -> None:
    assert translator().translate("mangrove").renderings == ()  # 红树林 is in no item; "mangrove" itself is


def test_phrase_before_words() -> None:
    """green + shipping occur joined in the archive: one span rendered 绿色航运, not 绿色 AND 航运."""
    result = translator().translate("green shipping")
    assert [(r.start, r.end) for r in result.renderings] == [(0, 2)]
    assert forms_of("green shipping")[0][0] == "绿色航运"


def test_sense_chosen_by_co_occurrence() -> None:
    """'bank' beside 'China': 银行 (co-occurs with 中国), not 河岸."""
    assert forms_of("China bank")[1][0] == "银行"


def test_translated_terms_weigh_below_originals_and_glossary_wins() -> None:
    result = translator().translate("green shipping")
    assert all(0 < boost <= TRANSLATED_BOOST for r in result.renderings for _, boost in r.forms)
    glossary = Glossary((("绿色航运", "green shipping"),))
    assert translator(glossary=glossary).translate("green shipping").renderings == ()


def test_names_table_and_unmatched_words() -> None:
    names = Glossary((("索尔海姆", "Solheim"),))
    result = translator(names=names).translate("Solheim zzyzx")
    assert result.name_share > 0
    assert [r.drop for r in result.renderings] == [True]  # a word found nowhere is not required


def test_chinese_query_gets_english_renderings() -> None:
    assert forms_of("红树林") == [["mangrove"]]


def test_romanise_chinese_names() -> None:
    assert parse_cedict(CEDICT).romanise("王青") == "Wang Qing"
    assert parse_cedict(CEDICT).romanise("船舶") == ""
