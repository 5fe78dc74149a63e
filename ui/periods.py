"""Months and periods for the coverage view: the months a chart spans, and a chosen run of months as a
date filter (``since`` the first day of the first month, ``until`` the last day of the last one).

Months are ISO ``YYYY-MM`` strings, as ``explore.CoveragePoint.month`` carries them.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping

_MONTH = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")


def is_month(value: object) -> bool:
    return isinstance(value, str) and _MONTH.fullmatch(value) is not None


def months_between(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` inclusive ('2019-11', '2020-01' -> three months); [] if either
    is not a month or ``last`` is before ``first``."""
    if not (is_month(first) and is_month(last)):
        return []
    year, month = int(first[:4]), int(first[5:])
    out: list[str] = []
    while (label := f"{year:04d}-{month:02d}") <= last:
        out.append(label)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def span(months: Iterable[str]) -> list[str]:
    """All months from the earliest to the latest of ``months`` (gaps filled), so a chart shows quiet months."""
    valid = sorted(m for m in months if is_month(m))
    return months_between(valid[0], valid[-1]) if valid else []


def period(months: Iterable[str]) -> tuple[str, str]:
    """The date range covering the given months: ('2019-11-01', '2019-12-31'); ('', '') for none."""
    valid = sorted(m for m in months if is_month(m))
    if not valid:
        return "", ""
    last = valid[-1]
    days = calendar.monthrange(int(last[:4]), int(last[5:]))[1]
    return f"{valid[0]}-01", f"{last}-{days:02d}"


def months_of_period(since: str, until: str, months: list[str]) -> list[str]:
    """Which of ``months`` a date range (ISO dates or partial dates, '' for open) touches."""
    low, high = since[:7] if since else "", until[:7] if until else ""
    return [m for m in months if (not low or m >= low) and (not high or m <= high)]


def selected_months(selection: object, name: str, field: str = "month") -> list[str]:
    """Months picked in a chart selection (the value Streamlit reports for an Altair chart with
    ``on_select``: ``{"selection": {name: [{field: "2019-11", ...}, ...]}}``); junk gives []."""
    if not isinstance(selection, Mapping):
        return []
    chosen = selection.get("selection", {})
    points = chosen.get(name, []) if isinstance(chosen, Mapping) else []
    if isinstance(points, Mapping):  # an interval selection: {field: [first, last]}
        bounds = points.get(field, [])
        ends = [m for m in bounds if is_month(m)] if isinstance(bounds, list) else []
        return months_between(min(ends), max(ends)) if ends else []
    if not isinstance(points, list):
        return []
    months = {p.get(field) for p in points if isinstance(p, Mapping)}
    return sorted(m for m in months if is_month(m))
