"""The item table's columns and texts files: the same table as the JSON lines, items made (titles and texts
decoded) when first asked for, and the JSON lines read whenever the columns or texts file is missing, damaged or
does not match them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from archive.model import Bulletin, Item
from index.interface.filters import Filters
from index.store import table as table_mod
from index.store.table import ItemTable, write_items
from index.store.texts import Utf8Texts

ITEMS = [
    Item("a1", "b1", "news", "绿色航运", "绿色港口与航运。", section="新闻", date="2019-11", source="新华网"),
    Item("a2", "b1", "quote", "王菊英：海洋", "海洋治理。", section="观点", date="2019-11-05", speaker="王菊英",
         speaker_title="研究员", position=1),
    Item("a3", "b2", "event", "Forum", "A forum in Oslo.", section="Events", date="2020-03-01",
         date_end="2020-03-03", lang="en", place="Oslo", translation_of="a2", ocr=True),
    Item("a4", "b2", "news", "Repeat", "绿色港口与航运。", section="新闻", duplicate_of="a1"),
]
BULLETINS = [Bulletin(id="b1", title="第一期", date="2019-11"), Bulletin(id="b2", title="Issue 2", notes=("n",))]


@pytest.fixture
def written(tmp_path: Path) -> Path:
    path = tmp_path / "items.jsonl"
    write_items(path, ITEMS, BULLETINS)
    return path


def _same(a: ItemTable, b: ItemTable) -> None:
    assert list(a.items) == list(b.items) and a.bulletins == b.bulletins and a.row_of == b.row_of
    assert a.ids.tolist() == b.ids.tolist() and a.dates() == b.dates()
    for attr in table_mod.COLUMNS:
        assert a.column(attr).tolist() == b.column(attr).tolist()
    assert a._start.tolist() == b._start.tolist() and a._end.tolist() == b._end.tolist()


def test_columns_give_the_table_of_the_lines(written: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert written.with_suffix(table_mod.COLUMNS_SUFFIX).exists()
    from_columns = ItemTable.load(written)
    monkeypatch.setattr(table_mod, "_read_columns", lambda path: None)
    _same(from_columns, ItemTable.load(written))
    _same(from_columns, ItemTable(ITEMS, BULLETINS))


def test_items_are_made_when_asked_for(written: Path) -> None:
    table = ItemTable.load(written)
    assert table.items._made == [None] * len(ITEMS)
    assert table.get("a3") == ITEMS[2] and table.items[-1] == ITEMS[-1] and table.items[1:3] == tuple(ITEMS[1:3])
    assert table.items[2] is table.get("a3")  # made once
    assert len(table) == 4 and list(table.items) == ITEMS and table.items == ITEMS
    assert table.mask(Filters(langs=("en",))).tolist() == [False, False, True, False]


def test_parts_load_in_order_mixing_both_forms(tmp_path: Path) -> None:
    first, second = tmp_path / "p1" / "items.jsonl", tmp_path / "p2" / "items.jsonl"
    for path, items, bulletins in ((first, ITEMS[:2], BULLETINS[:1]), (second, ITEMS[2:], BULLETINS[1:])):
        path.parent.mkdir()
        write_items(path, items, bulletins)
    second.with_suffix(table_mod.COLUMNS_SUFFIX).unlink()  # an older part: JSON lines only
    table = ItemTable.load([first, second])
    _same(table, ItemTable(ITEMS, BULLETINS))


@pytest.mark.parametrize("damage", ["missing", "garbage", "truncated", "other lines", "other fields",
                                    "texts missing", "texts truncated", "texts grown", "offsets out of order"])
def test_unusable_columns_fall_back_to_the_lines(written: Path, damage: str) -> None:
    columns, texts = written.with_suffix(table_mod.COLUMNS_SUFFIX), written.with_suffix(table_mod.TEXTS_SUFFIX)
    if damage == "missing":
        columns.unlink()
    elif damage == "texts missing":
        texts.unlink()
    elif damage == "texts truncated":
        texts.write_bytes(texts.read_bytes()[:-3])
    elif damage == "texts grown":
        texts.write_bytes(texts.read_bytes() + b"x")
    elif damage == "offsets out of order":
        import marshal

        data = marshal.loads(columns.read_bytes())
        ends = np.frombuffer(data["offsets"]["text"], dtype=np.int64)[::-1].copy()
        columns.write_bytes(marshal.dumps(data | {"offsets": data["offsets"] | {"text": ends.tobytes()}}))
    elif damage == "garbage":
        columns.write_bytes(b"\x00not marshal at all")
    elif damage == "truncated":
        columns.write_bytes(columns.read_bytes()[:100])
    elif damage == "other lines":  # the JSON lines were rewritten after the columns
        record = json.loads(written.read_text(encoding="utf-8").splitlines()[-1])
        with written.open("a", encoding="utf-8") as out:
            out.write(json.dumps({"item": record["item"] | {"id": "a5"}}, ensure_ascii=False) + "\n")
    else:
        import marshal

        data = marshal.loads(columns.read_bytes())
        columns.write_bytes(marshal.dumps(data | {"fields": data["fields"][:-1]}))
    table = ItemTable.load(written)
    expected = [*ITEMS, Item(**{**ITEMS[-1].to_dict(), "id": "a5"})] if damage == "other lines" else ITEMS
    assert list(table.items) == expected and table.bulletins == ItemTable(ITEMS, BULLETINS).bulletins


def test_titles_and_texts_are_decoded_per_item(written: Path) -> None:
    table = ItemTable.load(written)
    texts = table.items._columns[Item.field_names().index("text")]
    assert isinstance(texts, Utf8Texts) and texts[-1] == ITEMS[-1].text and texts[1] == "海洋治理。"
    assert table.items[-1] == ITEMS[-1] and [it.title for it in table.items] == [it.title for it in ITEMS]


def test_columns_of_the_first_format_are_still_read(written: Path) -> None:
    """Parts written before the texts file existed keep every field in the columns file (format 1)."""
    import marshal

    columns = written.with_suffix(table_mod.COLUMNS_SUFFIX)
    data = marshal.loads(columns.read_bytes())
    fields = Item.field_names()
    old = [[getattr(it, name) for it in ITEMS] if name in ("title", "text") else column
           for name, column in zip(fields, data["columns"], strict=True)]
    columns.write_bytes(marshal.dumps({k: v for k, v in data.items() if k not in ("offsets", "texts_size")}
                                      | {"format": 1, "columns": old}))
    written.with_suffix(table_mod.TEXTS_SUFFIX).unlink()
    assert table_mod._read_columns(written) is not None
    _same(ItemTable.load(written), ItemTable(ITEMS, BULLETINS))


def test_an_empty_part_has_empty_texts(tmp_path: Path) -> None:
    path = tmp_path / "items.jsonl"
    write_items(path, [], BULLETINS)
    assert table_mod._read_columns(path) is not None and len(ItemTable.load(path)) == 0


def test_equal_values_are_one_object(written: Path) -> None:
    table = ItemTable.load(written)
    assert table.items[0].section is table.items[3].section
    assert table.items[0].text == table.items[3].text
