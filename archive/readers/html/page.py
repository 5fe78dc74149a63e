"""A web page -> its bulletin record and items.

A page is usually one news item: its title is the page's heading, its date and source the page's byline
(``发布时间`` / ``<time>`` / ``<meta>``, ``来源：`` / ``Source:``), its text every paragraph of the article.
A page that is a whole bulletin issue (sections as ``<h2>``, items as ``<h3>``) is read by the text parser
like any bulletin. A bilingual page is split into a Chinese and an English stream, each read the same way,
and the English items are linked to the Chinese ones (:mod:`archive.readers.html.bilingual`).

Typing stays in one place: one-item pages go through :func:`archive.layout.items.build_items` (kind, dates,
id, language) and bulletin pages through :func:`archive.layout.parse.parse_text`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from archive.errors import UnreadableFile
from archive.layout.items import build_items
from archive.layout.parse import parse_text
from archive.layout.segment import ISSUE, Draft
from archive.layout.sources import source_line
from archive.model import Bulletin, Item, Meta, ParsedFile
from archive.readers.formats import Format
from archive.readers.html.bilingual import Stream, block_lang, link_translations, split_languages
from archive.readers.html.extract import Block, Page, read_page, render

SUFFIXES: tuple[str, ...] = (".html", ".htm")
HOW = "read as HTML"


@dataclass(frozen=True)
class _Read:
    """One stream read: its items, and the bulletin record when the text parser read it as a bulletin."""

    items: tuple[Item, ...]
    bulletin: Bulletin | None = None


def read_html(data: bytes, path: str, bulletin: str, meta: Meta | None = None) -> ParsedFile:
    """Read a web page into its bulletin record and items.

    Args:
        data: The page's bytes.
        path: The file, named in errors and in the bulletin record.
        bulletin: The bulletin id.
        meta: Sidecar metadata (its title, date, language and url win over the page's).

    Returns:
        The parsed page.

    Raises:
        UnreadableFile: The page cannot be parsed or yields no item.
    """
    meta = meta or Meta()
    page = read_page(data, path)
    streams = split_languages(page.blocks)
    reads = [_read_stream(s, page, bulletin, path, meta) for s in streams]
    notes: tuple[str, ...] = ()
    items = list(reads[0].items)
    if len(reads) == 2:
        items, paired = link_translations(items, list(reads[1].items))
        notes = (_bilingual_note(reads, paired),)
    if not items:
        raise UnreadableFile(path, "no bulletin items found in the page")
    record = _bulletin(reads[0], page, bulletin, path, meta, bilingual=len(reads) == 2)
    return ParsedFile(replace(record, notes=(HOW, *notes, *record.notes)), tuple(items))


def _bilingual_note(reads: list[_Read], paired: bool) -> str:
    zh, en = (len(r.items) for r in reads)
    if paired:
        return f"bilingual page: {en} English items linked to their Chinese originals (translation_of)"
    return f"bilingual page: {zh} Chinese and {en} English items could not be paired, left unlinked"


def is_bulletin_page(blocks: tuple[Block, ...], title: str) -> bool:
    """Whether a page is a bulletin issue: headings on two levels below the title (``<h2>`` sections over
    ``<h3>`` items), or an issue title (``简报``, ``第11期``, ``Newsletter``) over several headings."""
    levels = [b.level for b in blocks if b.level >= 2]
    nested = any(below > above for above, below in zip(levels, levels[1:], strict=False))
    return nested or (bool(ISSUE.search(title)) and len(levels) >= 2)


def _read_stream(stream: Stream, page: Page, bulletin: str, path: str, meta: Meta) -> _Read:
    title = next((b.text for b in stream.blocks if b.level == 1), "") or page.title
    if is_bulletin_page(stream.blocks, title):
        parsed = parse_text(render(stream.blocks), bulletin, path, replace(meta, date=meta.date or page.date))
        items, record = list(parsed.items), parsed.bulletin
    else:
        items, record = _article(stream, page, bulletin), None
    url = meta.url or page.url
    items = [replace(it, lang=stream.lang or it.lang, url=it.url or url) for it in items]
    return _Read(tuple(items), record)


def _article(stream: Stream, page: Page, bulletin: str) -> list[Item]:
    """The one news item of an article page (none when the stream holds no text)."""
    title, body = _split_title(stream, page)
    paras: list[str] = []
    source = page.source
    for b in body:
        found = source_line(b.text) if b.level == 0 else None
        if found is None:
            paras.append(b.text)
        source = source or (found or "")
    if not paras and not title:
        return []
    draft = Draft(paras=paras or [title], title=title, source=source)
    year = int(page.date[:4]) if page.date else None
    return [replace(it, date=page.date or it.date) for it in build_items([draft], bulletin, None, year)]


def _split_title(stream: Stream, page: Page) -> tuple[str, tuple[Block, ...]]:
    """The title of an article stream, and its blocks without it.

    The title is the stream's ``<h1>``, else its first heading before the first paragraph; a stream without
    one takes the page's ``<title>`` when that is in the stream's language. Later headings stay text.
    """
    lead = []
    for b in stream.blocks:
        if not b.level:
            break
        lead.append(b)
    head = next((b for b in stream.blocks if b.level == 1), lead[0] if lead else None)
    if head is not None:
        return head.text, tuple(b for b in stream.blocks if b is not head)
    fits = stream.lang in ("", block_lang(page.title)) or not block_lang(page.title)
    return (page.title if fits else ""), stream.blocks


def _bulletin(first: _Read, page: Page, bulletin: str, path: str, meta: Meta, *, bilingual: bool) -> Bulletin:
    """The bulletin record: the text parser's for a bulletin page, else one made from the page."""
    language = meta.language or ("mixed" if bilingual else "")
    if first.bulletin is not None:
        return replace(first.bulletin, language=language or first.bulletin.language)
    item = first.items[0] if first.items else None
    date = meta.date or page.date or (item.date if item else "")
    inferred = not (meta.date or page.date) and bool(date)
    note = "date given in the metadata" if meta.date else "date stated by the page" if page.date else \
        "date inferred from the item" if date else "no date given or found"
    return Bulletin(
        id=bulletin, title=meta.title or page.title or (item.title if item else bulletin), publisher=meta.publisher,
        date=date, language=language or (item.lang if item else "mixed"),
        source_file=path, issue=meta.issue, date_inferred=inferred, notes=("layout: one news page", note),
    )


FORMAT = Format("html", SUFFIXES, lambda path, data, bid, meta: read_html(data, str(path), bid, meta))
