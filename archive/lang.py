"""Language of a text: ``zh``, ``en`` or ``mixed``."""

from __future__ import annotations

import re

from archive.normalize import cjk_count


def detect_lang(text: str) -> str:
    """Guess the language of ``text`` from its share of CJK characters vs Latin words.

    Args:
        text: Any text.

    Returns:
        ``zh`` when CJK dominates, ``en`` when Latin words dominate, else ``mixed``.
    """
    cjk = cjk_count(text)
    words = len(re.findall(r"[A-Za-z]{2,}", text))
    if cjk == 0 and words == 0:
        return "zh" if not text.strip() else "en"
    share = cjk / (cjk + 2 * words)
    if share >= 0.75:
        return "zh"
    if share <= 0.15:
        return "en"
    return "mixed"
