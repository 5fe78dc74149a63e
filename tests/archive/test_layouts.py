"""Layouts other than the sample: English newsletters, numbered headlines, Markdown, a small contents page."""

from __future__ import annotations

from pathlib import Path

import pytest

import archive
from archive.lang import detect_lang
from archive.layout.dates import date_range, find_dates, starts_with_date
from archive.layout.parse import parse_text
from archive.layout.quotes import join_attribution, parse_attribution
from archive.layout.sources import source_line, split_trailing_source
from tests.paths import FIXTURES as FIXTURES_ROOT

FIXTURES = FIXTURES_ROOT / "archive"


def _rows(pf: archive.ParsedFile) -> list[tuple[str, ...]]:
    return [(it.kind, it.section, it.title, it.date, it.date_end, it.source, it.speaker, it.place) for it in pf.items]


def test_english_newsletter() -> None:
    pf = archive.read(FIXTURES / "en-newsletter-2019-11.txt")
    assert _rows(pf) == [
        ("news", "Coalition News", "Ocean partnership launched in Oslo", "2019-10-23", "", "Xinhua", "", ""),
        ("quote", "Coalition News",
         'Erik Solheim: "The ocean is a victim of climate change, but it can also pr…', "", "", "", "Erik Solheim", ""),
        ("news", "Coalition News", "Green shipping dialogue held in Beijing", "2019-11-06", "", "", "", ""),
        ("event", "Upcoming Events", "Annual Partners Meeting", "2019-12-02", "2019-12-03", "", "",
         "Shenzhen Marco Polo Hotel"),
    ]
    assert pf.bulletin.title == "Green Belt and Road Bulletin"
    assert pf.items[1].speaker_title == "Senior Adviser, World Resources Institute"
    assert pf.items[0].text.endswith("in Oslo.") and "Source" not in pf.items[0].text
    assert "governance at a side event" in pf.items[0].text  # Latin lines joined with a space
    assert {it.lang for it in pf.items} == {"en"}
    assert pf.bulletin.language == "en"


def test_numbered_headline_bulletin() -> None:
    pf = archive.read(FIXTURES / "mee-weekly-45.txt")
    assert _rows(pf) == [
        ("news", "部领导活动", "黄润秋主持召开部常务会议", "2019-11-04", "", "", "", ""),
        ("news", "部领导活动", "生态环境部与世界银行举行会谈", "2019-11-05", "", "生态环境部", "", ""),
        ("news", "地方动态", "浙江省发布生态保护红线方案", "", "", "", "", ""),
        ("news", "地方动态", "广东省开展入河排污口排查", "2019-11-08", "", "", "", ""),
    ]
    assert pf.bulletin.title == "生态环境部工作动态（第45期）"
    assert pf.bulletin.date == "2019-11-08" and pf.bulletin.date_inferred


def test_numbered_items_without_sections() -> None:
    text = "1. 第一条新闻标题\n2019年11月1日，第一条新闻的正文。\n\n2. 第二条新闻标题\n2019年11月2日，第二条新闻的正文。\n"
    pf = parse_text(text, "weekly")
    assert [(it.title, it.date) for it in pf.items] == [("第一条新闻标题", "2019-11-01"), ("第二条新闻标题", "2019-11-02")]


