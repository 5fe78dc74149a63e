"""The evaluation corpus (tests/corpus): every item of each bulletin pinned.

The tables were written by reading each file: brigc-2020-06 (6 news from elsewhere with （来源：…）,
4 coalition news, 3 thematic items each followed by a （… 供稿） line, 2 event notices, 4 quotes, the
"about" text after 更多信息，欢迎点击), brigc-2021-10 (5 + 4 news, 2 events, 2 thematic items, 4 quotes,
a 关于联盟 text), weekly-2021-37 (20 numbered headlines, dates without a year, an editor line
绿色丝路研究中心编 under the masthead), weekly-en-2022-14 (18 numbered headlines, "On 4 April"
without a year) and monitor-2022-05 (IN THIS ISSUE contents, ALL-CAPS section headings, 7 dateline
news with "(Source: Xinhua)", 4 coalition items, 2 upcoming events with "June 15-16, 2022, Singapore
and online." leads, 5 "— Name, Title" quotes). Titles are compared by their head (the first 16
characters of Chinese titles, 40 of English ones). No bulletin of the corpus says which news item a
quote belongs to, so no quote has a parent.
"""

from __future__ import annotations

from collections import Counter

import pytest

import archive
from archive.model import Item
from tests.paths import CORPUS

FIELDS = ("kind", "section", "title", "date", "date_end", "source", "speaker", "speaker_title", "place")
XH, BRN = "新华网", "中国一带一路网"
NEWS, ALLIANCE, THEMES, EVENTS, VIEWS = "绿色丝路新闻", "联盟动态", "专题工作进展", "活动预告", "观点与动态"

# kind, section, title head, date, date_end, source, speaker, speaker_title, place
BRIGC_2020_06 = [
    ("news", NEWS, "2020年6月5日是世界环境日，", "2020-06-05", "", XH, "", "", ""),
    ("news", NEWS, "2020年6月2日，中国—东盟环", "2020-06-02", "", XH, "", "", ""),
    ("news", NEWS, "2020年5月28日，巴基斯坦一", "2020-05-28", "", BRN, "", "", ""),
    ("news", NEWS, "2020年5月20日，哈萨克斯坦", "2020-05-20", "", XH, "", "", ""),
    ("news", NEWS, "2020年5月15日，一份面向“", "2020-05-15", "", BRN, "", "", ""),
    ("news", NEWS, "2020年6月8日世界海洋日前后", "2020-06-08", "", XH, "", "", ""),
    ("news", ALLIANCE, "2020年6月10日，联盟以视频", "2020-06-10", "", "", "", "", ""),
    ("news", ALLIANCE, "2020年5月26日，联盟“生物", "2020-05-26", "", "", "", "", ""),
    ("news", ALLIANCE, "2020年5月19日，联盟秘书处", "2020-05-19", "", "", "", "", ""),
    ("news", ALLIANCE, "2020年6月3日，联盟“绿色能", "2020-06-03", "", "", "", "", ""),
    ("news", THEMES, "绿色金融专题：专题伙伴关系完成《", "", "", "绿色金融与投资专题伙伴关系", "", "", ""),
    ("news", THEMES, "绿色交通专题：专题伙伴关系对中欧", "", "", "可持续交通专题伙伴关系", "", "", ""),
    ("news", THEMES, "南南环境合作专题：2020年上半", "", "", "南南环境合作与可持续发展能力建设专题伙伴关系", "", "", ""),
    ("event", EVENTS, "“一带一路”绿色金融与气候投融资", "2020-07-08", "", "", "", "", "线上"),
    ("event", EVENTS, "联盟合作伙伴“绿色供应链”能力建", "2020-07-21", "2020-07-23", "", "", "", "北京"),
    ("quote", VIEWS, "马丁·赫斯：疫情让我们看到人类与", "", "", "", "马丁·赫斯", "联盟咨询委员会委员、某国际环境智库总裁", ""),
    ("quote", VIEWS, "罗兰·费雪：可再生能源在多数共建", "", "", "", "罗兰·费雪",
     "联盟合作伙伴、国际可再生能源研究机构首席分析师", ""),
    ("quote", VIEWS, "刘晓岚：生物多样性保护不能只依靠", "", "", "", "刘晓岚",
     "联盟“生物多样性与生态系统管理”专题伙伴关系中方召集人", ""),
    ("quote", VIEWS, "周文博：绿色债券市场的扩大令人鼓", "", "", "", "周文博",
     "联盟绿色金融专题伙伴关系专家、某商业银行首席经济学家", ""),
    ("about", "", "“一带一路”绿色发展国际联盟由中", "", "", "", "", "", ""),
]

