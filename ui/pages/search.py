"""The search page: query and filters, ranked (or browsed) result cards, pager, downloads, the item view."""

from __future__ import annotations

import streamlit as st

from index.interface import MODES, Archive, SearchResult
from ui.components.cards import render_card
from ui.components.export import render_export
from ui.components.facets import render_sidebar, scope_text
from ui.components.item import render_item
from ui.components.pager import render_pager
from ui.components.search_box import render_search_box
from ui.context import Ctx
from ui.i18n import mode_label, t
from ui.markdown import md
from ui.queries import PAGE_SIZE, compute_results
from ui.state import clear_filters, on_a_real_page, set_mode
from ui.viewstate import ViewState


def page_search(ctx: Ctx) -> None:
    """The search page; with an item open (``state.item``) the item view instead of the results."""
    archive, state = ctx.archive, ctx.state
    render_search_box(state.lang)
    if state.item:
        render_item(ctx, state.item, state.lang)
    else:
        shown, result = on_a_real_page(state, lambda s: compute_results(archive, s), PAGE_SIZE, "page", "page")
        render_results(archive, result, shown)
    # The sidebar is its own container: filled after the results, so they are on screen before its facet
    # counts are computed (on a first visit those count every match).
    render_sidebar(ctx, archive.facets(state.query, state.mode, state.filters))


def render_results(archive: Archive, result: SearchResult, state: ViewState) -> None:
    """Summary line, the cards (or what to try instead), pager and downloads."""
    render_summary(archive, result, state)
    if not result.hits:
        render_empty(state)
        return
    for hit in result.hits:
        render_card(archive, hit, state)
    render_pager(result.total, state.page, state.lang)
    render_export(archive, lambda k: compute_results(archive, state.with_(page=1), k=k), state.lang)


def render_summary(archive: Archive, result: SearchResult, state: ViewState) -> None:
    """'N results (x ms) · within <filters>', a clear-filters button, and the engine's notice if any."""
    lang = state.lang
    ms = max(1, round(result.took_ms))
    if not state.query:
        line = t("results.browse", lang, total=result.total)
    else:
        line = t("results.count_one", lang, ms=ms) if result.total == 1 else t("results.count", lang,
                                                                              total=result.total, ms=ms)
    if not state.filters.is_empty():
        line += " · " + t("results.scope", lang, scope=md(scope_text(archive, state)))
    left, right = st.columns([5, 1], vertical_alignment="center")
    left.markdown(line)
    if not state.filters.is_empty():
        right.button(t("filters.clear", lang), key="clear-main", on_click=clear_filters, icon=":material/close:")
    if result.notice:
        st.warning(t("results.notice", lang), icon=":material/info:")


def render_empty(state: ViewState) -> None:
    """No results: say so, and offer the other search modes and clearing the filters."""
    lang = state.lang
    if not state.query:
        st.info(t("results.none_browse", lang))
    else:
        st.info(t("results.none", lang, query=md(state.query)))
    cols = st.columns(4)
    others = [m for m in reversed(MODES) if m != state.mode][:2] if state.query else []  # semantic: most forgiving
    for col, mode in zip(cols, others, strict=False):
        col.button(t("results.try_mode", lang, mode=mode_label(mode, lang)), key=f"try-{mode}",
                   on_click=set_mode, args=(mode,))
    if not state.filters.is_empty():
        cols[2].button(t("results.try_filters", lang), key="try-filters", on_click=clear_filters)