def test_markdown_with_front_matter(tmp_path: Path) -> None:
    doc = tmp_path / "green-finance-7.md"
    doc.write_text(
        "---\ntitle: Green Finance Weekly\ndate: 2019-11-20\nissue: 7\n---\n# Green Finance Weekly, No. 7\n\n"
        "## News\n\n### China and France back green Belt and Road\nBEIJING, Nov. 6, 2019 — Presidents Xi and "
        "Macron agreed to align the\nBelt and Road with the EU connectivity strategy.\n\n(Source: Xinhua)\n\n"
        "### 绿色航运对话在京举行\n2019年11月8日，绿色航运对话在北京举行。（来源：中国一带一路网）\n\n"
        "## Upcoming events\n\n### Training on green finance\nDate: 10 December 2019\nVenue: Beijing\n",
        encoding="utf-8",
    )
    pf = archive.read(doc)
    assert (pf.bulletin.title, pf.bulletin.date, pf.bulletin.issue, pf.bulletin.date_inferred) == (
        "Green Finance Weekly", "2019-11-20", "7", False)
    assert _rows(pf) == [
        ("news", "News", "China and France back green Belt and Road", "2019-11-06", "", "Xinhua", "", ""),
        ("news", "News", "绿色航运对话在京举行", "2019-11-08", "", "中国一带一路网", "", ""),
        ("event", "Upcoming events", "Training on green finance", "2019-12-10", "", "", "", "Beijing"),
    ]
    assert [it.lang for it in pf.items] == ["en", "zh", "en"]


CONTENTS_BULLETIN = """简报 2020年第1期

要闻
绿色金融论坛在上海举行
海洋塑料治理研讨会在厦门召开

观点
绿色金融论坛在上海举行

2020年1月6日，绿色金融论坛在上海举行，来自二十个国家的代表参加，讨论绿色金融标准的
统一与互认。
（来源：新华网）
2020年1月9日，海洋塑料治理研讨会在厦门召开，专家呼吁加强海洋塑料污染的源头治理。

（供稿：厦门大学）
绿色金融标准的统一将降低跨境绿色投资的成本。

——中国人民银行研究局局长    王信

要闻要闻要闻

观点
"""


def test_small_contents_bulletin_aligns_and_links() -> None:
    pf = parse_text(CONTENTS_BULLETIN, "brief-2020-01")
    rows = [(it.kind, it.section, it.title, it.date, it.source, it.speaker) for it in pf.items]
    assert rows == [
        ("news", "要闻", "绿色金融论坛在上海举行", "2020-01-06", "新华网", ""),
        ("news", "要闻", "海洋塑料治理研讨会在厦门召开", "2020-01-09", "厦门大学", ""),
        ("quote", "观点", "王信：绿色金融标准的统一将降低跨境绿色投资的成本。", "2020-01-06", "", "王信"),
    ]
    assert pf.items[2].parent_id == pf.items[0].id
    assert pf.items[2].speaker_title == "中国人民银行研究局局长"


def test_html_article_text_not_navigation(tmp_path: Path) -> None:
    page = tmp_path / "brief.html"
    page.write_text(
        "<html><head><meta charset='utf-8'><script>var nav=1;</script></head><body>"
        "<nav><a href='/'>首页</a><a href='/news'>新闻中心</a></nav><article><h1>联盟简报 2019年第11期</h1>"
        "<h2>联盟动态</h2><h3>“一带一路”绿色发展示范项目企业座谈会在京召开</h3>"
        "<p>2019 年 10 月 28 日，“一带一路”绿色发展示范项目企业座谈会在北京召开。</p>"
        "<p>（来源：联盟秘书处）</p></article><footer>版权所有 © 2019</footer></body></html>",
        encoding="utf-8",
    )
    pf = archive.read(page)
    assert pf.bulletin.title == "联盟简报 2019年第11期"
    assert _rows(pf) == [("news", "联盟动态", "“一带一路”绿色发展示范项目企业座谈会在京召开", "2019-10-28", "", "联盟秘书处",
                          "", "")]
    assert "首页" not in pf.items[0].text and "版权" not in pf.items[0].text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019年11月6日，中国", ("2019-11-06", "")),
        ("2019 年 10 月 28 日下午", ("2019-10-28", "")),
        ("当地时间2019年11月3日上午", ("2019-11-03", "")),
        ("将于 2019 年 12 月 2-3 日在深圳召开", ("2019-12-02", "2019-12-03")),
        ("2019 年 12 月 2 日晚；12 月 3 日上午", ("2019-12-02", "2019-12-03")),
        ("12 月 2-3 日", ("2019-12-02", "2019-12-03")),
        ("6 November 2019", ("2019-11-06", "")),
        ("Nov. 6, 2019", ("2019-11-06", "")),
        ("2-3 December 2019", ("2019-12-02", "2019-12-03")),
        ("2019-11-06", ("2019-11-06", "")),
        ("2019年2月30日", ("", "")),
        ("2030年可持续发展议程", ("", "")),
    ],
)
def test_dates(text: str, expected: tuple[str, str]) -> None:
    assert date_range(text, default_year=2019) == expected


