"""Event notice fields: ``会议时间`` / ``会议地点`` and ``Date:`` / ``Venue:``."""

from __future__ import annotations

import re

from archive.layout.dates import first_date

_WHEN = re.compile(r"^(?:会议|活动|论坛|培训)?(?:时间|日期)\s*[：:]\s*(?P<v>.+)$|^(?:date|dates|when|time)\s*:\s*(?P<e>.+)$", re.I)
_WHERE = re.compile(r"^(?:会议|活动|论坛|培训)?地点\s*[：:]\s*(?P<v>.+)$|^(?:venue|place|location|where)\s*:\s*(?P<e>.+)$", re.I)


def _value(m: re.Match[str] | None) -> str | None:
    if not m:
        return None
    return (m.group("v") or m.group("e") or "").strip() or None


def event_field(line: str) -> tuple[str, str] | None:
    """Classify a line as an event field.

    Args:
        line: One cleaned line.

    Returns:
        ``("when", value)`` or ``("where", value)``, or None for other lines.
    """
    line = line.strip()
    if len(line) > 120:
        return None
    when = _value(_WHEN.match(line))
    if when:
        return "when", when
    where = _value(_WHERE.match(line))
    return ("where", where) if where else None


# "June 15-16, 2022, Singapore and online. Investors ..." -> "Singapore and online"
_LEAD_PLACE = re.compile(r"^\s*[,，]\s*(?:in\s+|at\s+)?(?P<p>[A-Z][^.,;:!?()]{1,50}?)\s*[.;]")
# "will be held in Shenzhen on 2 December" -> "Shenzhen"
_EN_PLACE = re.compile(
    r"\b(?:will be held|will take place|takes place|will meet|will convene)\s+(?:in|at)\s+"
    r"(?P<p>[A-Z][\w'’ -]{1,40}?)(?=\s+(?:on|from|in|at|between)\b|\s*[,.;]|$)"
)
# "将于2021年11月18日在新加坡举行" -> "新加坡"
_ZH_PLACE = re.compile(r"(?:将|拟|定)于[^，。；]{0,30}?在(?P<p>[^，。；、\s]{2,15}?)(?:举行|召开|举办|开幕|启动|开展)")


def event_place(text: str, year: int | None = None) -> str:
    """The place of an event notice without a place field, from its opening or its wording.

    Args:
        text: The notice's text, e.g. ``June 28, 2022, Beijing and online. The workshop ...``.
        year: Default year for dates that state none.

    Returns:
        The place ('' when the text names none in a recognised form).
    """
    span = first_date(text[:80], year if year is not None else 2000)
    if span is not None and span.offset <= 3:
        m = _LEAD_PLACE.match(text[span.stop :])
        if m:
            return m.group("p").strip()
    m = _EN_PLACE.search(text) or _ZH_PLACE.search(text)
    return m.group("p").strip() if m else ""
