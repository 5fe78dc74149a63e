"""HTML page -> its article text (navigation, scripts, headers and footers dropped)."""

from __future__ import annotations

import re

from archive.errors import UnreadableFile
from archive.readers.text import BOMS, guess, try_decode

_DROP = ["script", "style", "nav", "header", "footer", "aside", "form", "noscript", "iframe", "svg", "button", "menu"]
_BLOCKS = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre", "td", "dd", "dt", "figcaption"]


def html_text(data: bytes, path: str) -> str:
    """Article text of an HTML page (navigation, scripts, headers and footers dropped).

    Raises:
        UnreadableFile: The page holds no text.
    """
    from bs4 import BeautifulSoup

    try:
        soup = BeautifulSoup(_html_unicode(data), "html.parser")
    except Exception as exc:  # bs4 is lenient; this is a last resort
        raise UnreadableFile(path, f"HTML cannot be parsed ({exc})") from exc
    for tag in soup.find_all(_DROP):
        tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    blocks = [_html_block(el) for el in root.find_all(_BLOCKS) if not el.find_parent(_BLOCKS)]
    text = "\n\n".join(b for b in blocks if b) or root.get_text("\n")
    if not text.strip():
        raise UnreadableFile(path, "HTML page has no text")
    return text


def _html_unicode(data: bytes) -> str:
    """Decode a page: its BOM or declared charset, else UTF-8, else detection; bad bytes become U+FFFD."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    declared = re.search(rb"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", data[:4096])
    codecs = [declared.group(1).decode("ascii")] if declared else []
    for codec in [*codecs, "utf-8"]:
        text = try_decode(data, codec)
        if text is not None:
            return text
    guessed, _ = guess(data)
    return guessed if guessed is not None else data.decode("utf-8", errors="replace")


def _html_block(el: object) -> str:
    text = re.sub(r"\s+", " ", el.get_text("")).strip()
    if text and el.name[0] == "h":
        return "#" * int(el.name[1]) + " " + text
    return text