def test_date_without_year_takes_the_previous_year() -> None:
    assert [s.start for s in find_dates("2018年12月30日至1月2日；2019年3月1日，12月5日")] == [
        "2018-12-30", "2019-01-02", "2019-03-01", "2019-12-05"]
    assert starts_with_date("当地时间2019年10月23日，在") and not starts_with_date("会议于2019年10月23日召开")


@pytest.mark.parametrize(
    ("line", "source"),
    [
        ("（来源：新华网）", "新华网"),
        ("（供稿：美国环保协会）", "美国环保协会"),
        ("（中国一带一路网）", "中国一带一路网"),
        ("（环境法律法规和标准专题伙伴关系 供稿）", "环境法律法规和标准专题伙伴关系"),
        ("(Source: Xinhua)", "Xinhua"),
        ("Source: Reuters", "Reuters"),
        ("（以下简称联盟）", None),
        ("（2019年11月）", None),
        ("联盟动态", None),
    ],
)
def test_source_lines(line: str, source: str | None) -> None:
    assert source_line(line) == source


def test_trailing_inline_source() -> None:
    assert split_trailing_source("会谈取得成果。（来源：新华网）") == ("会谈取得成果。", "新华网")
    assert split_trailing_source("Talks went well. (Source: Xinhua)") == ("Talks went well.", "Xinhua")
    assert split_trailing_source("联盟（以下简称联盟）成立。") == ("联盟（以下简称联盟）成立。", "")


@pytest.mark.parametrize(
    ("raw", "speaker", "title"),
    [
        (["——亚洲开发银行副行长    范威斯 "], "范威斯", "亚洲开发银行副行长"),
        (["——联盟联合主席、国合会副主席、可持续海洋经济高级别小组挪威特使    ", "赫尔格森"], "赫尔格森",
         "联盟联合主席、国合会副主席、可持续海洋经济高级别小组挪威特使"),
        (["——中国国家海洋", "环境监测中心党委书记    王菊英"], "王菊英", "中国国家海洋环境监测中心党委书记"),
        (["——亚洲开发银行副行长范威斯"], "范威斯", "亚洲开发银行副行长"),
        (["— Erik Solheim, Senior Adviser, World Resources Institute"], "Erik Solheim",
         "Senior Adviser, World Resources Institute"),
        (["— Inger Andersen"], "Inger Andersen", ""),
    ],
)
def test_attributions(raw: list[str], speaker: str, title: str) -> None:
    assert parse_attribution(join_attribution(raw)) == (speaker, title)


@pytest.mark.parametrize(
    ("text", "lang"),
    [("绿色丝路新闻", "zh"), ("Green Silk Road news", "en"), ("联盟与 WWF、WRI、Bloomberg Philanthropies 合作 on oceans", "mixed"),
     ("2019年APEC会议在智利举行", "zh")],
)
def test_item_language(text: str, lang: str) -> None:
    assert detect_lang(text) == lang


def test_headline_without_text_is_kept() -> None:
    pf = parse_text("Coalition News\n\nPartners meet in Oslo\n\nUpcoming Events\n\nAnnual meeting\n"
                    "The meeting will be held in Shenzhen on 2 December 2019.\n", "x")
    assert [(it.section, it.title, it.text) for it in pf.items] == [
        ("Coalition News", "Partners meet in Oslo", "Partners meet in Oslo"),
        ("Upcoming Events", "Annual meeting", "The meeting will be held in Shenzhen on 2 December 2019."),
    ]
    assert pf.items[1].kind == "event" and pf.items[1].date == "2019-12-02"
