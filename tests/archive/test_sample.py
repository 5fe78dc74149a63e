"""The sample BRIGC bulletin (November 2019): every item pinned.

The expected table was written by reading ``data/bulletins/brigc-2019-11.txt``: the contents page
lists 5 sections and 13 headlines; the body holds 5 news from elsewhere (绿色丝路新闻), 4 coalition
news (联盟动态), 9 quotes from the Oslo side event (观点与动态, which lists the Oslo headline), 2 event
notices (活动预告), 2 thematic-partnership items (专题工作进展) and the "about" sidebar.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

import archive
from archive.model import Item
from tests.paths import SAMPLE

OSLO = "联盟“海洋命运共同体和海洋环境治理”专题伙伴关系在挪威奥斯陆启动"
CCICED = "中国环境与发展国际合作委员会"
SHENZHEN_MEETING = "联盟合作伙伴年度交流会、咨询委员会会议暨年度专题伙伴关系协调会将于深圳召开"
OCEAN_PARTNER_INTL = "海洋命运共同体和海洋环境治理专题伙伴关系国际召集机构代表、"

# kind, section, title, date, date_end, source, speaker, speaker_title, place
EXPECTED = [
    ("news", "绿色丝路新闻", "习近平会见马克龙：深化中法合作，共建绿色“一带一路”", "2019-11-06", "", "新华网", "", "", ""),
    ("news", "绿色丝路新闻", "习近平出席第二届中国国际进口博览会开幕式并发表主旨演讲，推动共建“一带一路”高质量发展",
     "2019-11-05", "", "新华网", "", "", ""),
    ("news", "绿色丝路新闻", "习近平向首届可持续发展论坛致贺信，推动共建“一带一路”同2030年可持续发展议程深入对接",
     "2019-10-24", "", "新华网", "", "", ""),
    ("news", "绿色丝路新闻", "李克强出席第22次中国－东盟领导人会议，将共建“一带一路”倡议同东盟整体及各国发展战略对接",
     "2019-11-03", "", "新华网", "", "", ""),
    ("news", "绿色丝路新闻", "国合会绿色“一带一路”与2030年可持续发展议程专题政策研究启动会暨热点议题政策对话会在京召开",
     "2019-10-28", "", CCICED, "", "", ""),
    ("news", "联盟动态", OSLO, "2019-10-23", "", "", "", "", ""),
    ("quote", "观点与动态", "赫尔格森：“一带一路”倡议雄心勃勃，绿色“一带一路”建…", "2019-10-23", "", "", "赫尔格森",
     "联盟联合主席、国合会副主席、可持续海洋经济高级别小组挪威特使", ""),
    ("quote", "观点与动态", "索尔海姆：纵观历史，丝绸之路和海上丝绸之路的发展都是和…", "2019-10-23", "", "", "索尔海姆",
     "联盟咨询委员会主任委员、国合会副主席、世界资源研究所高级顾问", ""),
    ("quote", "观点与动态", "兰博蒂尼：海洋支撑着经济发展和文明进程，但面临越来越大…", "2019-10-23", "", "", "兰博蒂尼",
     "国合会委员、联盟联合主席、世界自然基金会总干事", ""),
    ("quote", "观点与动态", "范威斯：“一带一路”倡议旨在通过改善互联互通来促进繁…", "2019-10-23", "", "", "范威斯",
     "亚洲开发银行副行长", ""),
    ("quote", "观点与动态", "王菊英：习近平总书记在2019年4月提出构建海洋命运…", "2019-10-23", "", "", "王菊英",
     "海洋命运共同体和海洋环境治理专题伙伴关系中方召集机构代表、中国国家海洋环境监测中心党委书记", ""),
    ("quote", "观点与动态", "魏恩希：环境是彭博慈善基金会的核心领域之一。", "2019-10-23", "", "", "魏恩希",
     "联盟咨询委员会委员、彭博慈善基金会环境项目主管", ""),
    ("quote", "观点与动态", "施瓦布：联盟海洋专题伙伴关系的建设有助于推动海洋解决…", "2019-10-23", "", "", "施瓦布",
     OCEAN_PARTNER_INTL + "美国环保协会海洋高级副总裁", ""),
    ("quote", "观点与动态", "李永红：感谢大家对绿色“一带一路”建设的积极参与，我…", "2019-10-23", "", "", "李永红",
     "生态环境部对外合作与交流中心副主任", ""),
    ("quote", "观点与动态", "艾瑞民：挪威船级社在过去150多年的历史中一直秉持保…", "2019-10-23", "", "", "艾瑞民",
     OCEAN_PARTNER_INTL + "挪威船级社集团首席执行官兼总裁", ""),
    ("news", "联盟动态", "“海洋在应对气候变化中的角色”高端对话会在京召开", "2019-10-30", "", "美国环保协会", "", "", ""),
    ("news", "联盟动态", "中国生态文明论坛互联互通·“一带一路”国际论坛在湖北十堰召开", "2019-11-16", "", "", "", "", ""),
    ("news", "联盟动态", "“一带一路”绿色发展示范项目企业座谈会在京召开", "2019-10-28", "", "", "", "", ""),
    ("event", "活动预告", SHENZHEN_MEETING, "2019-12-02", "2019-12-03", "", "", "", "深圳马哥孛罗好日子酒店"),
    ("event", "活动预告", "“一带一路”项目绿色发展指南联合研究项目启动会将在北京召开", "2019-12-10", "", "", "", "", "北京"),
    ("news", "专题工作进展", "环境法律法规和标准专题伙伴关系工作进展", "2019-10-18", "", "环境法律法规和标准专题伙伴关系",
     "", "", ""),
    ("report", "专题工作进展", "《融合投融资规则 促进“一带一路”可持续发展》报告发布", "2019-11-06", "", "中国一带一路网",
     "", "", ""),
    ("about", "", "“一带一路”绿色发展国际联盟由中华人民共和国生态环境部与中外合作伙伴共同发起成立…", "", "", "", "", "",
     ""),
]
FIELDS = ("kind", "section", "title", "date", "date_end", "source", "speaker", "speaker_title", "place")


@pytest.fixture(scope="module")
def parsed() -> archive.ParsedFile:
    return archive.read(SAMPLE)


@pytest.fixture(scope="module")
def items(parsed: archive.ParsedFile) -> tuple[Item, ...]:
    return parsed.items


def _by_title(items: tuple[Item, ...], title: str) -> Item:
    return next(it for it in items if it.title == title)


def test_item_count_and_kinds(items: tuple[Item, ...]) -> None:
    assert len(items) == len(EXPECTED) == 23
    assert Counter(it.kind for it in items) == {"news": 10, "quote": 9, "event": 2, "report": 1, "about": 1}


@pytest.mark.parametrize("position", range(len(EXPECTED)))
def test_every_item_matches_the_table(items: tuple[Item, ...], position: int) -> None:
    got = tuple(getattr(items[position], f) for f in FIELDS)
    assert dict(zip(FIELDS, got, strict=True)) == dict(zip(FIELDS, EXPECTED[position], strict=True))
    assert items[position].position == position


def test_sections_per_count(items: tuple[Item, ...]) -> None:
    assert Counter(it.section for it in items) == {
        "绿色丝路新闻": 5, "联盟动态": 4, "观点与动态": 9, "活动预告": 2, "专题工作进展": 2, "": 1,
    }


def test_quotes_link_to_the_oslo_news_item(items: tuple[Item, ...]) -> None:
    oslo = _by_title(items, OSLO)
    quotes = [it for it in items if it.kind == "quote"]
    assert [q.speaker for q in quotes] == ["赫尔格森", "索尔海姆", "兰博蒂尼", "范威斯", "王菊英", "魏恩希", "施瓦布",
                                           "李永红", "艾瑞民"]
    assert {q.parent_id for q in quotes} == {oslo.id}
    assert all(not it.parent_id for it in items if it.kind != "quote")


def test_quote_texts_are_the_quotes_only(items: tuple[Item, ...]) -> None:
    quotes = [it for it in items if it.kind == "quote"]
    assert quotes[0].text.startswith("“一带一路”倡议雄心勃勃")
    assert quotes[0].text.endswith("帮助探索更多前行的机遇。")
    assert "海洋是气候变化的受害者" in quotes[0].text
    assert all("——" not in q.text and q.speaker not in q.text[-6:] for q in quotes)
    oslo = _by_title(items, OSLO)
    assert oslo.text.endswith("共60余人参加边会。") and "雄心勃勃" not in oslo.text


def test_sources_are_removed_from_text(items: tuple[Item, ...]) -> None:
    for it in items:
        assert "来源" not in it.text and "供稿" not in it.text
        if it.source:
            assert it.source not in it.text[-len(it.source) - 3 :]


def test_layout_artefacts_dropped_but_content_kept(items: tuple[Item, ...]) -> None:
    text = "\n".join(it.text for it in items)
    for junk in ("\ufffd", "联盟动态联盟动态", "更多信息，欢迎点击", "咨询委员会联络人", "联系秘书处"):
        assert junk not in text
    assert all(it.title not in ("秘书处", "活动预告") for it in items)
    cciced = items[4]
    assert cciced.text.count("\n\n") == 2 and "做了部署和安排。" in cciced.text and "该研究将以" in cciced.text
    assert "了解海洋如何" in items[15].text  # line break inside a word joined
    assert "赫尔格森做客对话会" in items[15].text


def test_events_keep_their_notice_lines(items: tuple[Item, ...]) -> None:
    shenzhen = _by_title(items, SHENZHEN_MEETING)
    assert "会议时间：2019 年 12 月 2 日晚；12 月 3 日上午" in shenzhen.text
    assert shenzhen.text.startswith("“一带一路”绿色发展国际联盟合作伙伴年度交流会")
    demo = items[17]
    assert demo.text.endswith("为绿色“一带一路”建设提供支撑保障。")


def test_about_sidebar(items: tuple[Item, ...]) -> None:
    about = items[-1]
    assert about.text.startswith("“一带一路”绿色发展国际联盟由中华人民共和国生态环境部")
    assert about.text.endswith("均可加入联盟成为联盟合作伙伴。")
    assert "秘书处" not in about.text


def test_bulletin_record(parsed: archive.ParsedFile) -> None:
    b = parsed.bulletin
    assert b.id == "brigc-2019-11"
    assert b.title == "“一带一路”绿色发展国际联盟简报 2019年11月"
    assert b.publisher == "“一带一路”绿色发展国际联盟秘书处"
    assert (b.date, b.date_inferred, b.language) == ("2019-11-16", True, "zh")
    assert any("inferred" in n for n in b.notes)


def test_ids_are_stable_unique_and_prefixed(items: tuple[Item, ...]) -> None:
    again = archive.read(SAMPLE).items
    assert [it.id for it in items] == [it.id for it in again]
    assert len({it.id for it in items}) == len(items)
    assert all(re.fullmatch(r"brigc-2019-11-[0-9a-f]{8}(-\d+)?", it.id) for it in items)
    assert all(it.bulletin_id == "brigc-2019-11" and it.lang == "zh" for it in items)


def test_editing_one_item_keeps_the_other_ids(tmp_path: Path, items: tuple[Item, ...]) -> None:
    edited = SAMPLE.read_text(encoding="utf-8").replace("马克龙表示，法方愿推动", "马克龙表示，法方愿积极推动")
    copy = tmp_path / "brigc-2019-11.txt"
    copy.write_text(edited, encoding="utf-8")
    assert [it.id for it in archive.read(copy).items] == [it.id for it in items]
    removed = SAMPLE.read_text(encoding="utf-8").replace("（来源：新华网）\n\n2019年11月5日", "（来源：新华网）\n\n", 1)
    copy.write_text(removed, encoding="utf-8")
    assert {it.id for it in archive.read(copy).items} >= {it.id for it in items if it.kind == "quote"}


def test_item_json_round_trip(items: tuple[Item, ...]) -> None:
    assert all(Item(**it.to_dict()) == it for it in items)


def _table(parsed_items: tuple[Item, ...]) -> list[tuple[str, ...]]:
    return [tuple(getattr(it, f) for f in FIELDS) for it in parsed_items]


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_sample_without_blank_lines(items: tuple[Item, ...]) -> None:
    """PDF extractors often drop blank lines; line widths and the contents map must still find every item."""
    text = "\n".join(line for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip())
    again = archive.parse_text(text, "brigc-2019-11").items
    assert _table(again) == EXPECTED
    assert [_flat(it.text) for it in again] == [_flat(it.text) for it in items]


def test_sample_printed_to_pdf_and_read_back(tmp_path: Path, items: tuple[Item, ...]) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = tmp_path / "brigc-2019-11.pdf"
    page = canvas.Canvas(str(pdf))
    y = 810
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        if y < 40:
            page.showPage()
            y = 810
        if line.strip():
            page.setFont("STSong-Light", 10)
            page.drawString(20, y, line)
        y -= 14
    page.save()
    again = archive.read(pdf).items
    assert _table(again) == EXPECTED
    assert [it.id for it in again] == [it.id for it in items]
    assert [_flat(it.text) for it in again] == [_flat(it.text) for it in items]
