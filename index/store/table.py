"""All items of an index in row order, with numpy columns so filters become a mask in milliseconds."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from archive.model import Bulletin, Item
from index.store.criteria import HasCriteria, inclusive_end

# Item attributes held as numpy columns (exact-match criteria, facet counts, near-duplicate groups).
COLUMNS = ("section", "kind", "bulletin_id", "speaker", "source", "lang", "place", "speaker_title", "duplicate_of")


class ItemTable:
    """Items (row order = index order) and their bulletins."""

    def __init__(self, items: Sequence[Item], bulletins: Iterable[Bulletin] = ()) -> None:
        self.items: tuple[Item, ...] = tuple(items)
        self.bulletins: dict[str, Bulletin] = {b.id: b for b in bulletins}
        self.row_of: dict[str, int] = {it.id: row for row, it in enumerate(self.items)}
        self.ids = np.array([it.id for it in self.items], dtype=object)
        self._columns = {attr: np.array([getattr(it, attr) for it in self.items], dtype=object)
                         for attr in COLUMNS}
        self._start = np.array([it.date or "" for it in self.items], dtype="U10")
        self._end = np.array([it.date_end or it.date or "" for it in self.items], dtype="U10")
        self._speaker_titles = np.array([it.speaker_title for it in self.items], dtype=str)
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

    def column(self, attr: str) -> np.ndarray:
        return self._columns[attr]

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

    def counts(self, attr: str, rows: np.ndarray) -> Counter[str]:
        """Value counts of an attribute ('month' = YYYY-MM of the date) over boolean rows."""
        values = self._start.astype("U7") if attr == "month" else self._columns[attr]
        return Counter(v for v in values[rows].tolist() if v)

    def save(self, path: Path) -> None:
        write_items(path, self.items, self.bulletins.values())

    @classmethod
    def load(cls, paths: Path | Sequence[Path]) -> ItemTable:
        """Items and bulletins of one file written by :func:`write_items`, or of several (parts) in order."""
        items, bulletins = [], []
        for path in [paths] if isinstance(paths, Path) else paths:
            with path.open(encoding="utf-8") as lines:
                for line in lines:
                    record = json.loads(line)
                    if "item" in record:
                        items.append(Item(**_shared(record["item"])))
                    else:
                        b = record["bulletin"]
                        bulletins.append(Bulletin(**(b | {"notes": tuple(b.get("notes", ()))})))
        return cls(items, bulletins)


_UNIQUE = frozenset({"id", "title", "text", "position"})


def _shared(fields: dict) -> dict:
    """Item fields with repeated values (kind, section, dates, bulletin...) interned: one string each in memory."""
    return {k: v if k in _UNIQUE or not isinstance(v, str) else sys.intern(v) for k, v in fields.items()}


def write_items(path: Path, items: Iterable[Item], bulletins: Iterable[Bulletin]) -> None:
    """One JSON line per bulletin, then one per item."""
    with path.open("w", encoding="utf-8") as out:
        for b in bulletins:
            out.write(json.dumps({"bulletin": b.to_dict()}, ensure_ascii=False) + "\n")
        for it in items:
            out.write(json.dumps({"item": it.to_dict()}, ensure_ascii=False) + "\n")
