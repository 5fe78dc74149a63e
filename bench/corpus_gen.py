"""Synthetic bilingual bulletin items for speed and scale benchmarks (not for quality: texts are templated).

Items read like the BRIGC bulletin and English ministry weeklies: a section, a kind that fits it, a source
outlet, a speaker for quotes, an ISO date shortly before the issue date, ~300 characters of text. Sentences
are filled from green-Belt-and-Road vocabulary whose topics follow a Zipf law, so keyword queries have
realistic selectivity: 一带一路/绿色/合作 occur in most items, 绿色航运 or 红树林 in a few percent,
荒漠化防治 or 蓝碳 in well under one percent. About 2% of items repeat an earlier bulletin's story verbatim
(near-duplicates for ``archive.mark_duplicates``).

Everything is deterministic: item ``j`` of bulletin ``b`` depends only on ``(seed, b, j)``, so a corpus of
N items is a prefix of one of M > N items, and "the next bulletin" is well defined (incremental-add tests).

Usage::

    python bench/corpus_gen.py OUT_DIR --items 10000 [--seed 7] [--first-bulletin 0]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `archive` importable
    sys.path.insert(0, str(ROOT))

from archive.model import Item  # noqa: E402

ITEMS_PER_BULLETIN = 30
TARGET_CHARS = 300
DUPLICATE_RATE = 0.02
EN_BULLETIN_RATE = 0.3
OTHER_LANG_ITEM_RATE = 0.1
FIRST_ISSUE = date(2017, 1, 15)

# (zh, en) topics, most frequent first; drawn with weight 1/rank (Zipf).
TOPICS: tuple[tuple[str, str], ...] = (
    ("绿色发展", "green development"), ("生态环境保护", "environmental protection"),
    ("应对气候变化", "climate action"), ("可持续发展", "sustainable development"),
    ("清洁能源", "clean energy"), ("绿色金融", "green finance"), ("生物多样性", "biodiversity"),
    ("可再生能源", "renewable energy"), ("碳中和", "carbon neutrality"), ("绿色基础设施", "green infrastructure"),
    ("海洋治理", "ocean governance"), ("绿色投资", "green investment"), ("低碳转型", "low-carbon transition"),
    ("南南合作", "South-South cooperation"), ("能力建设", "capacity building"), ("环境标准", "environmental standards"),
    ("光伏发电", "solar power"), ("风电项目", "wind power"), ("绿色航运", "green shipping"),
    ("污染防治", "pollution control"), ("环境影响评价", "environmental impact assessment"),
    ("绿色债券", "green bonds"), ("城市可持续发展", "sustainable cities"), ("绿色交通", "green transport"),
    ("水资源管理", "water management"), ("塑料污染", "plastic pollution"), ("红树林保护", "mangrove protection"),
    ("煤电退出", "coal phase-out"), ("绿色供应链", "green supply chains"), ("碳市场", "carbon markets"),
    ("绿色氢能", "green hydrogen"), ("电动汽车", "electric vehicles"), ("森林碳汇", "forest carbon sinks"),
    ("荒漠化防治", "desertification control"), ("湿地保护", "wetland conservation"), ("蓝碳", "blue carbon"),
    ("固体废物管理", "solid waste management"), ("大气污染治理", "air quality management"),
    ("野生动植物保护", "wildlife protection"), ("绿色建筑", "green buildings"), ("生态修复", "ecological restoration"),
    ("农业绿色发展", "sustainable agriculture"), ("化学品管理", "chemicals management"),
    ("绿色技术转移", "green technology transfer"), ("气候适应", "climate adaptation"), ("甲烷减排", "methane reduction"),
)
ORGS: tuple[tuple[str, str], ...] = (
    ("“一带一路”绿色发展国际联盟", "the BRI International Green Development Coalition"),
    ("生态环境部", "the Ministry of Ecology and Environment"), ("国合会", "CCICED"),
    ("联合国环境规划署", "UNEP"), ("中国－东盟环境保护合作中心", "the China-ASEAN Environmental Cooperation Center"),
    ("世界资源研究所", "the World Resources Institute"), ("亚洲基础设施投资银行", "the AIIB"),
    ("丝路基金", "the Silk Road Fund"), ("国家发展改革委", "the National Development and Reform Commission"),
    ("中国银行", "Bank of China"), ("世界自然基金会", "WWF"), ("联盟秘书处", "the Coalition secretariat"),
)
PLACES: tuple[tuple[str, str], ...] = (
    ("北京", "Beijing"), ("上海", "Shanghai"), ("深圳", "Shenzhen"), ("昆明", "Kunming"), ("杭州", "Hangzhou"),
    ("奥斯陆", "Oslo"), ("内罗毕", "Nairobi"), ("曼谷", "Bangkok"), ("雅加达", "Jakarta"), ("伊斯兰堡", "Islamabad"),
    ("阿斯塔纳", "Astana"), ("开罗", "Cairo"), ("日内瓦", "Geneva"), ("新加坡", "Singapore"), ("河内", "Hanoi"),
    ("金边", "Phnom Penh"), ("万象", "Vientiane"), ("科伦坡", "Colombo"), ("迪拜", "Dubai"), ("里约热内卢", "Rio de Janeiro"),
)
COUNTRIES: tuple[tuple[str, str], ...] = (
    ("巴基斯坦", "Pakistan"), ("哈萨克斯坦", "Kazakhstan"), ("印度尼西亚", "Indonesia"), ("老挝", "Laos"),
    ("埃及", "Egypt"), ("肯尼亚", "Kenya"), ("柬埔寨", "Cambodia"), ("斯里兰卡", "Sri Lanka"), ("越南", "Viet Nam"),
    ("泰国", "Thailand"), ("埃塞俄比亚", "Ethiopia"), ("塞尔维亚", "Serbia"), ("智利", "Chile"), ("挪威", "Norway"),
)
SOURCES: tuple[tuple[str, str], ...] = (
    ("新华网", "Xinhua"), ("人民网", "People's Daily"), ("中国环境报", "China Environment News"),
    ("生态环境部", "MEE press office"), ("中国日报", "China Daily"), ("联盟秘书处", "Coalition secretariat"),
    ("中国新闻网", "China News Service"), ("光明网", "Guangming Online"),
)
SPEAKERS: tuple[tuple[str, str, str], ...] = (
    ("周国梅", "Zhou Guomei", "联盟秘书处副秘书长"), ("埃里克·索尔海姆", "Erik Solheim", "联合国副秘书长"),
    ("李永红", "Li Yonghong", "生态环境部国际合作司司长"), ("英格·安德森", "Inger Andersen", "联合国环境规划署执行主任"),
    ("马军", "Ma Jun", "公众环境研究中心主任"), ("张洁清", "Zhang Jieqing", "中心副主任"),
    ("阿希姆·施泰纳", "Achim Steiner", "联合国开发计划署署长"), ("王金南", "Wang Jinnan", "中国工程院院士"),
    ("杨晓华", "Yang Xiaohua", "研究员"), ("马克·莱恩", "Mark Lane", "世界资源研究所高级顾问"),
)
# section -> (kind weights, English section label)
SECTIONS: dict[str, tuple[dict[str, int], str]] = {
    "绿色丝路新闻": ({"news": 1}, "Green Silk Road news"),
    "联盟动态": ({"news": 4, "event": 1}, "Coalition news"),
    "活动预告": ({"event": 1}, "Upcoming events"),
    "专题工作进展": ({"report": 3, "news": 1}, "Thematic work"),
    "观点与动态": ({"quote": 4, "news": 1}, "Views and trends"),
}
SECTION_WEIGHTS = {"绿色丝路新闻": 10, "联盟动态": 8, "活动预告": 3, "专题工作进展": 4, "观点与动态": 5}

EVENTS: tuple[tuple[str, str], ...] = (
    ("专题研讨会", "workshop"), ("圆桌对话会", "roundtable"), ("高级别论坛", "high-level forum"),
    ("培训班", "training course"), ("视频会议", "video conference"), ("边会", "side event"),
    ("启动会", "launch meeting"), ("座谈会", "symposium"), ("政策对话会", "policy dialogue"),
    ("技术交流会", "technical exchange"), ("年度会议", "partners meeting"), ("联合调研", "joint field study"),
)
PROJECTS: tuple[tuple[str, str], ...] = (
    ("卡洛特水电站", "Karot hydropower station"), ("中老铁路", "China-Laos Railway"),
    ("蒙内铁路", "Mombasa-Nairobi Railway"), ("吉布提港", "Port of Djibouti"), ("比雷埃夫斯港", "Piraeus port"),
    ("努尔光伏电站", "Noor solar plant"), ("瓜达尔港", "Gwadar port"), ("雅万高铁", "Jakarta-Bandung railway"),
    ("阿斯旺风电场", "Aswan wind farm"), ("西哈努克港经济特区", "Sihanoukville SEZ"),
    ("中巴经济走廊", "China-Pakistan Economic Corridor"), ("澜湄合作", "Lancang-Mekong Cooperation"),
    ("中欧班列", "China-Europe Railway Express"), ("昆明生物多样性基金", "Kunming Biodiversity Fund"),
)
VERBS_ZH = ("推动", "加强", "深化", "促进", "支持", "拓展", "推进", "落实")
ADJ_ZH = ("务实", "全方位", "多层次", "长期", "互利共赢的", "高水平", "更加紧密的")
ZH_SENTENCES = (
    "{date_zh}，{org}在{place}举办{topic}{event}，来自{country}等国家的{n}余位代表参加会议。",
    "会议围绕共建绿色“一带一路”和{topic2}展开交流，探讨{verb}{adj}合作的路径。",
    "与会代表认为，{topic}是推动“一带一路”高质量发展的重要内容。",
    "{org}发布《{topic}进展报告》，系统梳理了{country}在{topic2}领域的政策与实践。",
    "报告指出，{country}已启动{n}个{topic}示范项目，总投资约{m}亿元。",
    "双方签署了关于{topic}的合作备忘录，将在{topic2}、信息共享和人员培训等方面开展{adj}合作。",
    "{org}负责人表示，将继续{verb}共建国家提升{topic}能力。",
    "活动期间还发布了{topic2}案例集，收录了{n}个典型案例。",
    "据介绍，{project}建成后每年可减少二氧化碳排放约{m}万吨。",
    "此次{event}是联盟{topic}专题伙伴关系的重要活动，各合作伙伴交流了工作进展。",
    "{project}项目组介绍了在{topic2}方面的做法，当地社区参与度明显提高。",
    "{country}环境部门代表介绍了本国{topic}立法进展和{m}项配套标准。",
    "专家建议，在项目规划阶段开展{topic2}评估，{verb}信息公开和公众参与。",
    "下一步，{org}将与{country}合作伙伴共同编制{topic}指南，预计于{year}年发布。",
    "统计显示，{year}年{country}{topic2}相关投资同比增长{pct}%。",
    "{place}市与{country}有关城市结为{topic}合作伙伴，{verb}经验互鉴。",
    "会上，{n}家企业代表作了发言，分享了{project}在{topic}方面的经验。",
    "培训内容涵盖{topic}、{topic2}和项目融资等，共有{n}名学员结业。",
)
ZH_QUOTES = (
    "{speaker_zh}表示：“{topic}需要各国共同努力，{verb}政策对话和经验分享。”",
    "“我们愿与各方一道，{verb}{topic2}领域合作走深走实。”{speaker_zh}说。",
    "{speaker_zh}指出，{project}的实践说明，{topic}与经济发展可以相互促进。",
)
EN_SENTENCES = (
    "On {date_en}, {org_en} held a {event_en} on {topic_en} in {place_en}, with {n} participants from "
    "{country_en} and other countries.",
    "Participants discussed green Belt and Road cooperation and {topic2_en}.",
    "{org_en} released a report on {topic_en}, reviewing policies in {country_en} on {topic2_en}.",
    "The report finds that {country_en} has launched {n} {topic_en} pilot projects worth {m} million dollars.",
    "The two sides signed a memorandum of understanding on {topic_en} covering {topic2_en} and training.",
    "Once completed, the {project_en} is expected to cut emissions by {m} thousand tonnes a year.",
    "The {event_en} was part of the Coalition's partnership on {topic_en}.",
    "Partners agreed that {topic_en} is central to high-quality Belt and Road cooperation.",
    "Officials from {country_en} presented {m} new standards on {topic2_en}.",
    "Experts recommended assessing {topic2_en} early in project planning and publishing the results.",
    "Investment linked to {topic2_en} in {country_en} grew by {pct}% in {year}.",
    "Company representatives shared lessons from the {project_en} on {topic_en}.",
    "A guide on {topic_en} will be published with partners in {country_en} in {year}.",
    "The course covered {topic_en}, {topic2_en} and project finance; {n} trainees completed it.",
)
EN_QUOTES = (
    "\"{topic_en} needs joint effort, policy dialogue and shared experience,\" said {speaker_en}.",
    "{speaker_en} said the Coalition would deepen cooperation on {topic2_en} with partners.",
    "According to {speaker_en}, the {project_en} shows that {topic_en} and growth can go together.",
)
ZH_TITLES = ("{org}在{place}召开{topic}{event}", "{topic}合作项目在{country}启动", "《{topic}进展报告》发布",
             "{speaker_zh}：深化{topic}合作", "{topic2}专题伙伴关系年度会议将于{place}召开")
EN_TITLES = ("{org_en} holds {topic_en} {event_en} in {place_en}", "{topic_en} project launched in {country_en}",
             "Report on {topic_en} released", "{speaker_en}: deepen cooperation on {topic_en}",
             "{topic2_en} partnership to meet in {place_en}")


@dataclass(frozen=True)
class BenchQuery:
    """One latency query: its text, language mix and length class."""

    text: str
    lang: str  # zh, en or mixed
    length: str  # short or long


QUERIES: tuple[BenchQuery, ...] = tuple(BenchQuery(t, lang, length) for t, lang, length in (
    ("一带一路", "zh", "short"), ("绿色", "zh", "short"), ("合作", "zh", "short"), ("绿色金融", "zh", "short"),
    ("生物多样性", "zh", "short"), ("绿色航运", "zh", "short"), ("红树林", "zh", "short"), ("蓝碳", "zh", "short"),
    ("荒漠化防治", "zh", "short"), ("煤电退出", "zh", "short"), ("碳市场 试点", "zh", "short"),
    ("光伏发电 巴基斯坦", "zh", "short"), ("周国梅", "zh", "short"), ("\"绿色发展\"", "zh", "short"),
    ("联盟秘书处 奥斯陆 海洋治理 伙伴关系", "zh", "long"),
    ("共建绿色一带一路 高质量发展 清洁能源 合作项目", "zh", "long"),
    ("生态环境部 发布 环境影响评价 报告 共建国家", "zh", "long"),
    ("绿色债券 绿色投资 丝路基金 亚洲基础设施投资银行", "zh", "long"),
    ("如何在共建国家推广可再生能源和电动汽车", "zh", "long"),
    ("湿地保护 红树林 蓝碳 生态修复 东南亚", "zh", "long"),
    ("green finance", "en", "short"), ("biodiversity", "en", "short"), ("green shipping", "en", "short"),
    ("coal phase-out", "en", "short"), ("Erik Solheim", "en", "short"), ("solar power Pakistan", "en", "short"),
    ("mangrove", "en", "short"), ("green hydrogen", "en", "short"), ("Belt and Road", "en", "short"),
    ("cooperation", "en", "short"),
    ("what did partners say about ocean governance and blue carbon", "en", "long"),
    ("workshop on environmental impact assessment in Southeast Asia", "en", "long"),
    ("memorandum of understanding on renewable energy and capacity building", "en", "long"),
    ("report on green bonds and green investment by the Silk Road Fund", "en", "long"),
    ("carbon markets methane reduction climate adaptation Africa", "en", "long"),
    ("绿色 shipping", "mixed", "short"), ("UNEP 生物多样性", "mixed", "short"), ("AIIB 绿色投资", "mixed", "short"),
    ("Kunming 昆明 biodiversity 生物多样性 COP15", "mixed", "long"),
    ("一带一路 green development coalition 年度会议", "mixed", "long"),
))


def _zipf_choice(rng: random.Random, options: tuple, exponent: float = 1.0):
    weights = [1 / (rank + 1) ** exponent for rank in range(len(options))]
    return rng.choices(options, weights=weights)[0]


def _slots(rng: random.Random, day: date) -> dict[str, str]:
    topic, topic2 = _zipf_choice(rng, TOPICS), _zipf_choice(rng, TOPICS)
    org, place, country = rng.choice(ORGS), rng.choice(PLACES), rng.choice(COUNTRIES)
    speaker = _zipf_choice(rng, SPEAKERS, 0.7)
    event, project = rng.choice(EVENTS), rng.choice(PROJECTS)
    return {
        "event": event[0], "event_en": event[1], "project": project[0], "project_en": project[1],
        "verb": rng.choice(VERBS_ZH), "adj": rng.choice(ADJ_ZH), "year": str(day.year + rng.randint(0, 2)),
        "pct": str(rng.randint(3, 60)),
        "topic": topic[0], "topic_en": topic[1], "topic2": topic2[0], "topic2_en": topic2[1],
        "org": org[0], "org_en": org[1], "place": place[0], "place_en": place[1],
        "country": country[0], "country_en": country[1], "speaker_zh": speaker[0], "speaker_en": speaker[1],
        "speaker_title": speaker[2], "n": str(rng.randint(3, 300)), "m": str(rng.randint(2, 900)),
        "date_zh": f"{day.year}年{day.month}月{day.day}日", "date_en": day.strftime("%d %B %Y").lstrip("0"),
    }


def _text(rng: random.Random, slots: dict[str, str], lang: str, quote: bool) -> str:
    pool, quotes = (ZH_SENTENCES, ZH_QUOTES) if lang == "zh" else (EN_SENTENCES, EN_QUOTES)
    sentences = [rng.choice(quotes).format(**slots)] if quote else []
    order = rng.sample(range(len(pool)), len(pool))
    joiner = "" if lang == "zh" else " "
    for index in order:
        if len(joiner.join(sentences)) >= TARGET_CHARS:
            break
        sentences.append(pool[index].format(**slots))
    return joiner.join(s if lang == "zh" else _capital(s) for s in sentences)


def _capital(sentence: str) -> str:
    head = 1 if sentence.startswith('"') else 0
    return sentence[:head] + sentence[head : head + 1].upper() + sentence[head + 1 :]


def bulletin_date(bulletin: int) -> date:
    """Issue date of bulletin number ``bulletin``: one issue every ~4 days from 2017 on."""
    return FIRST_ISSUE + timedelta(days=4 * (bulletin % 2000) + 3 * (bulletin // 2000))


def bulletin_lang(seed: int, bulletin: int) -> str:
    return "en" if random.Random(f"{seed}:lang:{bulletin}").random() < EN_BULLETIN_RATE else "zh"


def _story(seed: int, bulletin: int, position: int) -> tuple[int, int]:
    """The (bulletin, position) whose story this item tells: itself, or rarely an earlier bulletin's."""
    rng = random.Random(f"{seed}:dup:{bulletin}:{position}")
    if bulletin > 0 and rng.random() < DUPLICATE_RATE:
        return rng.randrange(max(0, bulletin - 50), bulletin), rng.randrange(ITEMS_PER_BULLETIN)
    return bulletin, position


