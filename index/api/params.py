"""Query parameters -> the search's own records (:class:`Filters`, mode, page), validated with plain-words errors.

The parameters mirror `bulletins search`: ``q``, ``mode``, ``k``, ``offset`` and every filter
(``section``, ``kind`` and ``bulletin`` repeatable; ``speaker``, ``source``, ``lang``, ``since``, ``until``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, HTTPException, Query

from index.search.filters import Filters, is_filter_date

Mode = Literal["hybrid", "keyword", "semantic"]
Lang = Literal["zh", "en", "mixed"]
MAX_K = 100
MAX_EXPORT = 1000  # as the app's export buttons
MAX_OFFSET = 10_000


@dataclass(frozen=True)
class Page:
    """What one search asks for: the query, the mode, the page and the filters."""

    q: str
    mode: str
    k: int
    offset: int
    filters: Filters


def check_date(name: str, value: str) -> str:
    """``value`` if it is empty or a real YYYY, YYYY-MM or YYYY-MM-DD date; else a 400 naming the parameter."""
    if value and not is_filter_date(value):
        raise HTTPException(400, f"{name} '{value}' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def filter_params(
    section: Annotated[list[str], Query(description="section, e.g. 观点与动态 (repeatable)", max_length=20)] = [],  # noqa: B006
    kind: Annotated[list[str], Query(description="news, quote, event, report, about (repeatable)",
                                     max_length=20)] = [],  # noqa: B006
    speaker: Annotated[str, Query(description="speaker name (quotes)", max_length=200)] = "",
    source: Annotated[str, Query(description="source outlet, e.g. 新华网", max_length=200)] = "",
    lang: Annotated[Lang | None, Query(description="item language")] = None,
    since: Annotated[str, Query(description="items dated on or after (YYYY, YYYY-MM or YYYY-MM-DD)",
                                max_length=10)] = "",
    until: Annotated[str, Query(description="items dated on or before", max_length=10)] = "",
    bulletin: Annotated[list[str], Query(description="bulletin id (repeatable)", max_length=50)] = [],  # noqa: B006
) -> Filters:
    """The filters of a request, as the CLI's ``--section`` … ``--bulletin`` make them."""
    return Filters(
        sections=tuple(section), kinds=tuple(kind), bulletins=tuple(bulletin),
        speakers=(speaker,) if speaker else (), sources=(source,) if source else (),
        langs=(lang,) if lang else (), since=check_date("since", since), until=check_date("until", until),
    )


def page(
    filters: Annotated[Filters, Depends(filter_params)],
    q: Annotated[str, Query(description="query text; empty lists the filtered items in bulletin order",
                            max_length=500)] = "",
    mode: Annotated[Mode, Query(description="ranking")] = "hybrid",
    k: Annotated[int, Query(ge=1, le=MAX_K, description="hits per page")] = 10,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="hits to skip (paging)")] = 0,
) -> Page:
    """One page of a search (``filters`` from :func:`filter_params`)."""
    return Page(q, mode, k, offset, filters)


def export_page(
    filters: Annotated[Filters, Depends(filter_params)],
    q: Annotated[str, Query(max_length=500)] = "",
    mode: Annotated[Mode, Query()] = "hybrid",
    k: Annotated[int, Query(ge=1, le=MAX_EXPORT, description="results to export")] = MAX_EXPORT,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Page:
    """The results an export covers: like :func:`page`, up to 1000 at once."""
    return Page(q, mode, k, offset, filters)


FiltersDep = Annotated[Filters, Depends(filter_params)]
PageDep = Annotated[Page, Depends(page)]
ExportDep = Annotated[Page, Depends(export_page)]
