"""Query parameters -> the search's own records (:class:`Filters`, mode, page), validated with plain-words errors.

The parameters mirror `bulletins search`: ``q``, ``mode``, ``k``, ``offset`` and every filter, made from the one
declaration of the filters (:data:`index.interface.FILTER_FIELDS`).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, HTTPException, Query

from index.interface import DEFAULT_MODE, FILTER_FIELDS, FilterField, Filters, Mode, is_filter_date

MAX_K = 100
MAX_EXPORT = 1000  # as the app's export buttons
MAX_OFFSET = 10_000
MAX_VALUE = 200  # characters of one filter value
MAX_VALUES = 50  # values of one repeatable filter


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


def _parameter(f: FilterField) -> inspect.Parameter:
    """One filter of :data:`FILTER_FIELDS` as a query parameter."""
    if f.repeatable:
        annotation, default = Annotated[list[str], Query(description=f.help, max_length=MAX_VALUES)], []
    elif f.choices:
        annotation, default = Annotated[Literal[f.choices] | None, Query(description=f.help)], None
    else:
        longest = 10 if f.kind == "date" else MAX_VALUE
        annotation, default = Annotated[str, Query(description=f.help, max_length=longest)], ""
    return inspect.Parameter(f.param, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)


def filter_params(**values: object) -> Filters:
    """The filters of a request (``section`` … ``org``, as the CLI's ``--section`` … ``--org``); a date that is
    not one is a 400 naming the parameter."""
    for f in FILTER_FIELDS:
        if f.kind == "date":
            check_date(f.param, str(values.get(f.param) or ""))
    return Filters.from_values(values)


# FastAPI reads the parameters from the signature: one per filter, made from the registry.
filter_params.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
    [_parameter(f) for f in FILTER_FIELDS], return_annotation=Filters)


def page(
    filters: Annotated[Filters, Depends(filter_params)],
    q: Annotated[str, Query(description="query text; empty lists the filtered items in bulletin order",
                            max_length=500)] = "",
    mode: Annotated[Mode, Query(description="ranking")] = DEFAULT_MODE,
    k: Annotated[int, Query(ge=1, le=MAX_K, description="hits per page")] = 10,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="hits to skip (paging)")] = 0,
) -> Page:
    """One page of a search (``filters`` from :func:`filter_params`)."""
    return Page(q, mode, k, offset, filters)


def export_page(
    filters: Annotated[Filters, Depends(filter_params)],
    q: Annotated[str, Query(max_length=500)] = "",
    mode: Annotated[Mode, Query()] = DEFAULT_MODE,
    k: Annotated[int, Query(ge=1, le=MAX_EXPORT, description="results to export")] = MAX_EXPORT,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Page:
    """The results an export covers: like :func:`page`, up to 1000 at once."""
    return Page(q, mode, k, offset, filters)


FiltersDep = Annotated[Filters, Depends(filter_params)]
PageDep = Annotated[Page, Depends(page)]
ExportDep = Annotated[Page, Depends(export_page)]
