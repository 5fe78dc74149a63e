"""Parse a bulletin's text into its bulletin record and items."""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import replace

from archive.lang import detect_lang
from archive.layout.dates import find_dates
from archive.layout.headings import is_credit_line
from archive.layout.items import build_items
from archive.layout.paragraphs import Para, split_paragraphs
from archive.layout.segment import segment
from archive.layout.toc import Toc, parse_toc
from archive.model import Bulletin, Item, Meta, ParsedFile

log = logging.getLogger(__name__)


def _year(meta: Meta, text: str) -> int | None:
    """Year for dates that state none: the metadata's, else the year most dates in the text carry."""
    m = re.match(r"((?:19|20)\d{2})", meta.date or meta.period)
    if m:
        return int(m.group(1))
    years = Counter(span.start[:4] for span in find_dates(text[:200000]))
    return int(years.most_common(1)[0][0]) if years else None


def _title(meta: Meta, paras: list[Para], masthead: tuple[str, ...], fallback: str) -> str:
    if meta.title:
        return meta.title
    first = next((p for p in paras if p.kind == "markup" and p.value == 1), None)
    if first is not None:
        return first.text.lstrip("#").strip()
    return next((line for line in masthead if not is_credit_line(line)), fallback)


def _infer_date(meta: Meta, items: list[Item]) -> tuple[str, bool, tuple[str, ...]]:
    """Issue date: the sidecar's, else the latest date of a reported (non-event) item."""
    if meta.date:
        return meta.date, False, ("issue date given in the metadata",)
    reported = sorted(it.date for it in items if it.date and it.kind not in ("event", "quote"))
    if not reported:
        note = f"no issue date given or found; period {meta.period}" if meta.period else "no issue date given or found"
        return "", False, (note,)
    date = reported[-1]
    notes = [f"issue date inferred as the latest reported item date ({date})"]
    if meta.period and not date.startswith(meta.period):
        notes.append(f"inferred date lies outside the stated period {meta.period}")
    return date, True, tuple(notes)


def _layout_note(toc: Toc | None) -> str:
    if toc is None:
        return "layout: headlines and sections inline"
    return f"layout: table of contents with {len(toc.entries)} headlines in {len(toc.sections)} sections"


def parse_text(text: str, bulletin_id: str, source_file: str = "", meta: Meta | None = None) -> ParsedFile:
    """Parse extracted bulletin text. Never raises on any text.

    Args:
        text: The document's text (already decoded and extracted).
        bulletin_id: Id of the bulletin (slug of the file stem).
        source_file: Path recorded in the bulletin record.
        meta: Sidecar or front-matter metadata.

    Returns:
        The bulletin record and its items in document order.
    """
    meta = meta or Meta()
    paras = split_paragraphs(text)
    toc = parse_toc(paras)
    body = paras[toc.end :] if toc else paras
    drafts, masthead = segment(body, toc)
    items = build_items(drafts, bulletin_id, toc, _year(meta, text))
    if meta.url:
        items = [replace(it, url=it.url or meta.url) for it in items]
    date, inferred, notes = _infer_date(meta, items)
    notes += (_layout_note(toc),)
    bulletin = Bulletin(
        id=bulletin_id, title=_title(meta, paras, toc.masthead if toc else masthead, bulletin_id),
        publisher=meta.publisher, date=date, language=meta.language or detect_lang(text[:20000]),
        source_file=source_file, issue=meta.issue, date_inferred=inferred, notes=notes,
    )
    return ParsedFile(bulletin, tuple(items))
