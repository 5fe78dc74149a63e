"""Event notice fields: ``会议时间`` / ``会议地点`` and ``Date:`` / ``Venue:``."""

from __future__ import annotations

import re

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