BRIGC_2021_10 = [
    ("news", NEWS, "2021年10月11日至15日，", "2021-10-11", "", XH, "", "", ""),
    ("news", NEWS, "2021年9月，中方宣布将大力支", "", "", XH, "", "", ""),  # a month, no day: no date
    ("news", NEWS, "2021年10月18日，一艘以液", "2021-10-18", "", BRN, "", "", ""),
    ("news", NEWS, "2021年9月28日，肯尼亚一座", "2021-09-28", "", XH, "", "", ""),
    ("news", NEWS, "2021年10月8日，国际海事组", "2021-10-08", "", BRN, "", "", ""),
    ("news", ALLIANCE, "2021年10月13日，在COP", "2021-10-13", "", "", "", "", ""),
    ("news", ALLIANCE, "2021年9月22日，联盟“海洋", "2021-09-22", "", "", "", "", ""),
    ("news", ALLIANCE, "2021年9月15日，联盟发布《", "2021-09-15", "", "", "", "", ""),
    ("news", ALLIANCE, "2021年10月20日，联盟绿色", "2021-10-20", "", "", "", "", ""),
    ("event", EVENTS, "联盟2021年合作伙伴年度会议将", "2021-12-07", "", "", "", "", "北京及线上"),
    ("event", EVENTS, "“一带一路”可再生能源投资圆桌会", "2021-11-18", "", "", "", "", "新加坡"),
    ("news", THEMES, "气候变化专题：专题伙伴关系完成共", "", "", "全球气候治理与绿色转型专题伙伴关系", "", "", ""),
    ("news", THEMES, "绿色城市专题：专题伙伴关系在东南", "", "", "绿色城市与环境质量改善专题伙伴关系", "", "", ""),
    ("quote", VIEWS, "安娜·莫雷蒂：昆明会议给出的信号", "", "", "", "安娜·莫雷蒂",
     "联盟咨询委员会委员、某国际自然保护组织首席科学家", ""),
    ("quote", VIEWS, "拉尔斯·汉森：航运业的脱碳不可能", "", "", "", "拉尔斯·汉森", "联盟合作伙伴、某国际船级社可持续发展总监", ""),
    ("quote", VIEWS, "陈思远：停止新建境外煤电之后，下", "", "", "", "陈思远", "联盟绿色能源专题伙伴关系专家", ""),
    ("quote", VIEWS, "林海燕：海洋是最大的碳汇之一。", "", "", "", "林海燕", "联盟海洋专题伙伴关系中方召集机构代表", ""),
    ("about", "", "“一带一路”绿色发展国际联盟是一", "", "", "", "", "", ""),
]

_WEEKLY_ZH = [
    ("欧盟公布碳边境调节机制实施细则征", "2021-09-14"), ("印度尼西亚发布电力部门煤电退出路", "2021-09-15"),
    ("东盟发布可持续金融分类目录第一版", "2021-09-16"), ("越南启动国家海洋塑料垃圾管理行动", "2021-09-13"),
    ("联合国环境规划署发布适应差距报告", "2021-09-17"), ("蒙古国扩大草原保护地面积", "2021-09-14"),
    ("埃及发布绿色氢能发展战略框架", "2021-09-16"), ("新加坡港推进船用燃料多元化", "2021-09-15"),
    ("老挝一条铁路沿线开展生态修复", "2021-09-13"), ("斯里兰卡发布国家适应计划更新版", "2021-09-17"),
    ("多家国际银行加入净零银行业联盟", "2021-09-15"), ("哈萨克斯坦提出2060年碳中和目", "2021-09-16"),
    ("孟加拉国取消十个燃煤电站项目", "2021-09-14"), ("马尔代夫启动珊瑚礁监测网络", "2021-09-18"),
    ("世界银行发布交通部门脱碳报告", "2021-09-17"), ("泰国发布生物-循环-绿色经济模式", "2021-09-13"),
    ("肯尼亚实施一次性塑料禁令新阶段", "2021-09-15"), ("亚洲开发银行设立海洋健康与蓝色经", "2021-09-16"),
    ("乌兹别克斯坦光伏电站签署购电协议", "2021-09-14"), ("国际能源署发布全球甲烷追踪报告", "2021-09-18"),
]
_REPORTS_ZH = {4, 14, 19}  # headlines "…发布…报告": published reports
WEEKLY_2021_37 = [("report" if i in _REPORTS_ZH else "news", "", head, date, "", "", "", "", "")
                  for i, (head, date) in enumerate(_WEEKLY_ZH)]

