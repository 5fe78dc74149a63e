"""The live archive in the app (``BULLETINS_WATCH=1``), driven with AppTest over a copy of the UI test index
(real default model): a new build shows on the next run with the notice, in 中文 and English; a file that
could not be read is named; without watch mode nothing of it is drawn. The browser test
(tests/ui/test_live_browser.py) covers the polling without any interaction.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import archive
from index.build.builder import build
from tests.paths import CORPUS, ROOT
from ui.i18n import arrival_notice

APP = str(ROOT / "app.py")
pytestmark = pytest.mark.slow
NEW = CORPUS / "brigc-2020-06.txt"  # June 2020: after every bulletin of the UI index (the append path)


@pytest.fixture
def live(ui_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    data, index = tmp_path / "data", tmp_path / "index"
    shutil.copytree(ui_index.parent / "data", data)
    shutil.copytree(ui_index, index)
    monkeypatch.setenv("BULLETINS_DATA", str(data))
    monkeypatch.setenv("BULLETINS_INDEX", str(index))
    monkeypatch.setenv("BULLETINS_WATCH", "1")
    return data, index


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_new_build_shows_with_a_notice_then_a_bad_file_is_named(live: tuple[Path, Path]) -> None:
    data, index = live
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"q": '"世界环境日"', "mode": "keyword"})
    _run(at)
    assert [i.value for i in at.info] == ["没有找到与“\\\"世界环境日\\\"”相符的结果。"]  # st.info of no results

    shutil.copy(NEW, data / NEW.name)
    report = build(data, index)
    assert report.mode == "append"
    items = len(archive.read(data / NEW.name).items)
    _run(at)
    [notice] = [i.value for i in at.info]
    assert notice.startswith(f"新到 1 期简报，共 {items} 条") and "简报：" in notice
    assert any(b.key and b.key.startswith("open-") for b in at.button), "the new item is among the results"

    at.sidebar.radio(key="ui").set_value("en")
    _run(at)
    assert [i.value for i in at.info][0].startswith(f"1 new bulletin, {items} items")

    (data / "broken.txt").write_bytes(b"\x00\x01binary\xff" * 40)
    assert build(data, index).errors
    _run(at)
    [warning] = [w.value for w in at.warning]
    assert warning.replace("\\", "") == "Could not be read: broken.txt: file looks binary, not text (NUL bytes)"


def test_without_watch_mode_nothing_is_drawn(live: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    data, index = live
    monkeypatch.delenv("BULLETINS_WATCH")
    at = _run(AppTest.from_file(APP, default_timeout=60))
    shutil.copy(NEW, data / NEW.name)
    build(data, index)
    _run(at)
    assert not [i for i in at.info if "简报" in i.value]


def test_the_notice_in_both_languages() -> None:
    assert arrival_notice(1, 0, 23, "en") == "1 new bulletin, 23 items"
    assert arrival_notice(1, 0, 23, "zh") == "新到 1 期简报，共 23 条"
    assert arrival_notice(2, 1, 1, "en") == "2 new bulletins, 1 bulletin updated, 1 item"
    assert arrival_notice(0, 2, 5, "zh") == "更新 2 期简报，共 5 条"
    assert arrival_notice(0, 0, 0, "en") == ""
