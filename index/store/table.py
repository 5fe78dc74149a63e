"""All items of an index in row order, with numpy columns so filters become a mask in milliseconds.

A part's items are stored as JSON lines (``items.jsonl``, the record) and, beside them, as columns
(``items.columns``: one list per item field, in ``marshal`` form, repeated values stored once) whose two long
fields, titles and texts, are kept apart as UTF-8 in ``items.texts`` with their offsets. Opening reads the columns
(at 100k items a fraction of a second, where parsing the JSON lines takes seconds), maps the texts without reading
them, and makes each :class:`~archive.model.Item` when it is first asked for, decoding its title and text then.
A part without a usable columns file (older, damaged, or of another item model) is read from its JSON lines;
columns written before the texts file existed (format 1) are still read.
"""

from __future__ import annotations

import json
import logging
import marshal
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np

from archive.model import Bulletin, Item
from index.interface.criteria import HasCriteria, inclusive_end
from index.store.texts import JoinedTexts, Utf8Texts

# Item attributes held as numpy columns (exact-match criteria, facet counts, near-duplicate groups).
COLUMNS = ("section", "kind", "bulletin_id", "speaker", "source", "lang", "place", "speaker_title", "duplicate_of")
COLUMNS_SUFFIX = ".columns"  # items.jsonl -> items.columns
TEXTS_SUFFIX = ".texts"  # items.jsonl -> items.texts: every title, then every text, as UTF-8
COLUMNS_FORMAT = 2  # 2: titles and texts in the texts file; 1: every field in the columns file (still read)

log = logging.getLogger(__name__)


class ItemTable:
    """Items (row order = index order) and their bulletins."""

    def __init__(self, items: Sequence[Item], bulletins: Iterable[Bulletin] = ()) -> None:
        items = items if isinstance(items, _Rows) else tuple(items)
        self._index(items, lambda attr: [getattr(it, attr) for it in items], bulletins)

    def _index(self, items: Sequence[Item], values: Callable[[str], list], bulletins: Iterable[Bulletin]) -> None:
        self.items: Sequence[Item] = items
        self.bulletins: dict[str, Bulletin] = {b.id: b for b in bulletins}
        ids, dates, ends = values("id"), values("date"), values("date_end")
        self.row_of: dict[str, int] = {item_id: row for row, item_id in enumerate(ids)}
        self.ids = np.array(ids, dtype=object)
        self._columns = {attr: _objects(values(attr)) for attr in COLUMNS}
        self._dates = {d for d in (*dates, *ends) if d}
        self._start = np.array([d or "" for d in dates], dtype="U10")
        self._end = np.array([e or d or "" for d, e in zip(dates, ends, strict=True)], dtype="U10")
        self._speaker_titles = np.array(self._columns["speaker_title"].tolist(), dtype=str)
        self._groups: dict[str, list[Item]] | None = None

    def __len__(self) -> int:
        return len(self.items)

    def get(self, item_id: str) -> Item | None:
        row = self.row_of.get(item_id)
        return None if row is None else self.items[row]

    def by_bulletin(self) -> dict[str, list[Item]]:
        """Items grouped by bulletin id, each group in row order (computed once)."""
        if self._groups is None:
            self._groups = {}
            for item in self.items:
                self._groups.setdefault(item.bulletin_id, []).append(item)
        return self._groups

    def count_in(self, bulletins: set[str]) -> int:
        """How many items belong to these bulletins (counted in the column: no item is made)."""
        return int(np.isin(self._columns["bulletin_id"], list(bulletins)).sum())

    def column(self, attr: str) -> np.ndarray:
        return self._columns[attr]

    def dates(self) -> set[str]:
        """Every date and end date an item has, as written (without making the items)."""
        return set(self._dates)

    def mask(self, filters: HasCriteria) -> np.ndarray:
        """Boolean row mask; the vectorised equivalent of ``filters.criteria().matches`` on every item."""
        criteria = filters.criteria()
        keep = np.ones(len(self.items), dtype=bool)
        for attr, allowed in criteria.allowed:
            if allowed:
                keep &= np.isin(self._columns[attr], list(allowed))
        if criteria.speaker_title_has:
            keep &= np.char.find(self._speaker_titles, criteria.speaker_title_has) >= 0
        if criteria.since or criteria.until:
            keep &= self._start != ""
            if criteria.since:
                keep &= self._end >= criteria.since
            if criteria.until:
                keep &= self._start <= inclusive_end(criteria.until)
        return keep

    def values(self, attr: str) -> np.ndarray:
        """One value per row of a column attribute, or of ``month`` (YYYY-MM of the date, '' when undated)."""
        return self._start.astype("U7") if attr == "month" else self._columns[attr]

    def counts(self, attr: str, rows: np.ndarray) -> Counter[str]:
        """Value counts of an attribute (see :meth:`values`) over boolean rows, empty values left out."""
        return Counter(v for v in self.values(attr)[rows].tolist() if v)

    def save(self, path: Path) -> None:
        write_items(path, self.items, self.bulletins.values())

    @classmethod
    def load(cls, paths: Path | Sequence[Path]) -> ItemTable:
        """Items and bulletins of one file written by :func:`write_items`, or of several (parts) in order."""
        columns: list[list] = [[] for _ in _FIELDS]
        long_parts: dict[str, list[Sequence[str]]] = {name: [] for name in _LONG}  # per part, not decoded
        made: list[Item | None] = []
        bulletins: list[Bulletin] = []
        for path in [paths] if isinstance(paths, Path) else paths:
            part = _read_columns(path)
            items = None
            if part is None:
                items, part_bulletins = _read_lines(path)
                part = [[getattr(it, name) for it in items] for name in _FIELDS], part_bulletins
            for name, column, values in zip(_FIELDS, columns, part[0], strict=True):
                if name in long_parts:
                    long_parts[name].append(values)
                else:
                    column.extend(values)
            made.extend(items if items is not None else [None] * len(part[0][0]))
            bulletins.extend(part[1])
        where = {name: n for n, name in enumerate(_FIELDS)}
        rows: list[Sequence] = list(columns)
        for name, parts in long_parts.items():
            rows[where[name]] = parts[0] if len(parts) == 1 else JoinedTexts(parts)  # type: ignore[arg-type]
        table = cls.__new__(cls)
        table._index(_Rows(rows, made), lambda attr: columns[where[attr]], bulletins)
        return table


