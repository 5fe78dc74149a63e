"""Turn draft items into typed :class:`~archive.model.Item` records."""

from __future__ import annotations

import re
from dataclasses import replace

from archive.ids import item_id, unique_ids
from archive.lang import detect_lang
from archive.layout.dates import date_range, first_date, starts_with_date
from archive.layout.events import event_place
from archive.layout.segment import ABOUT_CUE, Draft, _strip_number
from archive.layout.sources import split_trailing_source
from archive.layout.toc import EVENT_SECTION, QUOTE_SECTION, Toc, align, best_headline
from archive.model import Item
from archive.normalize import cjk_count, clip

REPORT_TITLE = re.compile(r"报告.{0,6}发布|发布.{0,20}报告|白皮书|\breports? (released|launched|published)\b|"
                          r"\b(releases?|launch(es)?|publish(es)?)\b.{0,40}\breport\b", re.I)


FUTURE = re.compile(r"将于|将在|拟于|定于|will be held|will take place|(?:is|are) scheduled (?:for|to)", re.I)
# Sections announcing what is to come (not 活动 / activities, which report what happened).
UPCOMING_SECTION = re.compile(r"预告|会议安排|活动安排|upcoming|forthcoming|calendar|agenda|\bevents?\b", re.I)


def _is_event(d: Draft) -> bool:
    """An event notice: it has time/place fields, or sits in an events section and speaks of the future
    (``将于…举行``), or opens with its date in an upcoming-events section (``June 28, 2022, Beijing.``)."""
    if d.when or d.where:
        return True
    if UPCOMING_SECTION.search(d.section) and starts_with_date(d.text):
        return True
    return bool(EVENT_SECTION.search(d.section)) and bool(FUTURE.search(d.text))


def _kind(d: Draft) -> str:
    if d.quote:
        return "quote"
    if _is_event(d):
        return "event"
    if REPORT_TITLE.search(d.title):
        return "report"
    return "news"


def _is_about(d: Draft, is_last: bool) -> bool:
    if d.about and not d.quote and not d.when and not d.where:
        return True
    head = d.text[:60]
    return (d.after_furniture or is_last) and not d.source and not d.when and not d.quote and \
        first_date(head) is None and bool(ABOUT_CUE.search(d.text))


def _strip_sources(d: Draft) -> None:
    """Move a trailing inline attribution of the last paragraph into ``source``."""
    if d.paras and not d.source:
        text, src = split_trailing_source(d.paras[-1])
        if src:
            d.paras[-1] = text
            d.source = src


def _untitled(d: Draft, kind: str) -> str:
    head = re.split(r"(?<=[。！？!?])|(?<=\.)\s", d.text.strip(), maxsplit=1)[0]
    if kind == "quote" and d.speaker:
        sep = "：" if cjk_count(d.speaker) else ": "
        return f"{d.speaker}{sep}{clip(head, 22 if sep == '：' else 60)}"
    return clip(head, 40) or clip(d.text, 40)


def apply_toc(drafts: list[Draft], toc: Toc) -> dict[int, Draft]:
    """Title and section drafts from the contents; returns {draft index: draft} for parent lookup.

    Args:
        drafts: Drafts in order (modified in place).
        toc: The contents map.

    Returns:
        For each contents headline index, the draft it aligned with.
    """
    candidates = [i for i, d in enumerate(drafts) if not d.quote]
    matched = align(toc.entries, [drafts[i].text for i in candidates])
    for ti, entry in matched.items():
        d = drafts[candidates[ti]]
        d.title, d.section, d.entry = entry.headline, entry.section, entry
    quote_section = _quote_section(toc)
    event_section = toc.section_named(EVENT_SECTION)
    previous = ""
    for d in drafts:
        if d.quote:
            d.section = quote_section or previous
        elif (d.when or d.where) and event_section:
            d.section = event_section
        elif not d.section:
            d.section = previous
        previous = d.section if not d.quote else previous
    return {toc.entries.index(e): drafts[candidates[t]] for t, e in matched.items()}


def _quote_section(toc: Toc) -> str:
    """The viewpoints section: named so, or listing only headlines that other sections list too."""
    named = toc.section_named(QUOTE_SECTION)
    if named:
        return named
    for name in toc.sections:
        mine = [e for e in toc.entries if name in e.also_in]
        if mine and not any(e.section == name for e in toc.entries):
            return name
    return ""


def _parent_for(quote: Draft, toc: Toc | None, by_entry: dict[int, Draft]) -> Draft | None:
    """The news item a quote belongs to: the viewpoints section's own headline, when it lists one."""
    if toc is None:
        return None
    listed = tuple(e for e in toc.entries if quote.section and (quote.section in e.also_in or e.section == quote.section))
    entry, score = best_headline(listed, quote.text) if len(listed) > 1 else (listed[0] if listed else None, 1.0)
    if entry is None:
        return None
    return by_entry.get(toc.entries.index(entry))


def build_items(drafts: list[Draft], bulletin: str, toc: Toc | None, year: int | None) -> list[Item]:
    """Typed items from drafts, with titles, kinds, dates, ids and quote parents.

    Args:
        drafts: Drafts in document order.
        bulletin: The bulletin id.
        toc: Contents map (None for headline layouts).
        year: Default year for dates that state none.

    Returns:
        Items in document order.
    """
    for d in drafts:
        _strip_sources(d)
    by_entry = apply_toc(drafts, toc) if toc else {}
    kinds = ["about" if _is_about(d, i == len(drafts) - 1) else _kind(d) for i, d in enumerate(drafts)]
    items = [_item(d, k, bulletin, year, n) for n, (d, k) in enumerate(zip(drafts, kinds, strict=True))]
    ids = unique_ids([it.id for it in items])
    items = [replace(it, id=i) for it, i in zip(items, ids, strict=True)]
    index = {id(d): it for d, it in zip(drafts, items, strict=True)}
    return [_link(it, d, toc, by_entry, index) for it, d in zip(items, drafts, strict=True)]


def _link(it: Item, d: Draft, toc: Toc | None, by_entry: dict[int, Draft], index: dict[int, Item]) -> Item:
    if it.kind != "quote":
        return it
    parent = _parent_for(d, toc, by_entry)
    if parent is None or id(parent) not in index:
        return it
    p = index[id(parent)]
    return replace(it, parent_id=p.id, date=it.date or p.date)


def _item(d: Draft, kind: str, bulletin: str, year: int | None, position: int) -> Item:
    title = _strip_number(d.title) if d.title else _untitled(d, kind)
    start, end = _dates(d, kind, year)
    section = "" if kind == "about" else d.section
    key = title if kind != "quote" else f"{d.speaker}{d.text[:60]}"
    return Item(
        id=item_id(bulletin, kind, key), bulletin_id=bulletin, kind=kind, title=title, text=d.text,
        section=section, date=start, date_end=end, source=d.source, speaker=d.speaker,
        speaker_title=d.speaker_title, place=d.where or (event_place(d.text, year) if kind == "event" else ""), lang=detect_lang(d.text), position=position,
    )


def _dates(d: Draft, kind: str, year: int | None) -> tuple[str, str]:
    if kind == "about" or kind == "quote":
        return "", ""
    if d.when:
        lead = first_date(d.text, year)
        return date_range(d.when, int(lead.start[:4]) if lead else year)
    span = first_date(d.text, year)
    if span is None:
        return "", ""
    return span.start, (span.end if kind == "event" else "")
