"""Source attributions: ``（来源：新华网）``, ``（供稿：美国环保协会）``, ``（中国一带一路网）``,
``（环境法律法规和标准专题伙伴关系 供稿）``, ``(Source: Xinhua)``."""

from __future__ import annotations

import re

_KEY = r"(?:来源|稿源|稿件来源|供稿|供稿单位|文章来源|source|sources|credit)"
_WHOLE = [
    re.compile(rf"^[（(]\s*{_KEY}\s*[：:]\s*(?P<s>[^（）()]{{1,60}}?)\s*[）)]$", re.I),
    re.compile(r"^[（(]\s*(?P<s>[^（）()]{1,60}?)\s*供稿\s*[）)]$"),
    re.compile(rf"^{_KEY}\s*[：:]\s*(?P<s>[^。.!?！？]{{1,60}}?)$", re.I),
    re.compile(r"^[（(]\s*(?P<s>[^（）()，,。.：:\d]{2,30}?)\s*[）)]$"),
]
_TRAIL = [
    re.compile(rf"^(?P<t>.*?)\s*[（(]\s*{_KEY}\s*[：:]\s*(?P<s>[^（）()]{{1,60}}?)\s*[）)]$", re.I | re.S),
    re.compile(r"^(?P<t>.*?[。.!?！？”\"])\s*[（(]\s*(?P<s>[^（）()]{1,60}?)\s*供稿\s*[）)]$", re.S),
]
# Parentheticals that are not outlets: abbreviations, figure references, "continued" / "end" marks, notes.
# Marks such as 续/完/注 must be the whole parenthetical: 可持续 or 关注 inside an outlet name are fine.
_NOT_SOURCE = re.compile(
    r"以下简称|简称|下同|见图|图\d|^(?:续|完|未完|待续|未完待续|全文完|continued|cont\.?)$|^注(?:[：:\d]|$)", re.I
)


def source_line(text: str) -> str | None:
    """The outlet if the whole paragraph is a source attribution, else None.

    Args:
        text: One paragraph.

    Returns:
        The outlet name (e.g. ``新华网``) or None.
    """
    text = text.strip()
    if len(text) > 70:
        return None
    for rx in _WHOLE:
        m = rx.match(text)
        if m and not _NOT_SOURCE.search(m.group("s")):
            return m.group("s").strip()
    return None


def split_trailing_source(text: str) -> tuple[str, str]:
    """Split a trailing inline attribution off a paragraph.

    Args:
        text: One paragraph.

    Returns:
        (text without the attribution, outlet) — outlet '' when none.
    """
    for rx in _TRAIL:
        m = rx.match(text.strip())
        if m and m.group("t").strip() and not _NOT_SOURCE.search(m.group("s")):
            return m.group("t").rstrip(), m.group("s").strip()
    return text, ""
