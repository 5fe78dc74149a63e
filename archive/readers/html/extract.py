"""HTML page -> its article: title, date, source and body blocks (headings and paragraphs).

Navigation, headers, footers, sidebars, "related articles" lists and share buttons are dropped: by tag
(``<nav>``, ``<aside>``…), by class, id or role (``sidebar``, ``breadcrumb``, ``related``, ``share``…),
and by link density (a list that is mostly links). The article is the page's ``<article>`` or
``<main>`` (widened to take in the ``<h1>`` above it), else the cleaned ``<body>``. Bylines
(``发布时间：… 来源：…``) become the page's date and source (:mod:`archive.readers.html.meta`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archive.errors import UnreadableFile
from archive.normalize import CJK
from archive.readers.html.meta import LineMeta, meta_line, tag_meta
from archive.readers.text import BOMS, guess, try_decode

_DROP = ["script", "style", "noscript", "iframe", "svg", "button", "select", "input", "textarea", "nav", "aside",
         "menu", "template", "object", "embed", "canvas"]
_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"}
_BOILER = {"nav", "navbar", "navigation", "menu", "menubar", "header", "footer", "foot", "sidebar", "side",
           "breadcrumb", "breadcrumbs", "crumb", "crumbs", "related", "relate", "recommend", "share", "sharing",
           "social", "sns", "comment", "comments", "copyright", "pager", "pagination", "toolbar", "ad", "ads",
           "advert", "advertisement", "banner", "topbar", "subnav", "login", "search", "logo", "bdshare",
           "jiathis", "bshare", "xgxw", "xgwz", "location", "position", "weizhi", "dqwz", "widget", "popup", "modal", "cookie", "tags", "hot"}
_KEEP = {"article", "content", "post", "entry", "main", "text", "detail", "story", "title", "info", "meta",
         "byline", "zw"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCK = _HEADINGS | {
    "p", "li", "blockquote", "pre", "td", "th", "dd", "dt", "figcaption", "caption", "address", "div", "section",
    "article", "main", "header", "footer", "ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr", "figure",
    "center", "form", "body", "hr",
}
_BLOCK_NAMES = sorted(_BLOCK)
_LISTS = ["ul", "ol", "dl", "div", "section", "table", "p", "td"]
MAX_DEPTH = 300
_BR = "\u2028"  # marks a <br> inside collected text
_CJK_BREAK = re.compile(rf"(?<=[{CJK}])\s*\n\s*(?=[{CJK}])")
# Furniture lines of news pages: "related articles" headings, previous/next links, print/close/share.
_NOISE = re.compile(
    r"^(?:相关(?:文章|新闻|阅读|链接|推荐|报道)|推荐阅读|延伸阅读|热点新闻|热门文章|更多新闻|分享到?|返回(?:顶部|首页|列表)?|"
    r"打印(?:本页|此页)?|关闭(?:窗口|本页)?|related (?:articles|news|stories|posts|links)|more news|"
    r"share(?: this(?: article| page)?)?|print(?: this page)?|back to top)\s*[:：]?$|^(?:上一篇|下一篇|previous|next)\s*[:：]|"
    r"^(?:【[^】]{0,12}】\s*)+$|^(?:当前位置|您的位置|您现在的位置|你现在的位置|所在位置|you are here)\s*[:：]",
    re.I,
)


@dataclass(frozen=True)
class Block:
    """One block of an article: a heading (``level`` 1-6) or a paragraph (``level`` 0)."""

    text: str
    level: int = 0


@dataclass(frozen=True)
class Page:
    """A web page's article.

    Attributes:
        title: The ``<h1>``, else the first heading before any paragraph, else the ``<title>``.
        blocks: Headings and paragraphs of the article, bylines removed.
        date: Publication date stated by the page (ISO, '' if none).
        source: Outlet stated by the page's byline or ``<meta>`` ('' if none).
        url: The page's canonical address ('' if none).
    """

    title: str
    blocks: tuple[Block, ...]
    date: str = ""
    source: str = ""
    url: str = ""


def render(blocks: tuple[Block, ...] | list[Block]) -> str:
    """Blocks as the text parser reads them: headings as Markdown ``#``, blank lines between blocks."""
    return "\n\n".join(("#" * b.level + " " if b.level else "") + b.text for b in blocks)


def html_text(data: bytes, path: str) -> str:
    """Article text of an HTML page (its title, headings as Markdown ``#``, and paragraphs).

    Raises:
        UnreadableFile: The page cannot be parsed or holds no text.
    """
    return render(read_page(data, path).blocks)


def read_page(data: bytes, path: str) -> Page:
    """The article of an HTML page.

    Raises:
        UnreadableFile: The page cannot be parsed, is nested too deeply, or holds no text.
    """
    from bs4 import BeautifulSoup

    try:
        soup = BeautifulSoup(_html_unicode(data), "html.parser")
        return _page(soup, path)
    except UnreadableFile:
        raise
    except RecursionError as exc:
        raise UnreadableFile(path, "HTML page is nested too deeply to read") from exc
    except Exception as exc:  # bs4 is lenient; this is a last resort
        raise UnreadableFile(path, f"HTML cannot be parsed ({type(exc).__name__}: {exc})") from exc


def _depth(soup: object) -> int:
    """How deeply the page's elements nest (counted without recursion)."""
    deepest, stack = 0, [(soup, 0)]
    while stack:
        el, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in el.children if getattr(child, "children", None) is not None)
    return deepest


