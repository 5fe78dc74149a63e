"""Unit tests for layouts first met in the evaluation corpus (each a general rule, no corpus strings)."""

from __future__ import annotations

import pytest

from archive.layout.dates import date_range, find_dates, starts_with_date
from archive.layout.events import event_place
from archive.layout.headings import (
    find_contents,
    is_about_heading,
    is_caps_heading,
    is_credit_line,
    readable_case,
)
from archive.layout.parse import parse_text
from archive.layout.sources import source_line
from archive.model import Meta


def _rows(text: str, meta: Meta | None = None) -> list[tuple[str, ...]]:
    return [(it.kind, it.section, it.title, it.date, it.date_end, it.source, it.place)
            for it in parse_text(text, "t", meta=meta).items]


# --- sources ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("line", "source"),
    [
        ("（可持续农业专题伙伴关系 供稿）", "可持续农业专题伙伴关系"),  # 可持续 holds 续, which is no "continued" mark
        ("（来源：关注森林网）", "关注森林网"),  # 关注 holds 注
        ("（完）", None), ("（续）", None), ("（未完待续）", None), ("（注：数据为初步统计）", None),
    ],
)
def test_source_lines_with_marks_inside_names(line: str, source: str | None) -> None:
    assert source_line(line) == source


def test_contributor_line_closes_the_item_above() -> None:
    text = ("专题工作进展\n\n水资源专题：伙伴关系完成了流域调研。\n\n（可持续水资源专题伙伴关系 供稿）\n\n"
            "森林专题：伙伴关系举办了培训。\n\n（森林可持续经营专题伙伴关系 供稿）\n")
    assert [(r[2][:5], r[5]) for r in _rows(text)] == [
        ("水资源专题", "可持续水资源专题伙伴关系"), ("森林专题：", "森林可持续经营专题伙伴关系")]


# --- dates -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("会议时间：2020年7月21日至23日", ("2020-07-21", "2020-07-23")),
        ("2020年7月21日-23日", ("2020-07-21", "2020-07-23")),
        ("7月30日至8月2日", ("2021-07-30", "2021-08-02")),
        ("On 4 April the report was released", ("2021-04-04", "")),
        ("On Apr. 6 the plant opened", ("2021-04-06", "")),
        ("April 4-5 in Nairobi", ("2021-04-04", "2021-04-05")),
        ("From May 16 to 20, 2022, a course ran", ("2022-05-16", "2022-05-20")),
        ("16 to 20 May 2022", ("2022-05-16", "2022-05-20")),
        ("prices may 5 times rise", ("", "")),  # "may" the verb is no month
        ("In May 2022 the plan", ("", "")),  # a month without a day is no date
    ],
)
def test_more_date_forms(text: str, expected: tuple[str, str]) -> None:
    assert date_range(text, default_year=2021) == expected


def test_a_stated_year_wins_over_the_default() -> None:
    assert [s.start for s in find_dates("4 April 2022 and 5 April", default_year=2019)] == ["2022-04-04", "2022-04-05"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On 4 April the IPCC released", True),
        ("KUALA LUMPUR, May 9, 2022 - Malaysia said", True),
        ("From May 16 to 20, 2022, the partnership", True),
        ("The report of 4 April found", False),
    ],
)
def test_paragraphs_opening_with_a_date(text: str, expected: bool) -> None:
    assert starts_with_date(text) is expected


def test_english_dates_without_a_year_take_the_sidecar_year() -> None:
    text = "1. Wind auction opens\nOn 4 April the ministry opened an auction.\n\n2. Solar park connected\nOn 6 April a park was connected.\n"
    assert [r[3] for r in _rows(text, Meta(period="2022-04"))] == ["2022-04-04", "2022-04-06"]
    assert [r[3] for r in _rows("Weekly, 4-10 April 2022\n\n" + text)] == ["2022-04-04", "2022-04-06"]


# --- masthead credit lines -------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("line", "expected"),
    [("绿色丝路研究中心编", True), ("国际合作司编印", True), ("编辑：张三", True), ("Compiled by the Research Centre", True),
     ("生态环境政策汇编", False), ("1. 欧盟公布碳边境调节机制细则", False), ("Edited highlights of the week", False)],
)
def test_credit_lines(line: str, expected: bool) -> None:
    assert is_credit_line(line) is expected


def test_credit_line_is_neither_section_nor_headline_nor_title() -> None:
    body = "1. 欧盟公布碳边境调节机制细则\n9月14日，欧盟委员会就碳边境调节机制征求意见。\n\n2. 东盟发布分类目录\n9月16日，东盟分类目录发布。\n"
    for text in ("某某周报\n\n2021年第37期\n\n某某研究中心编\n\n" + body, "某某周报\n\n某某研究中心编\n" + body,
                 "某某研究中心编\n\n" + body):
        pf = parse_text(text, "t", meta=Meta(period="2021-09"))
        assert [(it.section, it.title, it.date) for it in pf.items] == [
            ("", "欧盟公布碳边境调节机制细则", "2021-09-14"), ("", "东盟发布分类目录", "2021-09-16")], text
        assert pf.bulletin.title != "某某研究中心编"


