"""The dictionary's cache: sorted tables mapped in place, the same lookups as the parsed dictionary, and rebuilt
from the package's file whenever it is missing, damaged or of an older form."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.crosslingual import dictionary
from index.crosslingual.lookup import TableError, read_tables, write_tables

CEDICT = """\
# CC-CEDICT
# License:
# Creative Commons Attribution-ShareAlike 4.0 International License
#! version=1
#! license=https://creativecommons.org/licenses/by-sa/4.0/
中國 中国 [Zhong1 guo2] /China/
瓷器 瓷器 [ci2 qi4] /china; porcelain/
綠色 绿色 [lu:4 se4] /green/
航運 航运 [hang2 yun4] /shipping; transport/
船舶 船舶 [chuan2 bo2] /shipping; boat/
會見 会见 [hui4 jian4] /to meet with/
王 王 [Wang2] /surname Wang/king/
菊 菊 [ju2] /chrysanthemum/
英 英 [Ying1] /surname Ying/hero/
"""
PARSED = dictionary.parse_cedict(CEDICT.splitlines())


@pytest.fixture
def source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A small CC-CEDICT file as the package's, and an empty cache folder; the loaded dictionary forgotten."""
    path = tmp_path / "cedict.txt.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(CEDICT)
    monkeypatch.setattr(dictionary, "data_path", lambda: path)
    monkeypatch.setenv(dictionary.CACHE_ENV, str(tmp_path / "cache"))
    dictionary.load_dictionary.cache_clear()
    yield path
    dictionary.load_dictionary.cache_clear()


def _cache_files(source: Path) -> list[Path]:
    return sorted((source.parent / "cache").glob(f"{dictionary.CACHE_PREFIX}*"))


def _same_lookups(loaded: dictionary.Dictionary) -> None:
    parsed = PARSED
    assert dict(loaded.en) == parsed.en and dict(loaded.zh) == parsed.zh
    assert loaded.pinyin == parsed.pinyin and loaded.surnames == parsed.surnames
    assert loaded.chinese("china") == [("中国", True), ("瓷器", False)]
    assert loaded.chinese("meet") == loaded.chinese("meet with") == [("会见", False)]
    assert loaded.english("航运") == ["shipping", "transport"]
    assert loaded.chinese("nothing here") == [] and loaded.english("无") == []
    assert loaded.romanise("王菊英") == "Wang Juying"


def test_licence_header_is_not_an_entry() -> None:
    parsed = PARSED
    assert not any(key.startswith(("#", "cc", "creative")) for key in parsed.en)
    assert all(not head.startswith("#") for head in parsed.zh)


def test_first_load_parses_and_writes_the_cache(source: Path) -> None:
    loaded = dictionary.load_dictionary()
    files = _cache_files(source)
    assert len(files) == 1 and files[0].suffix == ".tables"
    _same_lookups(loaded)
    dictionary.load_dictionary.cache_clear()
    _same_lookups(dictionary.load_dictionary())  # now from the cache


def test_cache_is_read_without_parsing(source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dictionary.load_dictionary()
    dictionary.load_dictionary.cache_clear()
    monkeypatch.setattr(dictionary, "parse_cedict", lambda lines: pytest.fail("parsed although cached"))
    _same_lookups(dictionary.load_dictionary())


@pytest.mark.parametrize("damage", ["truncated", "flipped", "garbage", "empty", "old json"])
def test_damaged_cache_is_rebuilt(source: Path, damage: str) -> None:
    dictionary.load_dictionary()
    dictionary.load_dictionary.cache_clear()
    (cached,) = _cache_files(source)
    data = cached.read_bytes()
    if damage == "truncated":
        cached.write_bytes(data[: len(data) // 2])
    elif damage == "flipped":
        cached.write_bytes(data[:-5] + bytes([data[-5] ^ 0xFF]) + data[-4:])
    elif damage == "garbage":
        cached.write_bytes(b"{not a table}" * 10)
    elif damage == "empty":
        cached.write_bytes(b"")
    else:  # the earlier cache form under the current name
        cached.write_text('{"en": {}, "zh": {}, "pinyin": {}, "surnames": []}', encoding="utf-8")
    with pytest.raises(TableError):
        dictionary.read_cache(cached)
    _same_lookups(dictionary.load_dictionary())
    _same_lookups(dictionary.read_cache(cached))  # written again, whole


def test_older_caches_are_removed_when_a_new_one_is_written(source: Path) -> None:
    folder = source.parent / "cache"
    folder.mkdir()
    older = folder / f"{dictionary.CACHE_PREFIX}3-123-456.json"
    other_package = folder / f"{dictionary.CACHE_PREFIX}{dictionary.CACHE_VERSION}-1-2.tables"
    older.write_text("{}", encoding="utf-8")
    other_package.write_bytes(b"kept")
    dictionary.load_dictionary()
    assert not older.exists() and other_package.exists()


def test_unwritable_cache_still_gives_the_dictionary(source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = source.parent / "blocked"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    monkeypatch.setenv(dictionary.CACHE_ENV, str(blocker / "cache"))
    _same_lookups(dictionary.load_dictionary())


def test_tables_round_trip(tmp_path: Path) -> None:
    tables = {"a": {"绿色": ["green", "eco"], "b": [], "": ["empty key"], "é": ["accent"]}, "none": {}}
    write_tables(tmp_path / "t.tables", tables, {"note": "中文"})
    read, extra = read_tables(tmp_path / "t.tables")
    assert extra == {"note": "中文"}
    assert {name: dict(table) for name, table in read.items()} == tables
    assert "绿色" in read["a"] and "绿" not in read["a"] and 3 not in read["a"]
    assert read["a"].get("missing") is None and len(read["none"]) == 0
    assert list(read["a"]) == sorted(tables["a"], key=lambda k: k.encode("utf-8"))
    assert not list(tmp_path.glob("*.tmp"))


def test_real_dictionary_is_ready_from_its_cache() -> None:
    """The package's dictionary: loaded once (the cache written if needed), then mapped again, same answers."""
    dictionary.load_dictionary.cache_clear()
    first = dictionary.load_dictionary()
    dictionary.load_dictionary.cache_clear()
    again = dictionary.load_dictionary()
    assert isinstance(again.en, dictionary.Mapping) and not isinstance(again.en, dict)
    for key in ("china", "green", "shipping", "carbon"):
        assert again.chinese(key) == first.chinese(key) and again.chinese(key)
    assert again.english("绿色") == first.english("绿色") and again.romanise("王菊英") == "Wang Juying"
