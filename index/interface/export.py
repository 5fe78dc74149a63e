"""Search results as downloadable CSV and JSON, each row carrying its ready-to-copy citation."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Sequence
from dataclasses import fields
from typing import Protocol

from archive.model import Bulletin, Item
from index.interface.citation import cite
from index.interface.records import Hit, SearchResult

COLUMNS: tuple[str, ...] = (
    "rank", "id", "title", "kind", "section", "date", "date_end", "bulletin_id", "bulletin_title",
    "issue_date", "source", "speaker", "speaker_title", "place", "lang", "score", "keyword_rank",
    "semantic_rank", "snippet", "passage", "parent_id", "parent_title", "url", "citation",
)
_TAG = re.compile(r"</?mark>")
_FORMULA = ("=", "+", "@", "\t", "\r")

class Records(Protocol):
    """Where an export looks up bulletins and items by id (an :class:`~index.interface.protocol.Archive`)."""

    def bulletin(self, bulletin_id: str) -> Bulletin | None: ...

    def item(self, item_id: str) -> Item | None: ...


def rows(hits: Sequence[Hit], records: Records) -> list[dict[str, object]]:
    """One flat record per hit (plain text everywhere: the snippet's <mark> tags are removed).

    A quote's record names the news item it belongs to (``parent_id``, ``parent_title``)."""
    out = []
    for hit in hits:
        item, bulletin = hit.item, records.bulletin(hit.item.bulletin_id)
        parent = records.item(item.parent_id) if item.parent_id else None
        out.append({
            "rank": hit.rank, "id": item.id, "title": item.title, "kind": item.kind, "section": item.section,
            "date": item.date, "date_end": item.date_end, "bulletin_id": item.bulletin_id,
            "bulletin_title": bulletin.title if bulletin else "", "issue_date": bulletin.date if bulletin else "",
            "source": item.source, "speaker": item.speaker, "speaker_title": item.speaker_title,
            "place": item.place, "lang": item.lang, "score": round(hit.score, 6),
            "keyword_rank": hit.keyword_rank, "semantic_rank": hit.semantic_rank,
            "snippet": plain_snippet(hit.snippet), "passage": hit.passage,
            "parent_id": item.parent_id, "parent_title": parent.title if parent else "", "url": item.url,
            "citation": cite(item, bulletin, parent),
        })
    return out


def to_csv(hits: Sequence[Hit], records: Records) -> bytes:
    """UTF-8 CSV with a byte-order mark, so spreadsheet programs show Chinese correctly."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows(hits, records):
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return buffer.getvalue().encode("utf-8-sig")


def to_json(result: SearchResult, records: Records, hits: Sequence[Hit] | None = None) -> bytes:
    """The query, its filters and the hits (all item fields, ranks, scores, citation) as UTF-8 JSON.

    Args:
        result: The search whose query, mode and filters are recorded.
        records: Bulletins (titles, citations) and items (a quote's news item) by id.
        hits: The hits to export (default: ``result.hits``), e.g. all results rather than one page.
    """
    hits = result.hits if hits is None else hits
    exported = []
    for hit, row in zip(hits, rows(hits, records), strict=True):
        exported.append(hit.to_dict() | {"snippet": row["snippet"], "bulletin_title": row["bulletin_title"],
                                        "issue_date": row["issue_date"], "parent_title": row["parent_title"],
                                        "citation": row["citation"]})
    document = {
        "query": result.query, "mode": result.mode, "filters": _filters_dict(result),
        "filters_text": result.filters.describe(), "total": result.total, "exported": len(exported),
        "hits": exported,
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def _cell(value: object) -> object:
    """CSV cell; text a spreadsheet would run as a formula (=, +, @) is prefixed with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in _FORMULA:
        return "'" + value
    return value


def plain_snippet(snippet: str) -> str:
    """Snippet HTML (escaped text with <mark>) back to plain text."""
    return html.unescape(_TAG.sub("", snippet))


def _filters_dict(result: SearchResult) -> dict[str, object]:
    f = result.filters
    return {name: list(value) if isinstance(value, tuple) else value
            for name, value in ((field.name, getattr(f, field.name)) for field in fields(f))}