def make_item(seed: int, bulletin: int, position: int, issue: date | None = None) -> Item:
    """Item ``position`` of bulletin ``bulletin`` (deterministic in its arguments; ``issue`` overrides the
    bulletin's issue date)."""
    story_b, story_p = _story(seed, bulletin, position)
    rng = random.Random(f"{seed}:item:{story_b}:{story_p}")
    issue = issue or bulletin_date(bulletin)
    lang = bulletin_lang(seed, story_b)
    if rng.random() < OTHER_LANG_ITEM_RATE:
        lang = "en" if lang == "zh" else "zh"
    section = rng.choices(list(SECTION_WEIGHTS), weights=list(SECTION_WEIGHTS.values()))[0]
    kinds, section_en = SECTIONS[section]
    kind = rng.choices(list(kinds), weights=list(kinds.values()))[0]
    day = issue - timedelta(days=rng.randint(1, 30))
    slots = _slots(rng, day)
    quote = kind == "quote"
    title = rng.choice(ZH_TITLES if lang == "zh" else EN_TITLES).format(**slots)
    title = title if lang == "zh" else _capital(title)
    source = rng.choice(SOURCES)
    return Item(
        id=f"gen-{bulletin:06d}-{position:02d}", bulletin_id=bulletin_id(bulletin), kind=kind, title=title,
        text=_text(rng, slots, lang, quote), section=section if lang == "zh" else section_en,
        date=day.isoformat(), date_end=(day + timedelta(days=2)).isoformat() if kind == "event" else "",
        source=source[0] if lang == "zh" else source[1],
        speaker=(slots["speaker_zh"] if lang == "zh" else slots["speaker_en"]) if quote else "",
        speaker_title=slots["speaker_title"] if quote and lang == "zh" else "",
        place=slots["place"] if lang == "zh" else slots["place_en"], lang=lang, position=position,
    )


