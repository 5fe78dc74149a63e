"""Near-duplicates across bulletins and id stability."""

from __future__ import annotations

from pathlib import Path

import archive
from archive.dedupe.keys import shingles, similarity

STORY = ("2019年11月6日，中国国家主席习近平在人民大会堂同法国总统马克龙会谈。习近平强调，中方愿同法方聚焦六大目标，"
         "推动共建“一带一路”倡议同欧盟欧亚互联互通战略对接。")
OTHER = "2019年11月8日，绿色航运对话在北京举行，来自十个国家的专家讨论了绿色港口和低碳航运。"


def _write(folder: Path, name: str, body: str, date: str) -> None:
    (folder / f"{name}.txt").write_text(f"绿色丝路新闻\n\n{body}\n\n（来源：新华网）\n", encoding="utf-8")
    (folder / f"{name}.meta.toml").write_text(f'date = "{date}"\n', encoding="utf-8")


def test_same_story_in_two_issues(tmp_path: Path) -> None:
    # the later issue sorts first by name; the earlier bulletin date decides which is the original
    _write(tmp_path, "a-december", STORY.replace("。习近平强调", "。国家主席习近平强调"), "2019-12-01")
    _write(tmp_path, "b-november", STORY, "2019-11-15")
    _write(tmp_path, "c-other", OTHER, "2019-11-20")
    result = archive.read_dir(tmp_path)
    by_bulletin = {f.bulletin.id: f.items for f in result.files}
    original = by_bulletin["b-november"][0]
    assert original.duplicate_of == ""
    assert by_bulletin["a-december"][0].duplicate_of == original.id
    assert by_bulletin["c-other"][0].duplicate_of == ""


def test_three_copies_point_at_the_first(tmp_path: Path) -> None:
    for name, date in (("x1", "2019-11-01"), ("x2", "2019-11-02"), ("x3", "2019-11-03")):
        _write(tmp_path, name, STORY, date)
    items = archive.read_dir(tmp_path).items
    assert [it.duplicate_of for it in items] == ["", items[0].id, items[0].id]


def test_similarity_measure() -> None:
    assert similarity(shingles(STORY), shingles(STORY)) == 1.0
    assert similarity(shingles(STORY), shingles(STORY[:40])) < 0.8
    assert similarity(shingles(STORY), shingles(OTHER)) < 0.2
    assert similarity(set(), shingles(OTHER)) == 0.0
