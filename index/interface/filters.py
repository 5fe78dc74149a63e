"""Search filters as data: one definition of their meaning, shared by all three modes and every front end.

A filter has a machine form (`criteria`: :class:`index.interface.criteria.Criteria`, which an engine applies
before ranking; `matches` for one item) and a human form (`describe`, shown by the UI and the CLI).
:data:`FILTER_FIELDS` declares each filter once: the CLI's options, the API's query parameters, the app's URL
parameters and sidebar widgets are made from it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date

from archive.model import Item
from index.interface.criteria import Criteria


@dataclass(frozen=True)
class FilterField:
    """One filter, declared once.

    Attributes:
        name: The :class:`Filters` field (``sections``).
        param: Its name as a CLI option (``--section``), an API query parameter and a URL parameter (``section``).
        kind: ``values`` (exact item values, facet counts), ``date`` (YYYY[-MM[-DD]]) or ``text`` (a substring).
        attribute: The item attribute a ``values`` filter restricts ('' for the others).
        repeatable: Given more than once on the command line and in the API (else once; the app always allows many).
        help: What it restricts, in plain words (the CLI's and the API's help).
        label_en, label_zh: How :meth:`Filters.describe` names it ("in 观点与动态 · since 2019-10").
        choices: The values it may take (empty: any).
    """

    name: str
    param: str
    kind: str
    attribute: str = ""
    repeatable: bool = False
    help: str = ""
    label_en: str = ""
    label_zh: str = ""
    choices: tuple[str, ...] = ()


FILTER_FIELDS: tuple[FilterField, ...] = (
    FilterField("sections", "section", "values", "section", True, "section, e.g. 观点与动态 (repeatable)",
                "in", "栏目"),
    FilterField("kinds", "kind", "values", "kind", True, "news, quote, event, report, about (repeatable)",
                "kind", "类型"),
    FilterField("speakers", "speaker", "values", "speaker", False, "speaker name (quotes)", "speaker", "发言人"),
    FilterField("sources", "source", "values", "source", False, "source outlet, e.g. 新华网", "source", "来源"),
    FilterField("langs", "lang", "values", "lang", False, "item language", "language", "语言",
                choices=("zh", "en", "mixed")),
    FilterField("since", "since", "date", help="items dated on or after (YYYY, YYYY-MM or YYYY-MM-DD)",
                label_en="since", label_zh="起"),
    FilterField("until", "until", "date", help="items dated on or before (YYYY, YYYY-MM or YYYY-MM-DD)",
                label_en="until", label_zh="止"),
    FilterField("bulletins", "bulletin", "values", "bulletin_id", True, "bulletin id (repeatable)",
                "bulletin", "简报"),
    FilterField("org", "org", "text", help="text the speaker's title must contain (an organisation)",
                label_en="speaker's organisation", label_zh="发言人机构"),
)

# Filters field -> Item attribute, for the categorical (exact-match) filters.
CATEGORICAL = {f.name: f.attribute for f in FILTER_FIELDS if f.kind == "values"}

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
        return replace(self, **{name: () if name in CATEGORICAL else ""})

    def quotes_only(self) -> Filters:
        """The same filters restricted to quotes."""
        return replace(self, kinds=("quote",))

    def undated(self) -> Filters:
        """The same filters without the period (``since``/``until``)."""
        return replace(self, since="", until="")

    @classmethod
    def from_values(cls, values: Mapping[str, object]) -> Filters:
        """Filters from ``{param: value or list of values}`` as the CLI and the API receive them (``section``,
        ``since``…; absent, None and empty values restrict nothing)."""
        out: dict[str, object] = {}
        for f in FILTER_FIELDS:
            value = values.get(f.param)
            if f.kind == "values":
                many = value if isinstance(value, list | tuple) else [value]
                out[f.name] = tuple(v for v in many if v)
            else:
                out[f.name] = value or ""
        return cls(**out)  # type: ignore[arg-type]

    def to_values(self) -> dict[str, list[str] | str]:
        """The opposite of :meth:`from_values`: ``{param: value}`` for the fields that are set."""
        out: dict[str, list[str] | str] = {}
        for f in FILTER_FIELDS:
            value = getattr(self, f.name)
            if value:
                out[f.param] = list(value) if f.kind == "values" else value
        return out

    def describe(self, lang: str = "en") -> str:
        """Human form, e.g. 'in 观点与动态 · since 2019-10'."""
        labels = {f.name: f.label_zh if lang == "zh" else f.label_en for f in FILTER_FIELDS}
        parts = []
        for f in fields(self):
            value = getattr(self, f.name)
            if value:
                shown = " / ".join(value) if isinstance(value, tuple) else value
                parts.append(f"{labels[f.name]} {shown}")
        return " · ".join(parts)
