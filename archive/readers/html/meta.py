"""A web page's date and source: ``<meta>`` tags, ``<time>``, and bylines such as
``发布时间：2019-11-08 10:23  来源：新华网  作者：张三`` or ``May 9, 2022 | Source: Xinhua``.

Dates are read with :mod:`archive.layout.dates` and outlets with :mod:`archive.layout.sources`; this module
only finds where a page states them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archive.layout.dates import first_date
from archive.layout.sources import source_line

# Labels that say "when this page was published" (never an event's date).
_PUBLISHED = r"发布时间|发布日期|发表时间|发表日期|发稿时间|更新时间|published on|published|posted on|posted|updated"
_SOURCE = r"文章来源|信息来源|稿件来源|来源|稿源|供稿|sources?"
# Page furniture around the byline: who wrote or edited it, how often it was read.
_OTHER = r"责任编辑|编辑|责编|作者|记者|撰稿|通讯员|摄影|浏览次数|浏览量|浏览|点击数|点击量|点击|阅读量|阅读|访问量|字号|author|editor|views"
# Longest labels first, so 文章来源 is one label and not 文章 + 来源.
_LABEL = re.compile(rf"(?<![A-Za-z])(?P<label>{_PUBLISHED}|{_SOURCE}|{_OTHER})\s*[：:]\s*", re.I)
_KIND = [(re.compile(rf"^(?:{rx})$", re.I), kind) for rx, kind in ((_PUBLISHED, "date"), (_SOURCE, "source"))]
_RESIDUE = re.compile(r"^[\s|｜/,，;；:：·•\-–—()（）\[\]【】\d时分秒]*$")

_META_DATE = {
    "publishdate", "publish_date", "pubdate", "publication_date", "publishtime", "article:published_time",
    "og:published_time", "datepublished", "dc.date", "dc.date.issued", "dcterms.created", "parsely-pub-date",
}
_META_SOURCE = {"source", "contentsource", "article:source"}
_META_URL = {"og:url"}
MAX_LINE = 160


@dataclass(frozen=True)
class LineMeta:
    """What a byline states: the publication date (ISO, '' if none) and the outlet ('' if none)."""

    date: str = ""
    source: str = ""


def _kind(label: str) -> str:
    return next((kind for rx, kind in _KIND if rx.match(label)), "other")


def _bare_date(text: str) -> str:
    """The date of a text that is only a date (and perhaps a time): ``2019-11-08 10:23``, ``May 9, 2022``."""
    span = first_date(text)
    if span is None or not _RESIDUE.match(text[: span.offset] + text[span.stop :]):
        return ""
    return span.start


def meta_line(text: str, *, top: bool = False) -> LineMeta | None:
    """The date and source a byline states, or None when ``text`` is body text.

    A line of labelled fields is a byline when it names a publication date (``发布时间：``, ``Published:``)
    or only furniture (``责任编辑：``). Near the top of a page (``top``) a lone date, or a source with or
    without a date, is a byline too. ``时间：`` / ``Date:`` alone is an event field, left to the text parser.

    Args:
        text: One block of the page.
        top: Whether the block comes before the first body paragraph.

    Returns:
        The stated date and source, or None.
    """
    text = text.strip()
    if not text or len(text) > MAX_LINE:
        return None
    labels = list(_LABEL.finditer(text))
    lead = text[: labels[0].start()] if labels else text
    lead_date = _bare_date(lead) if lead.strip() else ""
    if lead.strip() and not lead_date:
        return None
    date, source, kinds = lead_date, "", set()
    for i, m in enumerate(labels):
        value = text[m.end() : labels[i + 1].start() if i + 1 < len(labels) else len(text)].strip(" |｜/\u3000")
        kind = _kind(m.group("label"))
        kinds.add(kind)
        if kind == "date":
            span = first_date(value)
            date = date or (span.start if span else "")
        elif kind == "source":
            found = source_line(f"来源：{value}") if value else None
            if found is None:
                return None
            source = source or found
    if "date" in kinds or kinds == {"other"} or (top and (date or source)):
        return LineMeta(date, source)
    return None


def _attrs(tag: object, *names: str) -> str:
    return " ".join(str(tag.get(n) or "") for n in names).strip().lower()


def tag_meta(soup: object) -> tuple[str, str, str]:
    """(date, source, url) from ``<meta>`` tags, ``<time datetime>`` and ``<link rel=canonical>``."""
    date = source = url = ""
    for tag in soup.find_all("meta"):
        key, content = _attrs(tag, "name", "property", "itemprop"), str(tag.get("content") or "").strip()
        if not content:
            continue
        if not date and key in _META_DATE:
            span = first_date(content)
            date = span.start if span else ""
        elif not source and key in _META_SOURCE:
            source = source_line(f"来源：{content}") or ""
        elif not url and key in _META_URL:
            url = content
    for tag in soup.find_all("time"):
        span = first_date(str(tag.get("datetime") or "")) or first_date(tag.get_text(" "))
        if span and not date:
            date = span.start
    canonical = soup.find("link", rel="canonical")
    if canonical is not None and canonical.get("href"):
        url = str(canonical.get("href")).strip()
    return date, source, url
