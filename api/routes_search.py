"""Searching: ``/search``, ``/quotes`` and the two exports, over the serving build."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from api.deps import ArchiveDep, Reader
from api.models import READ_ERRORS, QuotesOut, SearchOut
from api.params import Page, export_page, page
from index.interface import Archive, SearchResult, export

router = APIRouter(tags=["search"], responses=READ_ERRORS)


def run(archive: Archive, p: Page) -> SearchResult:
    """One page of results; an empty query lists the filtered items in bulletin order (as the app does)."""
    return archive.find(p.q, p.mode, p.filters, k=p.k, offset=p.offset)


def result_dict(result: SearchResult) -> dict:
    """The answer for a result page: hits exactly as ``bulletins search --json`` prints them."""
    return {"query": result.query, "mode": result.mode, "took_ms": round(result.took_ms, 2),
            "total": result.total, "notice": result.notice, "filters": result.filters.describe(),
            "hits": [h.to_dict() for h in result.hits]}


@router.get("/search", response_model=SearchOut, summary="Search the archive")
def search(archive: ArchiveDep, _: Reader, p: Annotated[Page, Depends(page)],
           facets: Annotated[bool, Query(description="also count hits per section, kind, source, …")] = False
           ) -> dict:
    """Ranked hits for ``q`` (keyword, semantic or hybrid) within the filters; paging by ``k`` and ``offset``."""
    out = result_dict(run(archive, p))
    if facets:
        out["facets"] = archive.facets(p.q, p.mode, p.filters).to_dict()
    return out


@router.get("/quotes", response_model=QuotesOut, summary="Quotes by theme, with their speakers")
def quotes(archive: ArchiveDep, _: Reader, p: Annotated[Page, Depends(page)]) -> dict:
    """Quotes matching a theme (``q``; any quote without one), and who said them, most quoted first."""
    out = result_dict(run(archive, Page(p.q, p.mode, p.k, p.offset, p.filters.quotes_only())))
    speakers = archive.speakers(p.filters, p.q, p.mode)
    out["speakers"] = [{"speaker": s.speaker, "titles": list(s.titles), "quotes": s.quotes} for s in speakers]
    return out


def _export(archive: Archive, p: Page, fmt: str) -> Response:
    result = run(archive, p)
    if fmt == "csv":
        return Response(export.to_csv(result.hits, archive), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="results.csv"'})
    return Response(export.to_json(result, archive), media_type="application/json",
                    headers={"Content-Disposition": 'attachment; filename="results.json"'})


_CSV = {200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "UTF-8 CSV with BOM"}}


@router.get("/export.csv", response_class=Response, responses=_CSV, summary="Results as CSV")
def export_csv(archive: ArchiveDep, _: Reader, p: Annotated[Page, Depends(export_page)]) -> Response:
    """The results of the same search (up to 1000), one row each with its citation."""
    return _export(archive, p, "csv")


@router.get("/export.json", summary="Results as JSON")
def export_json(archive: ArchiveDep, _: Reader, p: Annotated[Page, Depends(export_page)]) -> Response:
    """The query, its filters and the results (up to 1000), all item fields and citations."""
    return _export(archive, p, "json")

