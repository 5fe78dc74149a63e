"""Text as result pages show it: the opening of an item, safe to put in HTML (snippets build on it)."""

from __future__ import annotations

import html
import re

ELLIPSIS = "…"
SENTENCE_END = re.compile(r"[。！？；!?;]+|\n\s*\n|\.(?=\s)")
CJK_SPACE = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")


def lead(text: str, max_chars: int = 180) -> str:
    """The opening of ``text`` (escaped), up to ``max_chars``, cut after a sentence end when one is near."""
    flat = CJK_SPACE.sub("", " ".join(text.split()))
    if len(flat) <= max_chars:
        return html.escape(flat)
    ends = [m.end() for m in SENTENCE_END.finditer(flat, 0, max_chars)]
    cut = ends[-1] if ends and ends[-1] >= max_chars // 2 else max_chars
    return html.escape(flat[:cut].rstrip()) + ELLIPSIS