class _Rows(Sequence[Item]):
    """The items of a loaded table, each made from the columns when first asked for (then kept)."""

    def __init__(self, columns: list[Sequence], made: list[Item | None]) -> None:
        self._columns, self._made = columns, made  # made: the items made so far (None: not yet)

    def __len__(self) -> int:
        return len(self._made)

    def __getitem__(self, index: int | slice) -> Item:  # type: ignore[override]
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self))))  # type: ignore[return-value]
        item = self._made[index]
        if item is None:
            item = self._made[index] = Item(*(column[index] for column in self._columns))
        return item

    def __iter__(self) -> Iterator[Item]:
        for row in range(len(self._made)):
            yield self[row]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and len(other) == len(self) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]


_UNIQUE = frozenset({"id", "title", "text", "position"})
_LONG = ("title", "text")  # the fields kept in the texts file
_FIELDS = Item.field_names()


def _shared(fields: dict) -> dict:
    """Item fields with repeated values (kind, section, dates, bulletin...) interned: one string each in memory."""
    return {k: v if k in _UNIQUE or not isinstance(v, str) else sys.intern(v) for k, v in fields.items()}


def _objects(values: list) -> np.ndarray:
    column = np.empty(len(values), dtype=object)
    column[:] = values
    return column


def _bulletin(record: dict) -> Bulletin:
    return Bulletin(**(record | {"notes": tuple(record.get("notes", ()))}))


def _read_lines(path: Path) -> tuple[list[Item], list[Bulletin]]:
    items, bulletins = [], []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if "item" in record:
                items.append(Item(**_shared(record["item"])))
            else:
                bulletins.append(_bulletin(record["bulletin"]))
    return items, bulletins