_WEEKLY_EN = [
    ("IPCC mitigation report says emissions mu", 4), ("Philippines opens offshore wind zones to", 5),
    ("Egypt selects sites for green ammonia pl", 6), ("Pakistan launches national electric vehi", 5),
    ("Green bond issuance from emerging market", 7), ("Cambodia approves its first large solar-", 6),
    ("Global shipping coalition publishes gree", 8), ("Kyrgyzstan protects snow leopard habitat", 4),
    ("Nigeria adopts Energy Transition Plan fi", 7), ("Thailand sets up marine plastic monitori", 8),
    ("Development banks agree on joint approac", 9), ("Sri Lanka pilots electric buses in Colom", 6),
    ("Morocco's concentrated solar complex rep", 9), ("Kazakhstan and partners map critical min", 5),
    ("Vietnam issues rules for rooftop solar s", 10), ("Mangrove carbon credits project launched", 8),
    ("Uzbekistan signs wind power purchase agr", 7), ("Report finds Belt and Road energy financ", 10),
]
WEEKLY_EN_2022_14 = [("news", "", head, f"2022-04-{day:02d}", "", "", "", "", "") for head, day in _WEEKLY_EN]

_NEWS_EN = [
    ("Central Asia's largest wind farm starts ", 12), ("Green methanol bunkering trial completed", 18),
    ("Laos launches watershed protection progr", 9), ("Kenya's geothermal expansion attracts ne", 4),
    ("Bangladesh tightens rules on ship recycl", 23), ("Indonesia restores peatlands to cut fire", 16),
    ("Serbia opens its first utility-scale sol", 26),
]
_COALITION_EN = [
    ("Green finance working group reviews disc", 11), ("Biodiversity partnership trains protecte", 16),
    ("Coalition publishes guidance on green su", 25), ("Ocean partnership holds expert meeting o", 30),
]
MONITOR_2022_05 = [
    *(("news", "News", head, f"2022-05-{day:02d}", "", "Xinhua", "", "", "") for head, day in _NEWS_EN),
    *(("news", "Coalition Activities", head, f"2022-05-{day:02d}", "", "", "", "", "") for head, day in _COALITION_EN),
    ("event", "Upcoming Events", "Belt and Road Clean Energy Investment Fo", "2022-06-15", "2022-06-16", "", "", "",
     "Singapore and online"),
    ("event", "Upcoming Events", "Workshop on traffic-light classification", "2022-06-28", "", "", "", "",
     "Beijing and online"),
    ("quote", "Voices", 'Priya Raman: "Renewables are now the che', "", "", "", "Priya Raman",
     "Senior Energy Economist, Asia Clean Energy Institute", ""),
    ("quote", "Voices", 'Henrik Dahl: "Shipping cannot decarbonis', "", "", "", "Henrik Dahl",
     "Director of Maritime Decarbonisation, Nordic Shipping Alliance", ""),
    ("quote", "Voices", 'Dr. Amina Okello: "Roads and railways cu', "", "", "", "Dr. Amina Okello",
     "Conservation Biologist, East African Wildlife Trust", ""),
    ("quote", "Voices", 'Zhang Wei: "Disclosure is the foundation', "", "", "", "Zhang Wei",
     "Head of Sustainable Finance Research, Green Silk Road Research Centre", ""),
    ("quote", "Voices", 'Maria Santos: "Mangroves store several t', "", "", "", "Maria Santos",
     "Coastal Ecologist, Pacific Blue Carbon Network", ""),
]

