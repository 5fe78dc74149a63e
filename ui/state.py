"""The view in Streamlit's session state, mirrored to and from the URL, and the widgets' callbacks.

The whole view lives in the URL (``ui.viewstate``): a first run seeds the widgets from the query
parameters, every run reads the view back from the widgets, and the address bar is updated at the end.
Callbacks (``on_click``/``on_change``) only change session keys; the next run renders the result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

import streamlit as st

from index.interface.filters import Filters
from index.interface.records import SearchResult
from ui import periods
from ui.i18n import LANGS
from ui.queries import page_count
from ui.viewstate import (
    COVERAGE_BY,
    FILTER_PARAMS,
    MODES,
    QUOTE_MODES,
    ViewState,
    first_day,
    from_params,
    last_day,
    to_params,
)

FACET_KEYS = {name: f"f_{name}" for name in FILTER_PARAMS}  # Filters field -> widget key
# Session keys that hold the view; kept alive across pages (Streamlit drops a widget's state on a page
# where the widget is not drawn).
VIEW_KEYS = ("q", "mode", "ui", "page", "item", "f_since", "f_until", "f_org", *FACET_KEYS.values(),
             "qq", "qmode", "qpage", "read", "by")


# -- URL <-> widgets ------------------------------------------------------------------------------------


def seed_from_url() -> None:
    """First run of a session: put the URL's view into the widgets' state."""
    if "_seeded" in st.session_state:
        return
    state = from_params({key: st.query_params.get_all(key) for key in st.query_params})
    st.session_state.update(q=state.query, mode=state.mode, ui=state.lang, page=state.page, item=state.item,
                            f_since=first_day(state.filters.since), f_until=last_day(state.filters.until),
                            f_org=state.filters.org, qq=state.quote_query, qmode=state.quote_mode,
                            qpage=state.quote_page, read=state.reading, by=state.coverage_by)
    for name, key in FACET_KEYS.items():
        st.session_state[key] = list(getattr(state.filters, name))
    st.session_state["_sig"], st.session_state["_qsig"] = _signature(state), _quote_signature(state)
    st.session_state["_seeded"] = True


def keep_view() -> None:
    """Re-store the view's keys so that a page which does not draw a widget does not lose its value."""
    for key in VIEW_KEYS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def read_view() -> ViewState:
    """The view as the widgets hold it now; a new query, mode or filter goes back to page 1."""
    ss = st.session_state
    state = ViewState(query=(ss.get("q") or "").strip(), mode=_choice("mode", MODES), filters=_read_filters(),
                      page=int(ss.get("page") or 1), item=ss.get("item") or "", lang=_choice("ui", LANGS),
                      quote_query=(ss.get("qq") or "").strip(), quote_mode=_choice("qmode", QUOTE_MODES),
                      quote_page=int(ss.get("qpage") or 1), reading=ss.get("read") or "",
                      coverage_by=_choice("by", COVERAGE_BY))
    if _signature(state) != ss.get("_sig"):
        ss["_sig"], ss["page"], ss["item"] = _signature(state), 1, ""
        state = state.with_(page=1, item="")
    if _quote_signature(state) != ss.get("_qsig"):
        ss["_qsig"], ss["qpage"] = _quote_signature(state), 1
        state = state.with_(quote_page=1)
    return state


def write_url(state: ViewState) -> None:
    """Mirror the view into the address bar (only when it changed, so history stays clean)."""
    wanted = {k: v if isinstance(v, list) else [v] for k, v in to_params(state).items()}
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    if current != wanted:
        st.query_params.from_dict(to_params(state))


def _read_filters() -> Filters:
    ss = st.session_state
    since, until = ss.get("f_since"), ss.get("f_until")
    return Filters(**{name: tuple(ss.get(key) or ()) for name, key in FACET_KEYS.items()},
                   since=since.isoformat() if isinstance(since, date) else "",
                   until=until.isoformat() if isinstance(until, date) else "",
                   org=(ss.get("f_org") or "").strip())


def _choice(key: str, allowed: Sequence[str]) -> str:
    """The session value of ``key`` if it is one of ``allowed``, else the first of them."""
    value = st.session_state.get(key)
    return value if value in allowed else allowed[0]


def _signature(state: ViewState) -> tuple:
    return state.query, state.mode, state.filters


def _quote_signature(state: ViewState) -> tuple:
    return state.quote_query, state.quote_mode, state.filters


# -- callbacks ------------------------------------------------------------------------------------------


def open_item(item_id: str) -> None:
    """Show ``item_id`` in the item view of the search page."""
    st.session_state["item"] = item_id


def close_item() -> None:
    """Back from the item view to the results."""
    st.session_state["item"] = ""


def go_to_page(page: int, key: str = "page") -> None:
    """Set the page number held under session ``key`` (``page`` for results, ``qpage`` for quotes)."""
    st.session_state[key] = page


def set_mode(mode: str) -> None:
    """Switch the search mode."""
    st.session_state["mode"] = mode


def clear_filters() -> None:
    """Empty every filter: facets, dates and the speaker's organisation."""
    for key in FACET_KEYS.values():
        st.session_state[key] = []
    st.session_state["f_since"] = st.session_state["f_until"] = None
    st.session_state["f_org"] = ""


def browse_bulletin(bulletin_id: str) -> None:
    """List one bulletin's items on the search page (no query, no other filter)."""
    clear_filters()
    st.session_state.update(q="", item="", f_bulletins=[bulletin_id])


def read_bulletin(bulletin_id: str) -> None:
    """Open one bulletin on the bulletins page ('' for the list)."""
    st.session_state["read"] = bulletin_id


def pick_speaker() -> None:
    """Filter on the speaker picked in the quotes page's pills (none: any speaker)."""
    name = st.session_state.get("speaker_pick")
    st.session_state["f_speakers"] = [name] if name else []


def set_period(months: Sequence[str]) -> None:
    """Restrict the dates to whole months (none: all time)."""
    since, until = periods.period(months)
    st.session_state["f_since"] = first_day(since) if since else None
    st.session_state["f_until"] = last_day(until) if until else None


def pick_period_in_chart(key: str) -> None:
    """The months clicked in the coverage chart held under ``key`` become the period."""
    set_period(periods.selected_months(st.session_state.get(key), "period"))


def slide_period(key: str, months: list[str]) -> None:
    """The month range of the slider under ``key`` becomes the period (the whole range: all time)."""
    first, last = st.session_state[key]
    set_period([] if (first, last) == (months[0], months[-1]) else [first, last])
    _reset_charts()


def clear_period() -> None:
    """Drop the period: all time."""
    set_period([])
    _reset_charts()


def _reset_charts() -> None:
    """A new chart key drops the charts' own selection, which would otherwise contradict the period."""
    st.session_state["cov_epoch"] = st.session_state.get("cov_epoch", 0) + 1


def on_a_real_page(state: ViewState, compute: Callable[[ViewState], SearchResult], size: int, field: str,
                   key: str) -> tuple[ViewState, SearchResult]:
    """The results of the view's page (``field``, widget ``key``); a page past the last one (a stale link, or
    fewer results than before) moves to the last."""
    result = compute(state)
    pages = page_count(result.total, size)
    if getattr(state, field) > pages:
        st.session_state[key] = pages
        state = state.with_(**{field: pages})
        result = compute(state)
    return state, result