def _page(soup: object, path: str) -> Page:
    if _depth(soup) > MAX_DEPTH:
        raise UnreadableFile(path, f"HTML page is nested too deeply to read (over {MAX_DEPTH} levels)")
    head_title = _clean_title(soup.title.get_text(" ") if soup.title else "")
    _drop_boilerplate(soup)
    date, source, url = tag_meta(soup)
    root = _root(soup)
    blocks: list[Block] = []
    _walk(root, blocks)
    blocks = [b for b in blocks if not _NOISE.match(b.text)]
    body, stated = _split_bylines(blocks)
    if not body:
        raise UnreadableFile(path, "HTML page has no text")
    date = date or next((m.date for m in stated if m.date), "")
    source = source or next((m.source for m in stated if m.source), "")
    return Page(_title(body) or head_title, tuple(body), date, source, url)


def _title(blocks: list[Block]) -> str:
    h1 = next((b.text for b in blocks if b.level == 1), "")
    if h1:
        return h1
    first = blocks[0] if blocks else None
    return first.text if first is not None and first.level else ""


def _clean_title(title: str) -> str:
    """``新闻标题_新闻中心_BRIGC`` / ``Title | Site`` -> the page's own part."""
    title = re.sub(r"\s+", " ", title).strip()
    return re.split(r"\s+[|｜\-–—_]\s+|_|｜", title)[0].strip() if title else ""


def _split_bylines(blocks: list[Block]) -> tuple[list[Block], list[LineMeta]]:
    """Body blocks without the bylines, and what the bylines state (the top ones first)."""
    body: list[Block] = []
    stated: list[LineMeta] = []
    top = True
    for b in blocks:
        found = meta_line(b.text, top=top) if b.level == 0 else None
        if found is not None:
            stated.append(found)
            continue
        top = top and b.level > 0
        body.append(b)
    return body, stated


def _tokens(el: object) -> set[str]:
    names = " ".join([*(el.get("class") or []), str(el.get("id") or "")]).lower()
    return set(re.split(r"[-_\s]+", names)) - {""}


def _text_len(el: object) -> int:
    return len(re.sub(r"\s+", "", el.get_text("")))


def _drop_boilerplate(soup: object) -> None:
    for el in soup.find_all(_DROP):
        el.decompose()
    body = soup.body or soup
    total = _text_len(body) or 1
    for el in body.find_all(True):
        if getattr(el, "decomposed", False) or el.find(["article", "main"]) is not None:
            continue
        if _is_boilerplate(el, total):
            el.decompose()


def _is_boilerplate(el: object, total: int) -> bool:
    """Page furniture: a page-level header/footer, a boilerplate class/id/role, or a list of links."""
    if el.name in ("header", "footer") and el.find_parent(["article", "main"]) is None:
        return True
    tokens = _tokens(el)
    if str(el.get("role") or "").lower() in _ROLES or (tokens & _BOILER and not tokens & _KEEP):
        size = _text_len(el)
        return size <= 0.6 * total or _link_density(el, size) >= 0.5
    return el.name in _LISTS and len(el.find_all("a", limit=2)) >= 2 and _link_density(el, _text_len(el)) >= 0.6


def _link_density(el: object, size: int) -> float:
    links = sum(_text_len(a) for a in el.find_all("a"))
    return links / size if size else 1.0


def _root(soup: object) -> object:
    """The article element, widened to the nearest ancestor that holds the page's ``<h1>``."""
    articles = soup.find_all("article")
    root = articles[0] if len(articles) == 1 else soup.find("main") or soup.find(attrs={"role": "main"})
    body = soup.body or soup
    if root is None:
        return body
    h1 = body.find("h1")
    while root is not body and h1 is not None and root.find("h1") is None and root.parent is not None:
        root = root.parent
    return root


def _walk(el: object, out: list[Block]) -> None:
    """Append the blocks of ``el``: headings, leaf blocks, and runs of inline content between blocks."""
    from bs4 import NavigableString, Tag
    from bs4.element import PreformattedString

    run: list[str] = []
    for child in el.children:
        if isinstance(child, NavigableString):
            if not isinstance(child, PreformattedString):
                run.append(str(child))
        elif not isinstance(child, Tag):
            continue
        elif child.name == "br":
            run.append(_BR)
        elif child.name in _HEADINGS:
            _flush(run, out)
            text = _clean(_inline_text(child).replace(_BR, " "))
            if text:
                out.append(Block(text, int(child.name[1])))
        elif child.find(_BLOCK_NAMES) is not None:
            _flush(run, out)
            _walk(child, out)
        elif child.name in _BLOCK:
            _flush(run, out)
            _flush([_inline_text(child)], out)
        else:
            run.append(_inline_text(child))
    _flush(run, out)


def _inline_text(el: object) -> str:
    """Text of an element without blocks inside; ``<br>`` kept as a break mark."""
    from bs4 import NavigableString
    from bs4.element import PreformattedString

    parts = []
    for node in el.descendants:
        if isinstance(node, NavigableString):
            if not isinstance(node, PreformattedString):
                parts.append(str(node))
        elif node.name == "br":
            parts.append(_BR)
    return "".join(parts)


def _flush(run: list[str], out: list[Block]) -> None:
    """Turn collected inline text into paragraphs (one per ``<br>``-separated line) and clear it."""
    for piece in "".join(run).split(_BR):
        text = _clean(piece)
        if text:
            out.append(Block(text))
    run.clear()


def _clean(text: str) -> str:
    """Collapse whitespace; a line break between two CJK characters (source wrapping) disappears."""
    return re.sub(r"\s+", " ", _CJK_BREAK.sub("", text)).strip()


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
