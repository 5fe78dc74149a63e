"""A tiny bilingual corpus as structured .jsonl bulletins, for build and search tests."""

from __future__ import annotations

import json
from pathlib import Path

B1 = [
    {"id": "b1-ship", "kind": "quote", "section": "观点与动态", "title": "索尔海姆：绿色航运",
     "text": "对于海上丝绸之路的绿色化，建议关注绿色港口、绿色航运、循环经济和海洋生物多样性保护。",
     "speaker": "索尔海姆", "speaker_title": "联盟咨询委员会主任委员", "date": "2019-10-23"},
    {"id": "b1-macron", "kind": "news", "section": "绿色丝路新闻", "title": "习近平会见马克龙",
     "text": "2019年11月6日，习近平同法国总统马克龙会谈，共建绿色“一带一路”。", "source": "新华网",
     "date": "2019-11-06"},
    {"id": "b1-finance", "kind": "report", "section": "专题工作进展", "title": "融合投融资规则报告发布",
     "text": "报告提炼了“一带一路”投融资规则框架，涉及绿色金融与债务可持续。", "source": "中国一带一路网",
     "date": "2019-11-06"},
    {"id": "b1-event", "kind": "event", "section": "活动预告", "title": "联盟年度交流会将在深圳召开",
     "text": "联盟合作伙伴年度交流会将于2019年12月2-3日在深圳召开。", "date": "2019-12-02",
     "date_end": "2019-12-03", "place": "深圳"},
]
B2 = [
    {"id": "b2-ocean", "kind": "news", "section": "News", "title": "Ocean partnership launched in Oslo",
     "text": "The coalition launched an ocean governance partnership in Oslo, Norway.", "source": "Xinhua",
     "date": "2019-10-23", "lang": "en"},
    {"id": "b2-solar", "kind": "news", "section": "News", "title": "Solar power plant opens in Kenya",
     "text": "A large solar power plant started supplying clean electricity to the grid.", "date": "2020-03-01",
     "lang": "en"},
    {"id": "b2-dup", "kind": "news", "section": "News", "title": "Xi meets Macron (repeat)",
     "text": "2019年11月6日，习近平同法国总统马克龙会谈，共建绿色“一带一路”。", "source": "新华网",
     "date": "2019-11-06"},
]


def write_bulletin(folder: Path, name: str, rows: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.jsonl"
    lines = [json.dumps(row | {"bulletin_id": name}, ensure_ascii=False) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_corpus(folder: Path) -> Path:
    write_bulletin(folder, "b1", B1)
    write_bulletin(folder, "b2", B2)
    return folder
