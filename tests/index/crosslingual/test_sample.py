"""On the real sample bulletin: every quoted speaker is found from the English form of the name (keyword mode)."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.api import read
from index.crosslingual.dictionary import load_dictionary
from index.crosslingual.names import mine_pairs, name_table
from index.crosslingual.translate import Translator
from index.keyword.engine import KeywordIndex
from index.keyword.glossary import default_glossary
from tests.paths import SAMPLE

SPEAKERS = {"赫尔格森": "Helgesen", "索尔海姆": "Erik Solheim", "兰博蒂尼": "Lambertini", "范威斯": "van Wees",
            "王菊英": "Wang Juying", "魏恩希": "Antha Williams", "施瓦布": "Schwaab", "李永红": "Li Yonghong",
            "艾瑞民": "Remi Eriksen"}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[KeywordIndex, Translator, list]:
    items = read(SAMPLE).items
    keyword = KeywordIndex.create(Path(tmp_path_factory.mktemp("xl")) / "kw", items, glossary=default_glossary())
    names = name_table(mine_pairs(items, load_dictionary().romanise), keyword.glossary)
    return keyword, Translator(keyword, keyword.glossary, names), items


def test_the_nine_speakers_are_all_covered(sample: tuple) -> None:
    quoted = {item.speaker for item in sample[2] if item.kind == "quote"}
    assert quoted == set(SPEAKERS)


@pytest.mark.parametrize("zh,en", sorted(SPEAKERS.items()))
def test_speaker_found_from_english_name(sample: tuple, zh: str, en: str) -> None:
    keyword, translator, items = sample
    by_id = {item.id: item for item in items}
    hits = keyword.search(en, 3, None, translator.translate(en).renderings).hits
    assert any(by_id[item_id].speaker == zh for item_id, _ in hits), (en, hits)


def test_english_topic_finds_the_chinese_item(sample: tuple) -> None:
    keyword, translator, items = sample
    by_id = {item.id: item for item in items}
    query = "traffic light classification"
    hits = keyword.search(query, 3, None, translator.translate(query).renderings).hits
    assert hits and "交通灯" in by_id[hits[0][0]].text
    assert keyword.search(query, 3).hits == [] or hits != keyword.search(query, 3).hits
