"""Search filters as data: one definition of their meaning, shared by all three modes.

A filter has a machine form (`criteria`: :class:`index.store.criteria.Criteria`, which the item table turns
into a boolean mask before ranking; `matches` for one item) and a human form (`describe`, shown by the UI and
the CLI).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from datetime import date

from archive.model import Item
from index.store.criteria import Criteria

# Filters field -> Item attribute, for the categorical (exact-match) filters.
CATEGORICAL = {
    "sections": "section", "kinds": "kind", "bulletins": "bulletin_id",
    "speakers": "speaker", "sources": "source", "langs": "lang",
}

_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def is_filter_date(value: str) -> bool:
    """Whether ``value`` is a real ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` date, as ``since``/``until`` take."""
    if _DATE.fullmatch(value) is None:
        return False
    year, month, day = ([int(x) for x in value.split("-")] + [1, 1])[:3]
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Filters:
    """Restrictions on which items may be ranked. Empty fields restrict nothing.

    Dates compare ISO strings; an item's span is ``[date, date_end or date]`` and it
    matches when the span overlaps ``[since, until]``. With a date filter active,
    undated items are excluded.
    """

    sections: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    bulletins: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    since: str = ""
    until: str = ""
    org: str = ""  # text the speaker's title must contain (an organisation, e.g. 世界资源研究所)

    def is_empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))

    def criteria(self) -> Criteria:
        """The machine form: what the item table filters by."""
        allowed = tuple((attr, getattr(self, name)) for name, attr in CATEGORICAL.items() if getattr(self, name))
        return Criteria(allowed, self.org, self.since, self.until)

    def matches(self, item: Item) -> bool:
        """Whether one item passes the filters (the table's mask, for a single item)."""
        return self.criteria().matches(item)

    def without(self, name: str) -> Filters:
        """The same filters with one field cleared (for facet counts of that field)."""
        return replace(self, **{name: "" if name in ("since", "until", "org") else ()})

    def describe(self, lang: str = "en") -> str:
        """Human form, e.g. 'in 观点与动态 · since 2019-10'."""
        labels = _LABELS_ZH if lang == "zh" else _LABELS_EN
        parts = []
        for f in fields(self):
            value = getattr(self, f.name)
            if value:
                shown = " / ".join(value) if isinstance(value, tuple) else value
                parts.append(f"{labels[f.name]} {shown}")
        return " · ".join(parts)


_LABELS_EN = {
    "sections": "in", "kinds": "kind", "bulletins": "bulletin", "speakers": "speaker",
    "sources": "source", "langs": "language", "since": "since", "until": "until", "org": "speaker's organisation",
}
_LABELS_ZH = {
    "sections": "栏目", "kinds": "类型", "bulletins": "简报", "speakers": "发言人",
    "sources": "来源", "langs": "语言", "since": "起", "until": "止", "org": "发言人机构",
}
