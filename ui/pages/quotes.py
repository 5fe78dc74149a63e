"""The quotes page: quotes found by theme (or listed), grouped by speaker, each with its news item and citation."""

from __future__ import annotations

import streamlit as st

from index.interface import Archive, Hit, SearchResult
from index.interface.citation import cite
from ui.components.cards import item_link
from ui.components.export import render_export
from ui.components.facets import QUOTE_FACETS, render_sidebar, scope_text
from ui.components.pager import render_pager
from ui.context import Ctx
from ui.i18n import mode_label, t
from ui.markdown import md, paragraphs_md, snippet_md
from ui.queries import QUOTES_PAGE_SIZE, compute_quotes
from ui.state import on_a_real_page, pick_speaker
from ui.viewstate import QUOTE_MODES, ViewState

SPEAKERS_SHOWN = 30


def page_quotes(ctx: Ctx) -> None:
    """The quotes page: its own query and mode, the quote filters, speakers, and one page of quotes."""
    archive, state = ctx.archive, ctx.state
    lang = state.lang
    st.subheader(t("quotes.title", lang))
    st.caption(t("quotes.caption", lang))
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    left.text_input(t("quotes.label", lang), key="qq", placeholder=t("quotes.placeholder", lang))
    right.radio(t("search.mode", lang), QUOTE_MODES, key="qmode", horizontal=True, help=t("mode.help", lang),
                format_func=lambda m: mode_label(m, lang))
    filters = state.filters.quotes_only()
    render_sidebar(ctx, archive.facets(state.quote_query, state.quote_mode, filters), QUOTE_FACETS, langs=False)
    state, result = on_a_real_page(state, lambda s: compute_quotes(archive, s), QUOTES_PAGE_SIZE, "quote_page",
                                   "qpage")
    render_speakers(archive, state)
    render_quote_results(ctx, result, state)


def render_speakers(archive: Archive, state: ViewState) -> None:
    """Speakers (within the other filters) with their quote counts; picking one shows only their quotes."""
    lang = state.lang
    listed = archive.speakers(state.filters.without("speakers"), state.quote_query,
                              state.quote_mode)[:SPEAKERS_SHOWN]
    counts = {entry.speaker: entry.quotes for entry in listed}
    chosen = st.session_state.get("f_speakers") or []
    st.session_state["speaker_pick"] = chosen[0] if len(chosen) == 1 and chosen[0] in counts else None
    st.pills(t("quotes.speakers", lang, n=len(listed)), list(counts), key="speaker_pick", on_change=pick_speaker,
             format_func=lambda name: f"{name} · {counts[name]}", help=t("quotes.speakers_help", lang))


def render_quote_results(ctx: Ctx, result: SearchResult, state: ViewState) -> None:
    """Count and scope, the quotes, pager and downloads."""
    lang, archive = state.lang, ctx.archive
    line = (t("quotes.count_query", lang, total=result.total, query=md(state.quote_query)) if state.quote_query
            else t("quotes.count", lang, total=result.total))
    scope = scope_text(archive, state)
    st.markdown(line + (" · " + t("results.scope", lang, scope=md(scope)) if scope else ""))
    if not result.hits:
        st.info(t("quotes.none", lang))
        return
    for hit in result.hits:
        render_quote(ctx, hit, lang)
    render_pager(result.total, state.quote_page, lang, QUOTES_PAGE_SIZE, key="qpage")
    render_export(archive, lambda k: compute_quotes(archive, state.with_(quote_page=1), k=k), lang,
                  name="bulletin-quotes", help_key="quotes.export_help")


def render_quote(ctx: Ctx, hit: Hit, lang: str) -> None:
    """Speaker and title, date and bulletin, the quote, its news item and a citation."""
    archive, item = ctx.archive, hit.item
    bulletin = archive.bulletin(item.bulletin_id)
    parent = archive.item(item.parent_id) if item.parent_id else None
    with st.container(border=True):
        who = f"**{md(item.speaker)}**" if item.speaker else f"**{md(item.title)}**"
        st.markdown(who + (f" · {md(item.speaker_title)}" if item.speaker_title else ""))
        st.caption(" · ".join(md(p) for p in (item.date, bulletin.title if bulletin else item.bulletin_id,
                                              item.section) if p))
        if "<mark>" in hit.snippet:  # matched words highlighted
            st.markdown(snippet_md(hit.snippet), unsafe_allow_html=True)
        else:  # found by meaning (or browsing): the whole quote, quotes are short
            st.markdown(paragraphs_md(item.text))
        left, right = st.columns([4, 1])
        with left:
            if parent is not None:
                item_link(ctx, parent, f"qparent-{item.id}", f"{t('item.parent', lang)}：{md(parent.title)}",
                          icon=":material/north_west:")
        with right:
            item_link(ctx, item, f"qopen-{item.id}", t("card.open", lang), icon=":material/article:")
        st.code(cite(item, bulletin, parent), language=None, wrap_lines=True)