EXPECTED = {
    "brigc-2020-06": BRIGC_2020_06,
    "brigc-2021-10": BRIGC_2021_10,
    "weekly-2021-37": WEEKLY_2021_37,
    "weekly-en-2022-14": WEEKLY_EN_2022_14,
    "monitor-2022-05": MONITOR_2022_05,
}
KINDS = {
    "brigc-2020-06": {"news": 13, "event": 2, "quote": 4, "about": 1},
    "brigc-2021-10": {"news": 11, "event": 2, "quote": 4, "about": 1},
    "weekly-2021-37": {"news": 17, "report": 3},
    "weekly-en-2022-14": {"news": 18},
    "monitor-2022-05": {"news": 11, "event": 2, "quote": 5},
}
ISSUE_DATES = {"brigc-2020-06": "2020-06-10", "brigc-2021-10": "2021-10-20", "weekly-2021-37": "2021-09-18",
               "weekly-en-2022-14": "2022-04-10", "monitor-2022-05": "2022-05-30"}
ROWS = [(name, i) for name, rows in EXPECTED.items() for i in range(len(rows))]


@pytest.fixture(scope="module")
def corpus() -> dict[str, archive.ParsedFile]:
    return {name: archive.read(CORPUS / f"{name}.txt") for name in EXPECTED}


def _row(it: Item, head: int) -> tuple[str, ...]:
    return tuple(it.title[:head] if f == "title" else getattr(it, f) for f in FIELDS)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_counts_and_kinds(corpus: dict[str, archive.ParsedFile], name: str) -> None:
    items = corpus[name].items
    assert len(items) == len(EXPECTED[name])
    assert Counter(it.kind for it in items) == KINDS[name]
    assert [it.position for it in items] == list(range(len(items)))


@pytest.mark.parametrize(("name", "position"), ROWS)
def test_every_item_matches_the_table(corpus: dict[str, archive.ParsedFile], name: str, position: int) -> None:
    expected = EXPECTED[name][position]
    it = corpus[name].items[position]
    assert dict(zip(FIELDS, _row(it, len(expected[2])), strict=True)) == dict(zip(FIELDS, expected, strict=True))


@pytest.mark.parametrize("name", list(EXPECTED))
def test_bulletin_records(corpus: dict[str, archive.ParsedFile], name: str) -> None:
    b = corpus[name].bulletin
    assert (b.date, b.date_inferred) == (ISSUE_DATES[name], True)
    assert b.title.startswith(("“一带一路”绿色发展国际联盟简报", "国际环境合作动态周报", "Green "))


def test_no_layout_lines_become_items_or_text(corpus: dict[str, archive.ParsedFile]) -> None:
    for pf in corpus.values():
        for it in pf.items:
            for junk in ("供稿）", "来源：", "(Source:", "绿色丝路研究中心编", "Compiled by", "IN THIS ISSUE",
                         "COALITION ACTIVITIES", "关于联盟", "更多信息", "2021年第37期", "Issue 14, 2022"):
                assert junk not in it.text and junk not in it.title, (it.id, junk)


def test_quotes_have_no_parent_and_news_carry_their_text(corpus: dict[str, archive.ParsedFile]) -> None:
    for pf in corpus.values():
        assert all(not it.parent_id for it in pf.items)
    monitor = corpus["monitor-2022-05"].items
    assert monitor[2].text.startswith("VIENTIANE, May 9, 2022 - Laos launched")
    assert monitor[11].text.startswith("June 15-16, 2022, Singapore and online. Investors")
    assert monitor[12].text.startswith("June 28, 2022, Beijing and online. The workshop")
    assert monitor[13].text.startswith('"Renewables') and monitor[13].text.endswith('win on their own."')
    brigc = corpus["brigc-2020-06"].items
    assert brigc[11].text.endswith("调研报告将提交联盟年度会议审议。")
    assert brigc[12].text.startswith("南南环境合作专题") and brigc[12].text.endswith("累计培训学员300余人次。")


def test_item_languages(corpus: dict[str, archive.ParsedFile]) -> None:
    for name, pf in corpus.items():
        assert {it.lang for it in pf.items} == ({"en"} if pf.bulletin.language == "en" else {"zh"}), name


def test_ids_stable_and_unique(corpus: dict[str, archive.ParsedFile]) -> None:
    for name, pf in corpus.items():
        again = archive.read(CORPUS / f"{name}.txt").items
        assert [it.id for it in again] == [it.id for it in pf.items]
        assert len({it.id for it in pf.items}) == len(pf.items)