def bulletin_id(bulletin: int) -> str:
    return f"gen-{bulletin:06d}"


def bulletin_items(seed: int, bulletin: int, issue: date | None = None) -> list[Item]:
    return [make_item(seed, bulletin, p, issue) for p in range(ITEMS_PER_BULLETIN)]


def next_issue(bulletins: int) -> date:
    """An issue date after every issue of bulletins ``0..bulletins-1`` and all their items' dates
    (their dates wrap every 2000 bulletins, so bulletin number ``bulletins`` itself may be older)."""
    return max(bulletin_date(b) for b in range(bulletins)) + timedelta(days=40) if bulletins else FIRST_ISSUE


def generate(n_items: int, seed: int = 7, first_bulletin: int = 0) -> Iterator[Item]:
    """The first ``n_items`` items (bulletins of 30, from ``first_bulletin``)."""
    for index in range(n_items):
        bulletin, position = divmod(index, ITEMS_PER_BULLETIN)
        yield make_item(seed, first_bulletin + bulletin, position)


_FILE_FIELDS = ("id", "kind", "title", "text", "section", "date", "date_end", "source", "speaker",
                "speaker_title", "place", "lang")


def write_bulletin(folder: Path, items: list[Item]) -> Path:
    """Write one bulletin's items as ``<bulletin id>.jsonl`` (Item field names; empty fields left out)."""
    path = folder / f"{items[0].bulletin_id}.jsonl"
    lines = [json.dumps({k: getattr(it, k) for k in _FILE_FIELDS if getattr(it, k)}, ensure_ascii=False)
             for it in items]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_corpus(folder: Path, n_items: int, seed: int = 7, first_bulletin: int = 0) -> list[Path]:
    """Write ``n_items`` items as .jsonl bulletins of 30 items into ``folder`` (created if needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths, batch = [], []
    for item in generate(n_items, seed, first_bulletin):
        if batch and item.bulletin_id != batch[0].bulletin_id:
            paths.append(write_bulletin(folder, batch))
            batch = []
        batch.append(item)
    if batch:
        paths.append(write_bulletin(folder, batch))
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="folder to write .jsonl bulletins into")
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--first-bulletin", type=int, default=0)
    args = parser.parse_args(argv)
    paths = write_corpus(args.out, args.items, args.seed, args.first_bulletin)
    print(f"wrote {args.items} items in {len(paths)} bulletins to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
