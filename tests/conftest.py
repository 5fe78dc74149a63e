"""Shared fixtures. Keep this file small; add fixtures, do not rewrite others'."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.paths import ROOT

# How fast hypothesis makes examples depends on the machine and on whether its Unicode tables are cached yet (a
# fresh checkout builds them in the first text strategy: ~1.5 s), not on our code: that one health check is off.
settings.register_profile("archive", suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("archive")

# English bulletins beside the Chinese sample, for the app tests: a language to filter on, an item full
# of markup that must be shown as text (never run as HTML or Markdown), and a repeated story.
UI_EXTRA_ITEMS = [
    {"id": "en-ports-green-corridor", "kind": "news", "section": "Shipping", "date": "2019-12-05",
     "source": "Harbour Weekly", "lang": "en", "title": "Ports sign a green shipping corridor pledge",
     "text": "Five ports signed a pledge to build a green shipping corridor with low-carbon fuels and "
             "shore power for ships at berth by 2030."},
    {"id": "en-markup-probe", "kind": "news", "section": "Tests", "date": "2019-12-06",
     "source": "<i>Probe</i> Desk", "lang": "en",
     "title": "<script>window.__pwned = 1</script> **not bold** [click](javascript:alert(1))",
     "text": "Markup probe: <b>not bold</b> <img src=x onerror=\"window.__pwned=2\"> *not italic* "
             "costs US$ 5 and US$ 6 :red[not red] for the harbour cleanup."},
]


@pytest.fixture(scope="session")
def ui_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Index root built once per session (real default model) from the sample plus UI_EXTRA_ITEMS."""
    from index.build.builder import build

    base = tmp_path_factory.mktemp("ui")
    data = base / "data"
    shutil.copytree(ROOT / "data" / "bulletins", data)
    lines = "\n".join(json.dumps(item, ensure_ascii=False) for item in UI_EXTRA_ITEMS)
    (data / "harbour-weekly-2019-12.jsonl").write_text(lines + "\n", encoding="utf-8")
    (data / "harbour-weekly-2019-12.meta.toml").write_text(
        'title = "Harbour Weekly, December 2019"\npublisher = "Harbour Desk"\nlanguage = "en"\n'
        'date = "2019-12-07"\nissue = "48"\n', encoding="utf-8")
    # The next issue repeats the corridor story: a near-duplicate the app collapses under the first.
    repeat = UI_EXTRA_ITEMS[0] | {"id": "en-ports-green-corridor-repeat", "date": "2020-01-08"}
    (data / "harbour-weekly-2020-01.jsonl").write_text(json.dumps(repeat) + "\n", encoding="utf-8")
    (data / "harbour-weekly-2020-01.meta.toml").write_text(
        'title = "Harbour Weekly, January 2020"\nlanguage = "en"\ndate = "2020-01-10"\n', encoding="utf-8")
    report = build(data, base / "index")
    assert not report.errors, report.errors
    return base / "index"


@pytest.fixture
def deferred(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """Captures the download buttons' deferred data callables by file name."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    captured: dict[str, object] = {}
    original = MediaFileManager.add_deferred

    def spy(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        captured[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    return captured
