"""The name table stored with a build: written by full and appended builds, the very pairs mining finds, read by
the searcher's translator instead of mining; builds without it (older ones) are mined as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive.model import Item
from index.build.builder import build
from index.crosslingual import names
from index.crosslingual.dictionary import load_dictionary
from index.crosslingual.names import NAMES_FILE, NameCounts, mine_pairs, read_names, write_names
from index.engines import open_archive
from index.store.folder import IndexStore
from tests.corpus_small import write_bulletin
from tests.fakes import FakeEncoder

BULLETINS = {
    "names-2019-01": [
        {"id": "n1", "kind": "news", "title": "索尔海姆（Erik Solheim）访问深圳", "date": "2019-01-05",
         "text": "联合国环境署前执行主任索尔海姆（Erik Solheim）表示，绿色航运大有可为。"},
        {"id": "n2", "kind": "quote", "title": "王菊英：海洋治理", "speaker": "王菊英", "date": "2019-01-06",
         "text": "海洋治理需要各方合作。"},
        {"id": "n3", "kind": "news", "title": "绿色航运", "speaker": "王菊英", "date": "2019-01-07",
         "text": "绿色航运走廊建设。"},
        {"id": "n3-en", "kind": "news", "title": "Green shipping", "speaker": "Wang Juying", "lang": "en",
         "translation_of": "n3", "date": "2019-01-07", "text": "Building green shipping corridors."},
    ],
    "names-2019-02": [
        {"id": "m1", "kind": "news", "title": "兰博蒂尼（Marco Lambertini）谈生物多样性", "date": "2019-02-03",
         "text": "世界自然基金会的兰博蒂尼（Marco Lambertini）与索尔海姆（Erik Solheim）会面。"},
        {"id": "m2", "kind": "quote", "title": "李永红：绿色金融", "speaker": "李永红", "date": "2019-02-04",
         "text": "绿色金融支持低碳转型。"},
        {"id": "m3", "kind": "news", "title": "生态银行", "speaker": "李永红", "date": "2019-02-05",
         "text": "生态银行试点。"},
        {"id": "m3-en", "kind": "news", "title": "Ecological banks", "speaker": "Li Yonghong", "lang": "en",
         "translation_of": "m3", "date": "2019-02-05", "text": "Ecological bank pilots."},
    ],
    "names-2019-03": [
        {"id": "k1", "kind": "news", "title": "Erik Solheim (索尔海姆) in Oslo", "lang": "en", "date": "2019-03-02",
         "text": "Erik Solheim (索尔海姆) met Marco Lambertini (兰博蒂尼) to discuss ocean governance."},
        {"id": "k2", "kind": "quote", "title": "王菊英：蓝色经济", "speaker": "王菊英", "date": "2019-03-03",
         "text": "蓝色经济前景广阔。"},
    ],
}
ROMANISE = load_dictionary().romanise


def _build(data: Path, index: Path, *names_: str) -> str:
    for name in names_:
        write_bulletin(data, name, BULLETINS[name])
    report = build(data, index, encoder=FakeEncoder())
    assert not report.errors, report.errors
    return report.mode


def _current(index: Path) -> Path:
    return IndexStore(index).require_current()


def _items(index: Path) -> tuple[Item, ...]:
    searcher = open_archive(index, encoder=FakeEncoder())
    items = searcher.engine.table.items
    searcher.close()
    return items


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("names-full")
    assert _build(base / "data", base / "index", *BULLETINS) == "full"
    return base / "index"


@pytest.fixture(scope="module")
def appended(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("names-append")
    modes = [_build(base / "data", base / "index", name) for name in BULLETINS]
    assert modes == ["full", "append", "append"]
    return base / "index"


def test_full_build_stores_the_pairs_mining_finds(full: Path) -> None:
    stored = read_names(_current(full))
    assert stored is not None
    pairs = stored.pairs(ROMANISE)
    assert pairs == mine_pairs(_items(full), ROMANISE)
    found = {(p.zh, p.en, p.source) for p in pairs}
    assert {("索尔海姆", "Erik Solheim", "text"), ("兰博蒂尼", "Marco Lambertini", "text")} <= found
    assert ("王菊英", "Wang Juying", "bilingual") in found or ("王菊英", "Wang Juying", "speaker") in found
    assert ("李永红", "Li Yonghong", "bilingual") in found
    solheim = next(p for p in pairs if p.zh == "索尔海姆")
    assert solheim.count == 3  # n1's title and k1's title and text (in running text the Chinese side runs on)


def test_appended_builds_give_the_same_pairs_as_mining(appended: Path, full: Path) -> None:
    stored = read_names(_current(appended))
    assert stored is not None
    items = _items(appended)
    assert stored.pairs(ROMANISE) == mine_pairs(items, ROMANISE)
    assert stored.pairs(ROMANISE) == read_names(_current(full)).pairs(ROMANISE)
    assert stored.speakers == {"王菊英", "李永红"}


def test_merging_counts_is_mining_both(full: Path) -> None:
    items = list(_items(full))
    first, later = items[:5], items[5:]
    merged = NameCounts.mine(first).merged(NameCounts.mine(later))
    assert merged == NameCounts.mine(items)
    assert merged.pairs(ROMANISE) == mine_pairs(items, ROMANISE)


def test_translator_reads_the_stored_table(full: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _current(full)
    counts = read_names(folder)
    counts.text[("测试者", "Testa Person")] = 3  # only in the file: proves the translator reads it
    backup = (folder / NAMES_FILE).read_text(encoding="utf-8")
    (folder / NAMES_FILE).write_text(json.dumps(counts.to_json(), ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(NameCounts, "mine", classmethod(lambda cls, items: pytest.fail("mined although stored")))
    try:
        searcher = open_archive(full, encoder=FakeEncoder())
        translation = searcher.translator.translate("Testa Person")
        assert ("测试者", "testa person") in translation.glosses
        assert searcher.translator.translate("Marco Lambertini").spans == 1  # one name span
        searcher.close()
    finally:
        (folder / NAMES_FILE).write_text(backup, encoding="utf-8")


def test_build_without_the_file_is_mined(full: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    folder = _current(full)
    with_file = open_archive(full, encoder=FakeEncoder()).translator.translate("Marco Lambertini")
    backup = folder / NAMES_FILE
    moved = backup.rename(tmp_path / NAMES_FILE)
    mined: list[int] = []
    original = NameCounts.mine.__func__

    def spy(cls: type[NameCounts], items: object) -> NameCounts:
        mined.append(1)
        return original(cls, items)

    monkeypatch.setattr(NameCounts, "mine", classmethod(spy))
    try:
        without = open_archive(full, encoder=FakeEncoder()).translator.translate("Marco Lambertini")
        assert mined and without == with_file and without.glosses
    finally:
        moved.rename(backup)


def test_append_to_a_build_without_the_file(tmp_path: Path) -> None:
    data, index = tmp_path / "data", tmp_path / "index"
    _build(data, index, "names-2019-01", "names-2019-02")
    (_current(index) / NAMES_FILE).unlink()  # as built before the name table was stored
    assert _build(data, index, "names-2019-03") == "append"
    assert not (_current(index) / NAMES_FILE).exists()  # nothing to carry over: mined at open instead
    translation = open_archive(index, encoder=FakeEncoder()).translator.translate("Erik Solheim")
    assert ("索尔海姆", "erik solheim") in translation.glosses


@pytest.mark.parametrize("content", ["not json", '{"fingerprint": "older rules", "text": [], "bilingual": [], '
                                                 '"speakers": []}', '{"fingerprint": "%s"}'])
def test_unusable_file_is_mined_again(tmp_path: Path, content: str) -> None:
    (tmp_path / NAMES_FILE).write_text(content.replace("%s", names.FINGERPRINT), encoding="utf-8")
    assert read_names(tmp_path) is None
    items = [Item("x1", "b", "news", "索尔海姆（Erik Solheim）", "")]
    assert names.load_pairs(tmp_path, items, ROMANISE) == mine_pairs(items, ROMANISE)


def test_write_names_round_trip(tmp_path: Path) -> None:
    items = [Item("x1", "b", "news", "索尔海姆（Erik Solheim）", "Erik Solheim (索尔海姆)", speaker="王菊英"),
             Item("x2", "b", "quote", "", "", speaker=" 李永红 ")]
    write_names(tmp_path, items)
    assert read_names(tmp_path) == NameCounts.mine(items)
    assert read_names(tmp_path).speakers == {"王菊英", "李永红"}
    assert not list(tmp_path.glob("*.tmp"))
