"""The whole view of the app as data, and its round trip through URL query parameters.

A shared link restores the view: query, mode, filters, page, the open item, the interface language,
and the other pages' selections (the quotes query, mode and page, the bulletin being read, what the
coverage charts group by). The page itself is the URL path (``/quotes``, ``/bulletins``...), set by
the app's navigation. Parameters at their default are left out so links stay short. ``from_params`` never
raises: junk values (unknown mode, page 'abc', date '2019-13-99') fall back to their defaults.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from index.interface import DEFAULT_MODE, FILTER_FIELDS, MODES, FilterField, Filters
from ui.i18n import DEFAULT_LANG, LANGS

DEFAULT_QUOTE_MODE = "semantic"  # quotes are found by theme, across wording and languages
QUOTE_MODES: tuple[str, ...] = tuple(reversed(MODES))  # semantic, keyword, hybrid
COVERAGE_BY: tuple[str, ...] = ("section", "kind")
MAX_QUERY = 500
MAX_VALUE = 200
MAX_VALUES = 50
MAX_PAGE = 10_000

# Filters field -> URL parameter name (singular, as a person would type it), for the filters of many values.
FILTER_PARAMS: dict[str, str] = {f.name: f.param for f in FILTER_FIELDS if f.kind == "values"}
_DATE = re.compile(r"[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?")  # ASCII digits only
_ITEM_ID = re.compile(r"[^\x00-\x1f\x7f<>\"'`]{1,200}")  # ids of structured imports are free text

Params = Mapping[str, "str | list[str] | tuple[str, ...]"]


@dataclass(frozen=True)
class ViewState:
    """What the user sees. ``page`` is 1-based; ``item`` is the id of the open item ('' for none)."""

    query: str = ""
    mode: str = DEFAULT_MODE
    filters: Filters = field(default_factory=Filters)
    page: int = 1
    item: str = ""
    lang: str = DEFAULT_LANG
    quote_query: str = ""  # the quotes page's own query ...
    quote_mode: str = DEFAULT_QUOTE_MODE  # ... and mode
    quote_page: int = 1
    reading: str = ""  # id of the bulletin open on the bulletins page ('' for the list)
    coverage_by: str = COVERAGE_BY[0]  # coverage charts: items per month by section or by kind

    def with_(self, **changes: object) -> ViewState:
        return replace(self, **changes)


def to_params(state: ViewState) -> dict[str, str | list[str]]:
    """URL query parameters for a view; defaults are omitted, multi-valued filters are lists."""
    params: dict[str, str | list[str]] = {}
    if state.query:
        params["q"] = state.query
    if state.mode != DEFAULT_MODE:
        params["mode"] = state.mode
    params |= state.filters.to_values()
    if state.page != 1:
        params["page"] = str(state.page)
    if state.item:
        params["item"] = state.item
    if state.lang != DEFAULT_LANG:
        params["ui"] = state.lang
    if state.quote_query:
        params["qq"] = state.quote_query
    if state.quote_mode != DEFAULT_QUOTE_MODE:
        params["qmode"] = state.quote_mode
    if state.quote_page != 1:
        params["qpage"] = str(state.quote_page)
    if state.reading:
        params["read"] = state.reading
    if state.coverage_by != COVERAGE_BY[0]:
        params["by"] = state.coverage_by
    return params


def from_params(params: Params) -> ViewState:
    """The view described by URL query parameters; anything unusable is replaced by its default."""
    query = _first(params, "q")[:MAX_QUERY].strip()
    mode = _first(params, "mode").lower()
    lang = _first(params, "ui").lower()
    filters = Filters(**{f.name: _filter_value(params, f) for f in FILTER_FIELDS})
    item, reading = _first(params, "item"), _first(params, "read")
    quote_mode, by = _first(params, "qmode").lower(), _first(params, "by").lower()
    return ViewState(
        query=query,
        mode=mode if mode in MODES else DEFAULT_MODE,
        filters=filters,
        page=_page(_first(params, "page")),
        item=item if _ITEM_ID.fullmatch(item) else "",
        lang=lang if lang in LANGS else DEFAULT_LANG,
        quote_query=_first(params, "qq")[:MAX_QUERY].strip(),
        quote_mode=quote_mode if quote_mode in QUOTE_MODES else DEFAULT_QUOTE_MODE,
        quote_page=_page(_first(params, "qpage")),
        reading=reading if _ITEM_ID.fullmatch(reading) else "",
        coverage_by=by if by in COVERAGE_BY else COVERAGE_BY[0],
    )


def _filter_value(params: Params, f: FilterField) -> tuple[str, ...] | str:
    if f.kind == "values":
        return _many(params, f.param)
    if f.kind == "date":
        return _date(_first(params, f.param))
    return _first(params, f.param)[:MAX_VALUE].strip()


def _values(params: Params, key: str) -> list[str]:
    raw = params.get(key)
    if raw is None:
        return []
    if isinstance(raw, str):
        return [raw]
    try:
        return [v for v in raw if isinstance(v, str)]
    except TypeError:
        return []


def _first(params: Params, key: str) -> str:
    values = _values(params, key)
    return values[0].strip() if values else ""


def _many(params: Params, key: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in _values(params, key)[:MAX_VALUES]:
        value = value.strip()
        if value and len(value) <= MAX_VALUE:
            seen.setdefault(value, None)
    return tuple(seen)


def _date(value: str) -> str:
    return value if first_day(value) is not None else ""


def _page(value: str) -> int:
    if not value.isascii() or not value.isdigit():
        return 1
    return min(max(int(value), 1), MAX_PAGE)


def first_day(value: str) -> date | None:
    """'2019' -> 2019-01-01, '2019-11' -> 2019-11-01, '2019-11-05' -> itself; None if not a date."""
    if not _DATE.fullmatch(value):
        return None
    year, month, day = (value.split("-") + ["1", "1"])[:3]
    return _safe_date(int(year), int(month), int(day))


def last_day(value: str) -> date | None:
    """'2019' -> 2019-12-31, '2019-11' -> 2019-11-30, '2019-11-05' -> itself; None if not a date."""
    if not _DATE.fullmatch(value):
        return None
    parts = value.split("-")
    year = int(parts[0])
    month = int(parts[1]) if len(parts) > 1 else 12
    day = int(parts[2]) if len(parts) > 2 else calendar.monthrange(year, month)[1] if year >= 1 else 1
    return _safe_date(year, month, day)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:  # year 0, 2019-02-30
        return None
