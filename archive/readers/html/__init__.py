"""Web pages (``.html``, ``.htm``) -> bulletin record and items.

- :mod:`.extract`: the article of a page (title, headings, paragraphs), furniture dropped;
- :mod:`.meta`: the page's date and source (``<meta>``, ``<time>``, ``发布时间：… 来源：…`` bylines);
- :mod:`.bilingual`: Chinese and English streams of a bilingual page, and the links between their items;
- :mod:`.page`: one news item per page, or the items of a bulletin page, through the layout parser.
"""

from __future__ import annotations

from archive.readers.html.extract import html_text
from archive.readers.html.page import FORMAT, SUFFIXES, read_html

__all__ = ["FORMAT", "SUFFIXES", "html_text", "read_html"]
