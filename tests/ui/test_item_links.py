"""The item view links a bilingual page's items to each other and says when text was read by OCR (AppTest,
a small real index built with the default model)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from index.build.builder import build
from tests.paths import ROOT

pytestmark = pytest.mark.slow

ITEMS = [
    {"id": "zh-oslo", "kind": "news", "lang": "zh", "date": "2019-11-06", "title": "海洋伙伴关系在奥斯陆启动",
     "text": "2019年10月24日，海洋命运共同体和海洋环境治理专题伙伴关系在挪威奥斯陆启动。"},
    {"id": "en-oslo", "kind": "news", "lang": "en", "date": "2019-11-06", "translation_of": "zh-oslo",
     "title": "Ocean partnership launched in Oslo",
     "text": "On 24 October 2019 the partnership on ocean governance was launched in Oslo, Norway."},
    {"id": "zh-scan", "kind": "news", "lang": "zh", "date": "2019-11-07", "ocr": True, "title": "扫描简报中的新闻",
     "text": "2019年11月7日，联盟秘书处在北京召开座谈会，讨论绿色航运与港口减排。"},
]


@pytest.fixture(scope="module")
def links_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    base = tmp_path_factory.mktemp("links")
    data = base / "data"
    data.mkdir()
    (data / "pages-2019-11.jsonl").write_text("\n".join(json.dumps(it, ensure_ascii=False) for it in ITEMS) + "\n",
                                              encoding="utf-8")
    report = build(data, base / "index")
    assert not report.errors, report.errors
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BULLETINS_INDEX", str(base / "index"))
        mp.delenv("BULLETINS_ADMIN", raising=False)
        yield base / "index"


def open_item(item_id: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["item"] = item_id
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_original_lists_its_translation_and_the_translation_links_back(links_index: Path) -> None:
    at = open_item("zh-oslo")
    assert "译文" in [c.value for c in at.caption]
    at.button(key="translation-en-oslo").click().run()
    assert at.query_params["item"] == "en-oslo" and at.subheader[0].value == "Ocean partnership launched in Oslo"
    assert "原文" in [c.value for c in at.caption]
    at.button(key="original-zh-oslo").click().run()
    assert at.query_params["item"] == "zh-oslo"


def test_ocr_items_say_so_and_others_do_not(links_index: Path) -> None:
    meta = "\n".join(m.value for m in open_item("zh-scan").markdown)
    assert "**文字来源**: 扫描件文字识别（OCR），可能有误" in meta
    assert "文字来源" not in "\n".join(m.value for m in open_item("zh-oslo").markdown)