def _columns_path(path: Path) -> Path:
    return path.with_suffix(COLUMNS_SUFFIX)


def _texts_path(path: Path) -> Path:
    return path.with_suffix(TEXTS_SUFFIX)


def _read_columns(path: Path) -> tuple[list[Sequence], list[Bulletin]] | None:
    """A part's columns file, None when it is missing or does not match its JSON lines (read those then)."""
    try:
        data = marshal.loads(_columns_path(path).read_bytes())
        if data["format"] not in (1, COLUMNS_FORMAT) or tuple(data["fields"]) != _FIELDS or \
                data["lines_size"] != os.stat(path).st_size:
            raise ValueError("written for other items")
        columns = data["columns"]
        if data["format"] == COLUMNS_FORMAT:
            columns = _with_texts(path, columns, data)
        if len(columns) != len(_FIELDS) or len({len(c) for c in columns}) > 1:
            raise ValueError("columns of unequal length")
        return columns, [_bulletin(b) for b in data["bulletins"]]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, EOFError, TypeError, KeyError) as exc:
        log.info("%s unusable (%s): reading %s", _columns_path(path), exc, path.name)
        return None


def _with_texts(path: Path, columns: list[list], data: dict) -> list[Sequence]:
    """The columns with their long fields read from the texts file, mapped (nothing decoded yet)."""
    texts = _texts_path(path)
    if not texts.exists():
        raise ValueError(f"{texts.name} is missing")
    size = texts.stat().st_size
    if size != data["texts_size"]:
        raise ValueError(f"{texts.name} is {size} bytes, not {data['texts_size']}")
    blob = np.memmap(texts, dtype=np.uint8, mode="r") if size else np.zeros(0, dtype=np.uint8)
    out: list[Sequence] = list(columns)
    for name, offsets in data["offsets"].items():
        ends = np.frombuffer(offsets, dtype=np.int64)
        if ends.shape[0] != len(columns[0]) + 1 or ends[0] < 0 or ends[-1] > size or np.any(np.diff(ends) < 0):
            raise ValueError(f"the offsets of {name} do not fit {texts.name}")
        out[_FIELDS.index(name)] = Utf8Texts(blob, ends)  # decoded per row
    return out


def write_items(path: Path, items: Iterable[Item], bulletins: Iterable[Bulletin]) -> None:
    """One JSON line per bulletin, then one per item; and the same items as columns beside them."""
    items, bulletins = list(items), list(bulletins)
    with path.open("w", encoding="utf-8") as out:
        for b in bulletins:
            out.write(json.dumps({"bulletin": b.to_dict()}, ensure_ascii=False) + "\n")
        for it in items:
            out.write(json.dumps({"item": it.to_dict()}, ensure_ascii=False) + "\n")
    offsets, size = _write_texts(_texts_path(path), items)
    shared: dict[str, str] = {}
    columns = [[] if name in _LONG else [getattr(it, name) for it in items] if name in _UNIQUE else
               [shared.setdefault(v, v) if isinstance(v, str) else v for v in (getattr(it, name) for it in items)]
               for name in _FIELDS]  # equal values as one object: stored once, loaded as one
    data = {"format": COLUMNS_FORMAT, "fields": list(_FIELDS), "columns": columns, "offsets": offsets,
            "texts_size": size, "bulletins": [b.to_dict() for b in bulletins], "lines_size": os.stat(path).st_size}
    _columns_path(path).write_bytes(marshal.dumps(data))


def _write_texts(path: Path, items: list[Item]) -> tuple[dict[str, bytes], int]:
    """Every title, then every text, as UTF-8 in ``path``; their offsets (int64 bytes, one more than items)."""
    offsets, at = {}, 0
    with path.open("wb") as out:
        for name in _LONG:
            texts = Utf8Texts.from_texts([getattr(it, name) for it in items])
            out.write(texts.blob.tobytes())
            offsets[name] = (texts.offsets + at).tobytes()
            at += int(texts.offsets[-1])
    return offsets, at