# --- about headings --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("line", "expected"),
    [("关于联盟", True), ("关于我们", True), ("联盟简介", True), ("About us", True), ("About the Coalition", True),
     ("关于加强生态环境保护的意见", False), ("关于联盟年会的通知", False), ("Green finance", False)],
)
def test_about_headings(line: str, expected: bool) -> None:
    assert is_about_heading(line) is expected


def test_text_under_an_about_heading_is_about() -> None:
    text = ("联盟动态\n\n2021年9月22日，联盟召开年度会议。\n\n关于联盟\n\n"
            "联盟是一个开放、包容、自愿的国际合作网络，旨在推动绿色发展。\n")
    assert [(r[0], r[1], r[2][:6]) for r in _rows(text)] == [("news", "联盟动态", "2021年9"), ("about", "", "联盟是一个开")]


def test_about_us_in_english() -> None:
    text = ("Coalition News\n\nPartners meet in Oslo\nOn 23 October 2019 partners met in Oslo.\n\nAbout us\n\n"
            "The coalition is an open network of partners working for green development.\n")
    assert [r[0] for r in _rows(text)] == ["news", "about"]


# --- plain newsletters: contents list, capitals headings, headlines over datelines -------------------

def test_contents_list_found_with_or_without_blank_lines() -> None:
    assert find_contents([["MONITOR"], ["IN THIS ISSUE", "News", "Voices"], ["NEWS"]]) == (1, 2, ["News", "Voices"])
    split = [["MONITOR"], ["IN THIS ISSUE"], ["News"], ["Coalition Activities", "Upcoming Events"], ["NEWS"], ["x"]]
    assert find_contents(split) == (1, 4, ["News", "Coalition Activities", "Upcoming Events"])
    assert find_contents([["News"], ["Voices"]]) == (-1, -1, [])


@pytest.mark.parametrize(
    ("name", "readable"),
    [("NEWS", "News"), ("UPCOMING EVENTS", "Upcoming Events"), ("NEWS IN BRIEF", "News in Brief"),
     ("Upcoming events", "Upcoming events"), ("绿色丝路新闻", "绿色丝路新闻")],
)
def test_readable_case(name: str, readable: str) -> None:
    assert readable_case(name) == readable


def test_caps_heading() -> None:
    assert is_caps_heading("COALITION ACTIVITIES") and not is_caps_heading("Coalition Activities")
    assert not is_caps_heading("THE END.") and not is_caps_heading("绿色丝路新闻")


NEWSLETTER = """THE MONITOR
A monthly newsletter
May 2022

IN THIS ISSUE
Headlines
Partner Activities
Upcoming Events

HEADLINES

Laos launches a watershed protection programme in the north
VIENTIANE, May 9, 2022 - Laos launched a five-year programme to protect forested watersheds in three provinces.
(Source: Xinhua)

PARTNER ACTIVITIES

Training for protected-area managers
From May 16 to 20, 2022, the partnership ran an online training course for park managers from Southeast Asia.

UPCOMING EVENTS

Clean Energy Investment Forum
June 15-16, 2022, Singapore and online. Investors will discuss financing for offshore wind and storage.

Workshop on the classification of overseas projects by their environmental risks
June 28, 2022, Beijing. The workshop will present case studies of classified projects and their risks.
"""


def test_plain_newsletter_sections_events_and_headlines() -> None:
    assert _rows(NEWSLETTER) == [
        ("news", "Headlines", "Laos launches a watershed protection programme in the north", "2022-05-09", "",
         "Xinhua", ""),
        ("news", "Partner Activities", "Training for protected-area managers", "2022-05-16", "", "", ""),
        ("event", "Upcoming Events", "Clean Energy Investment Forum", "2022-06-15", "2022-06-16", "",
         "Singapore and online"),
        ("event", "Upcoming Events", "Workshop on the classification of overseas projects by their environmental risks",
         "2022-06-28", "", "", "Beijing"),
    ]


def test_capitals_headings_without_contents_get_a_readable_case() -> None:
    text = NEWSLETTER.replace("IN THIS ISSUE\nHeadlines\nPartner Activities\nUpcoming Events\n\n", "")
    assert [r[1] for r in _rows(text)] == ["Headlines", "Partner Activities", "Upcoming Events", "Upcoming Events"]


def test_a_single_capitals_title_is_not_a_section() -> None:
    text = "GREEN WEEKLY\n\n1. Wind auction opens\nOn 4 April 2022 the ministry opened an auction.\n"
    assert [(r[1], r[2]) for r in _rows(text)] == [("", "Wind auction opens")]


# --- events ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("June 15-16, 2022, Singapore and online. Investors will meet.", "Singapore and online"),
        ("On 2 December 2019, in Shenzhen. Partners meet.", "Shenzhen"),
        ("The annual meeting will be held in Shenzhen on 2 December 2019.", "Shenzhen"),
        ("圆桌会将于2021年11月18日在新加坡举行，讨论融资模式。", "新加坡"),
        ("June 15-16, 2022. Investors will discuss financing.", ""),
        ("研讨会讨论了融资模式。", ""),
    ],
)
def test_event_place_from_the_text(text: str, place: str) -> None:
    assert event_place(text, 2022) == place


def test_activities_sections_report_rather_than_announce() -> None:
    text = "部领导活动\n\n部长会见代表团\n2019年11月4日，部长会见了代表团。\n"
    assert [r[0] for r in _rows(text)] == ["news"]
