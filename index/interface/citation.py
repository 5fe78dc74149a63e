"""Ready-to-copy citations of items: title, bulletin, issue date, section, source.

Chinese items get a Chinese citation (《题名》，载《简报》…), others an English one, so a citation
reads naturally in the document it is pasted into. Missing parts are left out, never invented.
"""

from __future__ import annotations

from archive.model import Bulletin, Item


def cite(item: Item, bulletin: Bulletin | None, parent: Item | None = None) -> str:
    """One-line citation of an item in the style of its language.

    Args:
        item: The cited item.
        bulletin: Its bulletin record, or None when the index does not know it (the id is used).
        parent: For a quote, the news item it belongs to (named after the quote's title).
    """
    parts = _parts(item, bulletin)
    zh = item.lang == "zh"
    text = _cite_zh(*parts) if zh else _cite_en(*parts)
    if parent is not None and parent.title.strip():
        head, sep, tail = text.partition("，载《" if zh else ". In: ")
        seen_in = f"，见《{_clean(parent.title)}》" if zh else f", in “{_clean(parent.title)}”"
        text = head + seen_in + sep + tail
    return text


def _parts(item: Item, bulletin: Bulletin | None) -> tuple[str, str, str, str, str, str, str]:
    title = _clean(item.title) or _clean(item.text)[:40]
    who = _clean(item.speaker) if item.kind == "quote" else ""
    if who and title.startswith((who + "：", who + ":")):  # quote titles often open with the speaker
        title = title[len(who) + 1 :].strip()
    btitle = _clean(bulletin.title) if bulletin else ""
    issue = _clean(bulletin.issue) if bulletin else ""
    date = bulletin.date if bulletin and bulletin.date else item.date
    return who, title, btitle or item.bulletin_id, issue, date, _clean(item.section), _clean(item.source)


def _cite_zh(who: str, title: str, btitle: str, issue: str, date: str, section: str, source: str) -> str:
    head = f"{who}：《{title}》" if who else f"《{title}》"
    tail = [f"载《{btitle}》" + (f"第{issue}期" if issue and not issue.startswith("第") else issue)]
    if date:
        tail.append(date)
    if section:
        tail.append(f"“{section}”栏目")
    if source:
        tail.append(f"来源：{source}")
    return head + "，" + "，".join(tail) + "。"


def _cite_en(who: str, title: str, btitle: str, issue: str, date: str, section: str, source: str) -> str:
    head = f"{who}: “{title}”" if who else f"“{title}”"
    tail = [btitle + (f", no. {issue}" if issue else "")]
    if date:
        tail.append(date)
    if section:
        tail.append(f"section “{section}”")
    if source:
        tail.append(f"source: {source}")
    return f"{head}. In: " + ", ".join(tail) + "."


def _clean(text: str) -> str:
    """One line, no surrounding space (titles may carry layout line breaks)."""
    return " ".join(text.split())
