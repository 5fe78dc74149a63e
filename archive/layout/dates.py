"""Dates in the forms bulletins use, as ISO strings.

Handles ``2019年11月6日``, ``2019 年 10 月 28 日``, ``当地时间2019年11月3日上午``, ``12 月 2-3 日``
(year taken from context), ``2019 年 12 月 2 日晚；12 月 3 日上午``, ``2019-11-06``, ``6 November 2019``,
``Nov. 6, 2019`` and English ranges such as ``2-3 December 2019``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")]
    )
    for m in names
}
_MON = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_ZH = re.compile(
    r"(?:(?P<y>(?:19|20)\d{2})\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*(?:日?\s*[-–~至到]\s*(?P<d2>\d{1,2})\s*)?日"
)
_ISO = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)")
_TO = r"\s*(?:[-–]|to)\s*"
_EN_DMY = re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})(?:{_TO}(?P<d2>\d{{1,2}}))?(?:st|nd|rd|th)?\s+{_MON}\s*,?\s+(?P<y>(?:19|20)\d{{2}})", re.I)
_EN_MDY = re.compile(rf"\b{_MON}\s+(?P<d>\d{{1,2}})(?:{_TO}(?P<d2>\d{{1,2}}))?(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{{2}})", re.I)
# Without a year ("On 4 April", "April 4-5"): capitalised month names only, so "may" the verb is no date.
_MON_CAP = (r"(?P<mon>(?:Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec)\.|January|February|March|April|May|June|July|"
            r"August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)")
_NO_YEAR = r"(?!\s*,?\s*(?:19|20)\d{2})"
_EN_DM = re.compile(rf"(?<![\w.])(?P<d>\d{{1,2}})(?:{_TO}(?P<d2>\d{{1,2}}))?(?:st|nd|rd|th)?\s+{_MON_CAP}\b{_NO_YEAR}")
_EN_MD = re.compile(rf"\b{_MON_CAP}\s*(?<=[.\s])(?P<d>\d{{1,2}})(?:{_TO}(?P<d2>\d{{1,2}}))?(?:st|nd|rd|th)?\b{_NO_YEAR}")


@dataclass(frozen=True)
class DateSpan:
    """A date or date range found in text, with its offset and the offset just after it."""

    start: str
    end: str
    offset: int
    stop: int = -1


def _iso(y: int, m: int, d: int) -> str:
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return ""


def _month(match: re.Match[str]) -> int:
    if "mon" in match.groupdict() and match.group("mon"):
        return MONTHS.get(match.group("mon").lower().rstrip("."), 0)
    return int(match.group("m"))


def _stated_year(match: re.Match[str]) -> int | None:
    y = match.groupdict().get("y")
    return int(y) if y else None


def _span(match: re.Match[str], year: int | None) -> DateSpan | None:
    y = _stated_year(match) or year
    if y is None:
        return None
    m = _month(match)
    start = _iso(y, m, int(match.group("d")))
    d2 = match.groupdict().get("d2")
    end = _iso(y, m, int(d2)) if d2 else ""
    return DateSpan(start, end, match.start(), match.end()) if start else None


def find_dates(text: str, default_year: int | None = None) -> list[DateSpan]:
    """All dates in ``text`` in order; a date without a year takes the previous one's year.

    Args:
        text: Any text.
        default_year: Year for dates that state none before any dated one appears.

    Returns:
        Date spans sorted by offset (unparseable or impossible dates are skipped).
    """
    matches = sorted(
        (m for rx in (_ZH, _ISO, _EN_DMY, _EN_MDY, _EN_DM, _EN_MD) for m in rx.finditer(text)), key=lambda m: m.start()
    )
    spans: list[DateSpan] = []
    year = default_year
    last_end = -1
    for m in matches:
        if m.start() < last_end:
            continue
        span = _span(m, year)
        if span and spans and _stated_year(m) is None and span.start < spans[-1].start and m.start() - last_end <= 3:
            span = _span(m, year + 1)  # 2018年12月30日至1月2日
        if span:
            spans.append(span)
            year = int(span.start[:4])
            last_end = m.end()
    return spans


def first_date(text: str, default_year: int | None = None) -> DateSpan | None:
    """The first date in ``text`` or None."""
    spans = find_dates(text, default_year)
    return spans[0] if spans else None


def date_range(text: str, default_year: int | None = None) -> tuple[str, str]:
    """(start, end) of all dates in ``text``; end is '' for a single day.

    Args:
        text: A date field such as ``2019 年 12 月 2 日晚；12 月 3 日上午``.
        default_year: Year for dates that state none.

    Returns:
        ISO start and end dates ('' when absent).
    """
    spans = find_dates(text, default_year)
    if not spans:
        return "", ""
    days = sorted({d for s in spans for d in (s.start, s.end) if d})
    return days[0], (days[-1] if days[-1] != days[0] else "")


_LEAD = re.compile(r"^\s*(?:当地时间|北京时间|on|from|\(?\w+\)?\s*[-–—,，]\s*)?\s*$", re.I)
_DATELINE = re.compile(r"^[A-Z][A-Z .'’-]{1,30}[,，]\s*$")  # "KUALA LUMPUR, May 9, 2022 - ..."


def starts_with_date(text: str) -> bool:
    """Whether a paragraph opens with a date (``2019年11月6日，…``, ``当地时间…``, ``On 6 Nov 2019``)."""
    span = first_date(text[:40], default_year=2000)
    if not span:
        return False
    lead = text[: span.offset]
    return (span.offset <= 12 and bool(_LEAD.match(lead))) or bool(_DATELINE.match(lead))
