"""Search results as downloadable CSV and JSON, each row carrying its ready-to-copy citation."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Callable, Mapping, Sequence

from archive.model import Bulletin, Item
from index.search.citation import cite
from index.search.results import Hit, SearchResult

COLUMNS: tuple[str, ...] = (
    "rank", "id", "title", "kind", "section", "date", "date_end", "bulletin_id", "bulletin_title",
    "issue_date", "source", "speaker", "speaker_title", "place", "lang", "score", "keyword_rank",
    "semantic_rank", "snippet", "passage", "parent_id", "parent_title", "url", "citation",
)
_TAG = re.compile(r"</?mark>")
_FORMULA = ("=", "+", "@", "\t", "\r")

# Looks up an item by id (e.g. ``Searcher.get``), so a quote's citation can name its news item.
Lookup = Callable[[str], "Item | None"]


def rows(hits: Sequence[Hit], bulletins: Mapping[str, Bulletin], lookup: Lookup | None = None
         ) -> list[dict[str, object]]:
    """One flat record per hit (plain text everywhere: the snippet's <mark> tags are removed).

    A quote's record names the news item it belongs to (``parent_id``; ``parent_title`` when ``lookup``
    is given)."""
    out = []
    for hit in hits:
        item, bulletin = hit.item, bulletins.get(hit.item.bulletin_id)
        parent = lookup(item.parent_id) if lookup and item.parent_id else None
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


def to_csv(hits: Sequence[Hit], bulletins: Mapping[str, Bulletin], lookup: Lookup | None = None) -> bytes:
    """UTF-8 CSV with a byte-order mark, so spreadsheet programs show Chinese correctly."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows(hits, bulletins, lookup):
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return buffer.getvalue().encode("utf-8-sig")


def to_json(result: SearchResult, bulletins: Mapping[str, Bulletin], hits: Sequence[Hit] | None = None,
            lookup: Lookup | None = None) -> bytes:
    """The query, its filters and the hits (all item fields, ranks, scores, citation) as UTF-8 JSON.

    Args:
        result: The search whose query, mode and filters are recorded.
        bulletins: Bulletin records by id, for titles and citations.
        hits: The hits to export (default: ``result.hits``), e.g. all results rather than one page.
        lookup: Item by id, so quotes' citations name their news item.
    """
    hits = result.hits if hits is None else hits
    records = []
    for hit, row in zip(hits, rows(hits, bulletins, lookup), strict=True):
        records.append(hit.to_dict() | {"snippet": row["snippet"], "bulletin_title": row["bulletin_title"],
                                        "issue_date": row["issue_date"], "parent_title": row["parent_title"],
                                        "citation": row["citation"]})
    document = {
        "query": result.query, "mode": result.mode, "filters": _filters_dict(result),
        "filters_text": result.filters.describe(), "total": result.total, "exported": len(records),
        "hits": records,
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
    return {"sections": list(f.sections), "kinds": list(f.kinds), "bulletins": list(f.bulletins),
            "speakers": list(f.speakers), "sources": list(f.sources), "langs": list(f.langs),
            "since": f.since, "until": f.until, "org": f.org}
