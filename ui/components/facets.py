"""The sidebar's filters, shared by every page: dates, facet multiselects with counts, the organisation."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date

import streamlit as st

from index.interface import Archive
from ui.context import Ctx, date_bounds
from ui.i18n import describe_filters, t, value_label
from ui.markdown import md
from ui.state import FACET_KEYS, clear_filters
from ui.viewstate import ViewState

SEARCH_FACETS = ("bulletins", "sections", "kinds", "sources", "speakers")
QUOTE_FACETS = ("bulletins", "speakers")


def render_sidebar(ctx: Ctx, facets: dict[str, Counter], names: Sequence[str] = SEARCH_FACETS,
                   langs: bool = True) -> None:
    """The filters (shared by every page): dates, the facets ``names``, the speaker's organisation."""
    archive, state = ctx.archive, ctx.state
    lang = state.lang
    with st.sidebar:
        st.header(t("filters.title", lang))
        if state.filters.is_empty():
            st.caption(t("filters.none", lang))
        else:
            st.caption(t("filters.active", lang, scope=md(scope_text(archive, state))))
            st.button(t("filters.clear", lang), key="clear-side", on_click=clear_filters, icon=":material/close:")
        render_dates(ctx.root, ctx.build, lang)
        labels = _facet_labels(archive, lang)
        for name in names:
            render_facet(name, facets.get(name, Counter()), labels.get(name, str), lang)
        st.text_input(t("filters.org", lang), key="f_org", placeholder=t("filters.org_placeholder", lang))
        if langs:
            render_facet("langs", facets.get("langs", Counter()), labels["langs"], lang)


def _facet_labels(archive: Archive, lang: str) -> dict[str, Callable[[str], str]]:
    """How the values of the facets that are not shown as they are read (bulletin titles, kind names...)."""
    def title(bulletin_id: str) -> str:
        bulletin = archive.bulletin(bulletin_id)
        return bulletin.title if bulletin else bulletin_id

    return {"bulletins": title,
            "kinds": lambda v: value_label("kind", v, lang), "langs": lambda v: value_label("lang", v, lang)}


def render_dates(root: str, build: str, lang: str) -> None:
    """Since / until date inputs, bounded by the archive's dates (widened to include a chosen date)."""
    low, high = date_bounds(root, build)
    chosen = [d for d in (st.session_state.get("f_since"), st.session_state.get("f_until")) if isinstance(d, date)]
    low, high = min([low, *chosen]), max([high, *chosen])
    st.date_input(t("filters.since", lang), key="f_since", value=None, min_value=low, max_value=high,
                  format="YYYY-MM-DD")
    st.date_input(t("filters.until", lang), key="f_until", value=None, min_value=low, max_value=high,
                  format="YYYY-MM-DD")


def render_facet(name: str, counts: Counter, label: Callable[[str], str], lang: str) -> None:
    """A multiselect whose options are the facet's values for the current query, with their counts."""
    selected = st.session_state.get(FACET_KEYS[name]) or []
    options = [v for v, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    options += [v for v in selected if v not in counts]
    if not options:
        return
    st.multiselect(t(f"filters.{name}", lang), options, key=FACET_KEYS[name],
                   format_func=lambda v: f"{label(v)} ({counts.get(v, 0)})", placeholder=t("filters.any", lang))


def scope_text(archive: Archive, state: ViewState) -> str:
    """The active filters in words, bulletins named by their titles (not escaped)."""
    titles = {bid: b.title for bid in state.filters.bulletins if (b := archive.bulletin(bid))}
    return describe_filters(state.filters, state.lang, titles)
