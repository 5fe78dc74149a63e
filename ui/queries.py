"""The view as calls to the index: one page of results or quotes, the coverage counts.

Pure Python (no Streamlit), so the pages only map widgets to these calls and render what they return.
"""

from __future__ import annotations

import math

from index.interface import Archive, CoveragePoint, SearchResult
from ui.viewstate import ViewState

PAGE_SIZE = 10
QUOTES_PAGE_SIZE = 10


def page_count(total: int, size: int) -> int:
    """How many pages of ``size`` hold ``total`` results (at least one)."""
    return max(1, math.ceil(total / size))


def compute_results(archive: Archive, state: ViewState, k: int = PAGE_SIZE) -> SearchResult:
    """One page of results; an empty query lists the filtered items in bulletin order (browsing)."""
    return archive.find(state.query, state.mode, state.filters, k=k, offset=(state.page - 1) * k)


def compute_quotes(archive: Archive, state: ViewState, k: int = QUOTES_PAGE_SIZE) -> SearchResult:
    """One page of quotes: by theme when there is a quotes query, else in bulletin order."""
    offset, filters = (state.quote_page - 1) * k, state.filters.quotes_only()
    return archive.find(state.quote_query, state.quote_mode, filters, k=k, offset=offset)


def compute_coverage(archive: Archive, state: ViewState
                     ) -> tuple[list[CoveragePoint], list[CoveragePoint] | None]:
    """Items per month for the whole archive and (if there is one) the current query and filters.

    The period filter is left out of both, so the charts keep showing every month while one is chosen.
    """
    archive_points = archive.coverage(by=state.coverage_by)
    filters = state.filters.undated()
    if not state.query and filters.is_empty():
        return archive_points, None
    return archive_points, archive.coverage(state.query, state.mode, filters, by=state.coverage_by)
