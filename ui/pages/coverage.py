"""The coverage page: items per month (whole archive and the current query), a period picker, the top
sources / speakers / places, and the first results within the period."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from index.interface import Archive, CoveragePoint
from ui import periods
from ui.components.cards import item_link
from ui.components.facets import render_sidebar, scope_text
from ui.components.search_box import render_search_box
from ui.context import Ctx
from ui.i18n import t, value_label
from ui.markdown import md
from ui.queries import compute_coverage, compute_results
from ui.state import clear_period, pick_period_in_chart, slide_period
from ui.viewstate import COVERAGE_BY, ViewState

if TYPE_CHECKING:
    import altair as alt

COVERAGE_RESULTS = 10
TOP_VALUES = 8


def page_coverage(ctx: Ctx) -> None:
    """Charts of the archive's and the query's coverage over time, the period, top values, first results."""
    archive, state = ctx.archive, ctx.state
    lang = state.lang
    st.subheader(t("coverage.title", lang))
    st.caption(t("coverage.caption", lang))
    render_search_box(lang)
    render_sidebar(ctx, archive.facets(state.query, state.mode, state.filters))
    st.segmented_control(t("coverage.by", lang), COVERAGE_BY, key="by", required=True,
                         format_func=lambda b: t(f"coverage.by.{b}", lang))
    archive_points, query_points = compute_coverage(archive, state)
    months = periods.span(p.month for p in archive_points)
    if not months:
        st.info(t("coverage.none", lang))
        return
    render_coverage_chart(archive_points, months, state, t("coverage.archive", lang), "archive")
    if query_points is not None:
        all_time = state.with_(filters=state.filters.undated())
        scope = " · ".join(x for x in (state.query, scope_text(archive, all_time)) if x)
        render_coverage_chart(query_points, months, state, t("coverage.query", lang, scope=scope), "query")
    render_period_picker(months, state)
    render_top_values(archive, state)
    render_coverage_results(ctx, state)


def coverage_chart(points: list[CoveragePoint], months: list[str], by: str, lang: str) -> alt.Chart:
    """Stacked bars of items per month (every month of the archive on the axis); clicking picks months."""
    import altair as alt  # only here: the app's cold start does not pay for altair and pandas
    import pandas as pd

    labels = (lambda g: value_label("kind", g, lang)) if by == "kind" else str
    data = pd.DataFrame([{"month": p.month, "group": labels(p.group), "count": p.count} for p in points],
                        columns=["month", "group", "count"])
    pick = alt.selection_point(name="period", fields=["month"])
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("month:O", scale=alt.Scale(domain=months), title=t("coverage.month", lang),
                axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("sum(count):Q", title=t("coverage.items", lang)),
        color=alt.Color("group:N", title=t(f"coverage.group.{by}", lang)),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.35)),
        tooltip=[alt.Tooltip("month:O", title=t("coverage.month", lang)),
                 alt.Tooltip("group:N", title=t(f"coverage.group.{by}", lang)),
                 alt.Tooltip("count:Q", title=t("coverage.items", lang))],
    ).add_params(pick).properties(height=260)


def render_coverage_chart(points: list[CoveragePoint], months: list[str], state: ViewState, title: str,
                          name: str) -> None:
    """One titled chart; its key changes with ``cov_epoch`` so that a reset drops its selection."""
    st.markdown(f"**{md(title)}**")
    key = f"chart-{name}-{st.session_state.get('cov_epoch', 0)}"
    st.altair_chart(coverage_chart(points, months, state.coverage_by, state.lang), key=key,
                    on_select=lambda: pick_period_in_chart(key), selection_mode="period", width="stretch")


def render_period_picker(months: list[str], state: ViewState) -> None:
    """A month-range slider (the keyboard's way to pick a period), in step with the date filters: its key
    follows the period, so a period set elsewhere (chart, sidebar) draws a fresh slider showing it."""
    lang, filters = state.lang, state.filters
    if len(months) < 2:
        return
    chosen = periods.months_of_period(filters.since, filters.until, months) or months
    key = f"cov_period-{filters.since}-{filters.until}"
    left, right = st.columns([5, 1], vertical_alignment="bottom")
    left.select_slider(t("coverage.period", lang), months, value=(chosen[0], chosen[-1]), key=key,
                       on_change=slide_period, args=(key, months))
    right.button(t("coverage.period_all", lang), key="period-all", on_click=clear_period,
                 disabled=not (filters.since or filters.until), width="stretch")
    if filters.since or filters.until:
        st.caption(t("coverage.period_chosen", lang, since=filters.since or "…", until=filters.until or "…"))


def render_top_values(archive: Archive, state: ViewState) -> None:
    """The most frequent sources, speakers and places among the matches, in three columns."""
    lang = state.lang
    for column, attr in zip(st.columns(3), ("source", "speaker", "place"), strict=True):
        values = archive.top_values(attr, state.query, state.mode, state.filters, TOP_VALUES)
        column.markdown(f"**{t(f'coverage.top_{attr}s', lang)}**")
        column.markdown("\n".join(f"1. {md(v)} ({n})" for v, n in values) or t("coverage.top_none", lang))


def render_coverage_results(ctx: Ctx, state: ViewState) -> None:
    """The first results of the query within the filters and the chosen period."""
    lang = state.lang
    result = compute_results(ctx.archive, state.with_(page=1), k=COVERAGE_RESULTS)
    st.markdown(f"**{t('coverage.results', lang, n=len(result.hits), total=result.total)}**")
    for hit in result.hits:
        item_link(ctx, hit.item, f"cov-{hit.item.id}", f"{md(hit.item.title)} · {md(hit.item.date)}")
    if st.button(t("coverage.all_results", lang), key="coverage-to-search", icon=":material/search:"):
        st.session_state["item"] = ""
        st.switch_page(ctx.pages["search"])
