"""Document and user text as inert Markdown for Streamlit.

Every piece of document or user text is escaped before it is shown; only the engine's snippet markup
(``<mark>``) stays HTML.
"""

from __future__ import annotations

import html
import re

_MD_SPECIAL = re.compile(r"([!\"#$%'()*+,\-./:;=?@\[\\\]^_`{|}~])")
_MARK = re.compile(r"(</?mark>)")


def md(text: str) -> str:
    """Document/user text as inert Markdown: punctuation backslash-escaped, HTML characters as entities."""
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    return escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def snippet_md(snippet: str) -> str:
    """The engine's snippet HTML (escaped text + <mark>) as Markdown that keeps only the <mark> tags."""
    parts = _MARK.split(snippet)
    return "".join(p if p in ("<mark>", "</mark>") else md(html.unescape(p)) for p in parts)


def paragraphs_md(text: str) -> str:
    """Text as escaped Markdown paragraphs, one per non-blank line."""
    return "\n\n".join(md(line.strip()) for line in text.splitlines() if line.strip())
