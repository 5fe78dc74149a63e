"""Ready-to-copy citations: every part present when known, nothing invented when not."""

from __future__ import annotations

import pytest

from archive.model import Bulletin, Item
from index.interface.citation import cite

BRIGC = Bulletin(id="brigc-2019-11", title="“一带一路”绿色发展国际联盟简报 2019年11月", date="2019-11-16")
HARBOUR = Bulletin(id="hw-48", title="Harbour Weekly", date="2019-12-07", language="en", issue="48")

QUOTE = Item(id="q1", bulletin_id="brigc-2019-11", kind="quote", title="王菊英：构建海洋命运共同体",
             text="……", section="观点与动态", date="2019-10-23", speaker="王菊英", speaker_title="党委书记")
NEWS = Item(id="n1", bulletin_id="brigc-2019-11", kind="news", title="习近平会见马克龙",
            text="……", section="绿色丝路新闻", date="2019-11-06", source="新华网")
EN = Item(id="e1", bulletin_id="hw-48", kind="news", title="Ports sign a green\n shipping pledge",
          text="...", section="Shipping", date="2019-12-05", source="Harbour Desk", lang="en")


def test_chinese_news_citation_has_every_part() -> None:
    assert cite(NEWS, BRIGC) == ("《习近平会见马克龙》，载《“一带一路”绿色发展国际联盟简报 2019年11月》，2019-11-16，"
                                 "“绿色丝路新闻”栏目，来源：新华网。")


def test_chinese_quote_names_the_speaker_and_leaves_out_a_missing_source() -> None:
    text = cite(QUOTE, BRIGC)
    assert text.startswith("王菊英：《构建海洋命运共同体》"), "the speaker is named once"
    assert "“观点与动态”栏目" in text and "2019-11-16" in text
    assert "来源" not in text and "，，" not in text


def test_english_citation_with_issue_and_one_line_title() -> None:
    assert cite(EN, HARBOUR) == ("“Ports sign a green shipping pledge”. In: Harbour Weekly, no. 48, 2019-12-07, "
                                 "section “Shipping”, source: Harbour Desk.")


def test_unknown_bulletin_falls_back_to_its_id_and_the_item_date() -> None:
    text = cite(NEWS, None)
    assert "载《brigc-2019-11》" in text and "2019-11-06" in text and "None" not in text


@pytest.mark.parametrize("item", [QUOTE, NEWS, EN])
def test_citation_is_one_line_ending_with_a_full_stop(item: Item) -> None:
    text = cite(item, BRIGC if item.lang == "zh" else HARBOUR)
    assert "\n" not in text and text[-1] in "。."


def test_untitled_item_is_cited_by_its_opening_words() -> None:
    item = Item(id="x", bulletin_id="hw-48", kind="news", title="", text="Opening words of a story. More.",
                lang="en")
    assert cite(item, HARBOUR).startswith("“Opening words of a story. More.”")


def test_quote_names_the_news_item_it_belongs_to() -> None:
    parent = Item(id="p", bulletin_id="brigc-2019-11", kind="news", title="专题伙伴关系在奥斯陆启动", text="……")
    assert cite(QUOTE, BRIGC, parent).startswith("王菊英：《构建海洋命运共同体》，见《专题伙伴关系在奥斯陆启动》，载《")
    en_quote = Item(id="q", bulletin_id="hw-48", kind="quote", title="Ports matter", text="...", speaker="Ann",
                    lang="en")
    en_parent = Item(id="p2", bulletin_id="hw-48", kind="news", title="Port summit", text="...", lang="en")
    assert cite(en_quote, HARBOUR, en_parent) == "Ann: “Ports matter”, in “Port summit”. In: Harbour Weekly, no. 48, 2019-12-07."
