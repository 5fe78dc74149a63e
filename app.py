"""Bulletin Archive — Streamlit front end: widgets -> index API -> rendering.

The whole view lives in the URL (index/viewstate.py), every label goes through index/i18n.py, and every piece
of document or user text is escaped before it is shown; only the engine's snippet markup (<mark>) is HTML.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import math
import os
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

import archive
from archive.model import Bulletin, Item
from archive.readers.sidecar import SIDECAR_SUFFIX
from index import paths
from index.bootstrap import current_build, ensure_index, open_searcher, shared_encoder
from index.build import ingest
from index.errors import IndexProblem
from index.search import explore, periods
from index.search.citation import cite
from index.search.export import to_csv, to_json
from index.search.filters import Filters
from index.search.results import Hit, SearchResult
from index.search.searcher import Searcher
from index.search.snippets import lead
from index.vectors.encoders import ModelError
from ui.i18n import LANG_NAMES, LANGS, describe_filters, mode_label, t, value_label
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

PAGE_SIZE = 10
QUOTES_PAGE_SIZE = 10
COVERAGE_RESULTS = 10
TOP_VALUES = 8
SPEAKERS_SHOWN = 30
EXPORT_LIMIT = 1000
SIMILAR = 5
FACET_KEYS = {name: f"f_{name}" for name in FILTER_PARAMS}  # Filters field -> widget key
# Session keys that hold the view; kept alive across pages (Streamlit drops a widget's state on a page
# where the widget is not drawn).
VIEW_KEYS = ("q", "mode", "ui", "page", "item", "f_since", "f_until", "f_org", *FACET_KEYS.values(),
             "qq", "qmode", "qpage", "read", "by")
KIND_COLORS = {"news": "blue", "quote": "violet", "event": "orange", "report": "green", "about": "gray"}
_MD_SPECIAL = re.compile(r"([!\"#$%'()*+,\-./:;=?@\[\\\]^_`{|}~])")
_MARK = re.compile(r"(</?mark>)")


# -- escaping -------------------------------------------------------------------------------------------


def md(text: str) -> str:
    """Document/user text as inert Markdown: punctuation backslash-escaped, HTML characters as entities."""
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    return escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def snippet_md(snippet: str) -> str:
    """The engine's snippet HTML (escaped text + <mark>) as Markdown that keeps only the <mark> tags."""
    parts = _MARK.split(snippet)
    return "".join(p if p in ("<mark>", "</mark>") else md(html.unescape(p)) for p in parts)


def paragraphs_md(text: str) -> str:
    return "\n\n".join(md(line.strip()) for line in text.splitlines() if line.strip())


# -- state: URL <-> widgets -----------------------------------------------------------------------------


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
    since, until = ss.get("f_since"), ss.get("f_until")
    filters = Filters(**{name: tuple(ss.get(key) or ()) for name, key in FACET_KEYS.items()},
                      since=since.isoformat() if isinstance(since, date) else "",
                      until=until.isoformat() if isinstance(until, date) else "",
                      org=(ss.get("f_org") or "").strip())
    mode = ss.get("mode") if ss.get("mode") in MODES else MODES[0]
    lang = ss.get("ui") if ss.get("ui") in LANGS else LANGS[0]
    state = ViewState((ss.get("q") or "").strip(), mode, filters, int(ss.get("page") or 1), ss.get("item") or "",
                      lang, (ss.get("qq") or "").strip(),
                      ss.get("qmode") if ss.get("qmode") in QUOTE_MODES else QUOTE_MODES[0],
                      int(ss.get("qpage") or 1), ss.get("read") or "",
                      ss.get("by") if ss.get("by") in COVERAGE_BY else COVERAGE_BY[0])
    if _signature(state) != ss.get("_sig"):
        ss["_sig"], ss["page"], ss["item"] = _signature(state), 1, ""
        state = state.with_(page=1, item="")
    if _quote_signature(state) != ss.get("_qsig"):
        ss["_qsig"], ss["qpage"] = _quote_signature(state), 1
        state = state.with_(quote_page=1)
    return state


def _signature(state: ViewState) -> tuple:
    return state.query, state.mode, state.filters


def _quote_signature(state: ViewState) -> tuple:
    return state.quote_query, state.quote_mode, state.filters


def write_url(state: ViewState) -> None:
    """Mirror the view into the address bar (only when it changed, so history stays clean)."""
    wanted = {k: v if isinstance(v, list) else [v] for k, v in to_params(state).items()}
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    if current != wanted:
        st.query_params.from_dict(to_params(state))


# -- callbacks ------------------------------------------------------------------------------------------


def open_item(item_id: str) -> None:
    st.session_state["item"] = item_id


def close_item() -> None:
    st.session_state["item"] = ""


def go_to_page(page: int, key: str = "page") -> None:
    st.session_state[key] = page


def set_mode(mode: str) -> None:
    st.session_state["mode"] = mode


def clear_filters() -> None:
    for key in FACET_KEYS.values():
        st.session_state[key] = []
    st.session_state["f_since"] = st.session_state["f_until"] = None
    st.session_state["f_org"] = ""


def browse_bulletin(bulletin_id: str) -> None:
    clear_filters()
    st.session_state.update(q="", item="", f_bulletins=[bulletin_id])


def read_bulletin(bulletin_id: str) -> None:
    st.session_state["read"] = bulletin_id


def pick_speaker() -> None:
    name = st.session_state.get("speaker_pick")
    st.session_state["f_speakers"] = [name] if name else []


def set_period(months: Sequence[str]) -> None:
    """Restrict the dates to whole months (none: all time)."""
    since, until = periods.period(months)
    st.session_state["f_since"] = first_day(since) if since else None
    st.session_state["f_until"] = last_day(until) if until else None


def pick_period_in_chart(key: str) -> None:
    set_period(periods.selected_months(st.session_state.get(key), "period"))


def slide_period(key: str, months: list[str]) -> None:
    first, last = st.session_state[key]
    set_period([] if (first, last) == (months[0], months[-1]) else [first, last])
    _reset_charts()


def clear_period() -> None:
    set_period([])
    _reset_charts()


def _reset_charts() -> None:
    """A new chart key drops the charts' own selection, which would otherwise contradict the period."""
    st.session_state["cov_epoch"] = st.session_state.get("cov_epoch", 0) + 1


# -- the index ------------------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=3)
def load_searcher(root: str, build: str) -> Searcher:
    """One searcher (and model) per index build; a rebuild changes ``build`` and so loads a fresh one."""
    return open_searcher(Path(root))


@st.cache_resource(show_spinner=False, max_entries=3)
def date_bounds(root: str, build: str) -> tuple[date, date]:
    dates = [d for it in load_searcher(root, build).table.items for d in (it.date, it.date_end) if d]
    days = [d for d in (first_day(x) for x in dates) if d]
    return (min(days), max(days)) if days else (date(2000, 1, 1), date.today())


def open_index(lang: str) -> tuple[Searcher, str, str]:
    """The searcher for the current build; on first run the built-in sample is indexed with a progress bar."""
    root = paths.default_index_dir()
    try:
        build = current_build(root)
        if build is None:
            render_first_run(root, lang)
            build = current_build(root)
        return load_searcher(str(root), str(build)), str(root), str(build)
    except IndexProblem as exc:
        st.error(t("index.problem", lang, message=md(str(exc))))
    except ModelError as exc:
        st.error(t("model.problem", lang, message=md(str(exc))))
    st.stop()
    raise AssertionError("unreachable")


def render_first_run(root: Path, lang: str) -> None:
    data = paths.default_data_dir()
    bar = st.progress(0.0, text=t("index.building", lang))

    def progress(stage: str, done: int, total: int) -> None:
        label = f"{t('index.building', lang)} {value_label('index.stage', stage, lang)} {done}/{total}"
        bar.progress(min(done / total, 1.0) if total else 0.0, text=label)

    report = ensure_index(root, data, progress)
    bar.empty()
    if report is not None:
        st.success(t("index.built", lang, items=report.items))
        if report.errors:
            st.warning(t("index.failed_files", lang, files=md("; ".join(str(e) for e in report.errors))))


# -- compute --------------------------------------------------------------------------------------------


def compute_results(searcher: Searcher, state: ViewState, k: int = PAGE_SIZE) -> SearchResult:
    """One page of results; an empty query lists the filtered items in bulletin order (browsing)."""
    offset = (state.page - 1) * k
    if state.query:
        return searcher.search(state.query, state.mode, state.filters, k=k, offset=offset)
    return searcher.browse(state.filters, k=k, offset=offset)


def compute_quotes(searcher: Searcher, state: ViewState, k: int = QUOTES_PAGE_SIZE) -> SearchResult:
    """One page of quotes: by theme when there is a quotes query, else in bulletin order."""
    offset, filters = (state.quote_page - 1) * k, quote_filters(state.filters)
    if state.quote_query:
        return searcher.search(state.quote_query, state.quote_mode, filters, k=k, offset=offset)
    return searcher.browse(filters, k=k, offset=offset)


def quote_filters(filters: Filters) -> Filters:
    return replace(filters, kinds=("quote",))


def export_bytes(searcher: Searcher, compute: Callable[[int], SearchResult], fmt: str) -> Callable[[], bytes]:
    """Deferred export of all results (up to EXPORT_LIMIT): computed only when the button is clicked."""

    def make() -> bytes:
        result = compute(EXPORT_LIMIT)
        bulletins = searcher.table.bulletins
        if fmt == "csv":
            return to_csv(result.hits, bulletins, searcher.get)
        return to_json(result, bulletins, lookup=searcher.get)

    return make


# -- render ---------------------------------------------------------------------------------------------


def render_search_box(lang: str) -> None:
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    left.text_input(t("search.label", lang), key="q", placeholder=t("search.placeholder", lang))
    right.radio(t("search.mode", lang), MODES, key="mode", horizontal=True, help=t("mode.help", lang),
                format_func=lambda m: mode_label(m, lang))


SEARCH_FACETS = ("bulletins", "sections", "kinds", "sources", "speakers")
QUOTE_FACETS = ("bulletins", "speakers")


def render_sidebar(ctx: Ctx, facets: dict[str, Counter], names: Sequence[str] = SEARCH_FACETS,
                   langs: bool = True) -> None:
    """The filters (shared by every page): dates, the facets ``names``, the speaker's organisation."""
    searcher, state = ctx.searcher, ctx.state
    lang = state.lang
    with st.sidebar:
        st.header(t("filters.title", lang))
        if state.filters.is_empty():
            st.caption(t("filters.none", lang))
        else:
            st.caption(t("filters.active", lang, scope=md(scope_text(searcher, state))))
            st.button(t("filters.clear", lang), key="clear-side", on_click=clear_filters, icon=":material/close:")
        render_dates(ctx.root, ctx.build, lang)
        labels = {"bulletins": lambda v: searcher.table.bulletins[v].title if v in searcher.table.bulletins else v,
                  "kinds": lambda v: value_label("kind", v, lang), "langs": lambda v: value_label("lang", v, lang)}
        for name in names:
            render_facet(name, facets.get(name, Counter()), labels.get(name, str), lang)
        st.text_input(t("filters.org", lang), key="f_org", placeholder=t("filters.org_placeholder", lang))
        if langs:
            render_facet("langs", facets.get("langs", Counter()), labels["langs"], lang)


def render_index_info(searcher: Searcher, lang: str) -> None:
    manifest = searcher.manifest
    st.sidebar.caption(t("index.info", lang, items=manifest["counts"]["items"],
                         bulletins=manifest["counts"]["bulletins"], model=md(manifest["model"]),
                         built_at=md(manifest.get("built_at", "")[:16])))


def render_dates(root: str, build: str, lang: str) -> None:
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


def scope_text(searcher: Searcher, state: ViewState) -> str:
    titles = {bid: b.title for bid, b in searcher.table.bulletins.items()}
    return describe_filters(state.filters, state.lang, titles)


def render_summary(searcher: Searcher, result: SearchResult, state: ViewState) -> None:
    lang = state.lang
    ms = max(1, round(result.took_ms))
    if not state.query:
        line = t("results.browse", lang, total=result.total)
    else:
        line = t("results.count_one", lang, ms=ms) if result.total == 1 else t("results.count", lang,
                                                                              total=result.total, ms=ms)
    if not state.filters.is_empty():
        line += " · " + t("results.scope", lang, scope=md(scope_text(searcher, state)))
    left, right = st.columns([5, 1], vertical_alignment="center")
    left.markdown(line)
    if not state.filters.is_empty():
        right.button(t("filters.clear", lang), key="clear-main", on_click=clear_filters, icon=":material/close:")
    if result.notice:
        st.warning(t("results.notice", lang), icon=":material/info:")


def render_empty(state: ViewState) -> None:
    lang = state.lang
    if not state.query:
        st.info(t("results.none_browse", lang))
    else:
        st.info(t("results.none", lang, query=md(state.query)))
    cols = st.columns(4)
    others = [m for m in ("semantic", "keyword", "hybrid") if m != state.mode][:2] if state.query else []
    for col, mode in zip(cols, others, strict=False):
        col.button(t("results.try_mode", lang, mode=mode_label(mode, lang)), key=f"try-{mode}",
                   on_click=set_mode, args=(mode,))
    if not state.filters.is_empty():
        cols[2].button(t("results.try_filters", lang), key="try-filters", on_click=clear_filters)


def render_card(searcher: Searcher, hit: Hit, state: ViewState) -> None:
    item, lang = hit.item, state.lang
    with st.container(border=True):
        st.markdown(f"**{md(item.title)}** &nbsp; {badge(item.kind, lang)}")
        st.caption(meta_line(searcher, item, lang))
        st.markdown(snippet_md(hit.snippet), unsafe_allow_html=True)
        left, right = st.columns([1, 5])
        left.button(t("card.open", lang), key=f"open-{item.id}", on_click=open_item, args=(item.id,),
                    icon=":material/article:")
        with right:
            if state.query:
                render_why(hit, lang)
            if hit.duplicates:
                render_duplicates(searcher, hit, lang)


def badge(kind: str, lang: str) -> str:
    return f":{KIND_COLORS.get(kind, 'gray')}-badge[{md(value_label('kind', kind, lang))}]"


def meta_line(searcher: Searcher, item: Item, lang: str) -> str:
    bulletin = searcher.table.bulletins.get(item.bulletin_id)
    when = item.date + (f" – {item.date_end}" if item.date_end and item.date_end != item.date else "")
    speaker = f"{t('card.speaker', lang)}: {item.speaker}" if item.speaker else ""
    source = f"{t('card.source', lang)}: {item.source}" if item.source else ""
    parts = (when, bulletin.title if bulletin else item.bulletin_id, item.section, source, speaker)
    return " · ".join(md(p) for p in parts if p)


def render_why(hit: Hit, lang: str) -> None:
    with st.expander(t("card.why", lang), icon=":material/help:"):
        lines = [t("card.rank", lang, rank=hit.rank, score=f"{hit.score:.3f}")]
        lines.append(t("card.keyword_rank", lang, rank=hit.keyword_rank, score=f"{hit.keyword_score:.3f}")
                     if hit.keyword_rank else t("card.keyword_none", lang))
        lines.append(t("card.semantic_rank", lang, rank=hit.semantic_rank, score=f"{hit.semantic_score:.3f}")
                     if hit.semantic_rank else t("card.semantic_none", lang))
        st.markdown("\n".join(f"- {line}" for line in lines))
        if hit.passage:
            st.caption(t("card.passage", lang))
            st.markdown("> " + md(" ".join(hit.passage.split())))


def render_duplicates(searcher: Searcher, hit: Hit, lang: str) -> None:
    with st.expander(t("card.duplicates", lang, n=len(hit.duplicates)), icon=":material/content_copy:"):
        for dup_id in hit.duplicates:
            dup = searcher.get(dup_id)
            if dup is not None:
                st.button(md(dup.title), key=f"dup-{hit.item.id}-{dup_id}", on_click=open_item, args=(dup_id,),
                          type="tertiary", help=meta_line(searcher, dup, lang))


def render_pager(total: int, page: int, lang: str, size: int = PAGE_SIZE, key: str = "page") -> None:
    """Previous / page x of y / next; ``key`` is the session key of the page number (and the buttons' prefix)."""
    pages = max(1, math.ceil(total / size))
    if pages == 1:
        return
    prev, label, nxt = st.columns([1, 2, 1], vertical_alignment="center")
    prev.button(t("results.prev", lang), key=f"{key}-prev", disabled=page <= 1, on_click=go_to_page,
                args=(page - 1, key), icon=":material/chevron_left:", width="stretch")
    label.markdown(f"<div style='text-align:center'>{t('results.page', lang, page=page, pages=pages)}</div>",
                   unsafe_allow_html=True)
    nxt.button(t("results.next", lang), key=f"{key}-next", disabled=page >= pages, on_click=go_to_page,
               args=(page + 1, key), icon=":material/chevron_right:", width="stretch")


def render_export(searcher: Searcher, compute: Callable[[int], SearchResult], lang: str,
                  name: str = "bulletin-results", help_key: str = "export.help") -> None:
    """CSV and JSON downloads of ``compute(EXPORT_LIMIT)``, saved as ``name``.csv / .json."""
    help_text = t(help_key, lang, n=EXPORT_LIMIT)
    left, right, _ = st.columns([1, 1, 3])
    left.download_button(t("export.csv", lang), export_bytes(searcher, compute, "csv"), f"{name}.csv",
                         "text/csv", key=f"{name}-csv", help=help_text, icon=":material/download:",
                         on_click="ignore")
    right.download_button(t("export.json", lang), export_bytes(searcher, compute, "json"), f"{name}.json",
                          "application/json", key=f"{name}-json", help=help_text, icon=":material/download:",
                          on_click="ignore")


def render_results(searcher: Searcher, result: SearchResult, state: ViewState) -> None:
    render_summary(searcher, result, state)
    if not result.hits:
        render_empty(state)
        return
    for hit in result.hits:
        render_card(searcher, hit, state)
    render_pager(result.total, state.page, state.lang)
    render_export(searcher, lambda k: compute_results(searcher, state.with_(page=1), k=k), state.lang)


def render_item(ctx: Ctx, item_id: str, lang: str) -> None:
    searcher = ctx.searcher
    st.button(t("item.back", lang), key="back", on_click=close_item, icon=":material/arrow_back:")
    item = searcher.get(item_id)
    if item is None:
        st.warning(t("item.missing", lang, id=md(item_id)))
        return
    bulletin = searcher.table.bulletins.get(item.bulletin_id)
    st.subheader(md(item.title))
    st.markdown(badge(item.kind, lang))
    main, side = st.columns([3, 2], gap="large")
    with main:
        st.markdown(paragraphs_md(item.text))
        if item.url.startswith(("https://", "http://")):
            st.link_button(t("item.url", lang), item.url, icon=":material/open_in_new:")
        render_family(searcher, item, lang)
    with side:
        render_item_meta(searcher, item, lang)
        st.caption(t("item.citation", lang))
        parent = searcher.get(item.parent_id) if item.parent_id else None
        st.code(cite(item, bulletin, parent), language=None, wrap_lines=True)
        st.button(t("item.show_bulletin", lang), key="browse-bulletin", on_click=browse_bulletin,
                  args=(item.bulletin_id,), icon=":material/manage_search:")
        if st.button(t("item.read_bulletin", lang), key="read-bulletin", icon=":material/menu_book:"):
            read_bulletin(item.bulletin_id)
            st.switch_page(ctx.pages["bulletins"])
        render_similar(searcher, item, lang)


def render_item_meta(searcher: Searcher, item: Item, lang: str) -> None:
    bulletin = searcher.table.bulletins.get(item.bulletin_id)
    when = item.date + (f" – {item.date_end}" if item.date_end and item.date_end != item.date else "")
    rows = [
        ("item.bulletin", bulletin.title if bulletin else item.bulletin_id),
        ("item.issue_date", bulletin.date if bulletin else ""),
        ("item.section", item.section),
        ("item.kind", value_label("kind", item.kind, lang)),
        ("item.time" if item.kind == "event" else "item.date", when),
        ("item.place", item.place),
        ("item.speaker", item.speaker),
        ("item.speaker_title", item.speaker_title),
        ("item.source", item.source),
        ("item.language", value_label("lang", item.lang, lang)),
        ("item.id", item.id),
    ]
    st.markdown("\n".join(f"- **{t(key, lang)}**: {md(value)}" for key, value in rows if value))


def render_family(searcher: Searcher, item: Item, lang: str) -> None:
    """The news item a quote belongs to, the quotes of a news item, and what this item duplicates."""
    parent = searcher.get(item.parent_id) if item.parent_id else None
    if parent is not None:
        st.caption(t("item.parent", lang))
        st.button(md(parent.title), key=f"parent-{parent.id}", on_click=open_item, args=(parent.id,),
                  icon=":material/north_west:", type="tertiary")
    original = searcher.get(item.duplicate_of) if item.duplicate_of else None
    if original is not None:
        st.caption(t("item.duplicate_of", lang))
        st.button(md(original.title), key=f"orig-{original.id}", on_click=open_item, args=(original.id,),
                  type="tertiary")
    quotes = [it for it in searcher.items_of(item.bulletin_id) if it.parent_id == item.id]
    if quotes:
        st.caption(t("item.quotes", lang))
        for quote in quotes:
            st.button(md(quote.title), key=f"quote-{quote.id}", on_click=open_item, args=(quote.id,),
                      icon=":material/format_quote:", type="tertiary")


def render_similar(searcher: Searcher, item: Item, lang: str) -> None:
    st.caption(t("item.similar", lang))
    hits = searcher.similar(item.id, k=SIMILAR)
    if not hits:
        st.caption(t("item.similar_none", lang))
    for hit in hits:
        st.button(f"{md(hit.item.title)} · {hit.score:.2f}", key=f"similar-{hit.item.id}", on_click=open_item,
                  args=(hit.item.id,), type="tertiary", help=meta_line(searcher, hit.item, lang))


# -- moving between pages -------------------------------------------------------------------------------


@dataclass
class Ctx:
    """What every page needs: the index, the view, and the pages themselves (to move between them)."""

    searcher: Searcher
    root: str
    build: str
    state: ViewState
    pages: dict[str, object] = field(default_factory=dict)  # url path -> st.Page


def item_link(ctx: Ctx, item: Item, key: str, label: str | None = None, icon: str | None = None) -> None:
    """A button that opens ``item`` in the item view (on the search page)."""
    if st.button(label or md(item.title or item.text[:40]), key=key, type="tertiary", icon=icon,
                 help=meta_line(ctx.searcher, item, ctx.state.lang)):
        st.session_state["item"] = item.id
        st.switch_page(ctx.pages["search"])


# -- search page ----------------------------------------------------------------------------------------


def page_search(ctx: Ctx) -> None:
    searcher, state = ctx.searcher, ctx.state
    render_search_box(state.lang)
    render_sidebar(ctx, searcher.facets(state.query, state.mode, state.filters))
    if state.item:
        render_item(ctx, state.item, state.lang)
        return
    result = compute_results(searcher, state)
    pages = max(1, math.ceil(result.total / PAGE_SIZE))
    if state.page > pages:
        st.session_state["page"] = pages
        state = state.with_(page=pages)
        result = compute_results(searcher, state)
    render_results(searcher, result, state)


# -- quotes page ----------------------------------------------------------------------------------------


def page_quotes(ctx: Ctx) -> None:
    searcher, state = ctx.searcher, ctx.state
    lang = state.lang
    st.subheader(t("quotes.title", lang))
    st.caption(t("quotes.caption", lang))
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    left.text_input(t("quotes.label", lang), key="qq", placeholder=t("quotes.placeholder", lang))
    right.radio(t("search.mode", lang), QUOTE_MODES, key="qmode", horizontal=True, help=t("mode.help", lang),
                format_func=lambda m: mode_label(m, lang))
    filters = quote_filters(state.filters)
    render_sidebar(ctx, searcher.facets(state.quote_query, state.quote_mode, filters), QUOTE_FACETS, langs=False)
    result = compute_quotes(searcher, state)
    pages = max(1, math.ceil(result.total / QUOTES_PAGE_SIZE))
    if state.quote_page > pages:  # a stale link, or fewer quotes than before
        st.session_state["qpage"] = pages
        state = state.with_(quote_page=pages)
        result = compute_quotes(searcher, state)
    render_speakers(searcher, state)
    render_quote_results(ctx, result, state)


def render_speakers(searcher: Searcher, state: ViewState) -> None:
    """Speakers (within the other filters) with their quote counts; picking one shows only their quotes."""
    lang = state.lang
    listed = explore.speakers(searcher, state.filters.without("speakers"), state.quote_query,
                              state.quote_mode)[:SPEAKERS_SHOWN]
    counts = {entry.speaker: entry.quotes for entry in listed}
    chosen = st.session_state.get("f_speakers") or []
    st.session_state["speaker_pick"] = chosen[0] if len(chosen) == 1 and chosen[0] in counts else None
    st.pills(t("quotes.speakers", lang, n=len(listed)), list(counts), key="speaker_pick", on_change=pick_speaker,
             format_func=lambda name: f"{name} · {counts[name]}", help=t("quotes.speakers_help", lang))


def render_quote_results(ctx: Ctx, result: SearchResult, state: ViewState) -> None:
    lang, searcher = state.lang, ctx.searcher
    line = (t("quotes.count_query", lang, total=result.total, query=md(state.quote_query)) if state.quote_query
            else t("quotes.count", lang, total=result.total))
    scope = describe_filters(state.filters, lang, {b: x.title for b, x in searcher.table.bulletins.items()})
    st.markdown(line + (" · " + t("results.scope", lang, scope=md(scope)) if scope else ""))
    if not result.hits:
        st.info(t("quotes.none", lang))
        return
    for hit in result.hits:
        render_quote(ctx, hit, lang)
    render_pager(result.total, state.quote_page, lang, QUOTES_PAGE_SIZE, key="qpage")
    render_export(searcher, lambda k: compute_quotes(searcher, state.with_(quote_page=1), k=k), lang,
                  name="bulletin-quotes", help_key="quotes.export_help")


def render_quote(ctx: Ctx, hit: Hit, lang: str) -> None:
    """Speaker and title, date and bulletin, the quote, its news item and a citation."""
    searcher, item = ctx.searcher, hit.item
    bulletin = searcher.table.bulletins.get(item.bulletin_id)
    parent = searcher.get(item.parent_id) if item.parent_id else None
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


# -- bulletins page -------------------------------------------------------------------------------------


def page_bulletins(ctx: Ctx) -> None:
    state = ctx.state
    if state.reading:
        render_bulletin(ctx, state.reading)
    else:
        render_bulletin_list(ctx)


def render_bulletin_list(ctx: Ctx) -> None:
    lang = ctx.state.lang
    summaries = explore.bulletins(ctx.searcher)
    st.subheader(t("bulletins.title", lang))
    st.caption(t("bulletins.count", lang, n=len(summaries), items=sum(s.items for s in summaries)))
    for summary in summaries:
        render_bulletin_card(summary, lang)


def render_bulletin_card(summary: explore.BulletinSummary, lang: str) -> None:
    b = summary.bulletin
    with st.container(border=True):
        left, right = st.columns([5, 1], vertical_alignment="center")
        left.markdown(f"**{md(b.title)}**")
        left.caption(bulletin_line(b, summary.items, lang))
        right.button(t("bulletins.read", lang), key=f"read-{b.id}", on_click=read_bulletin, args=(b.id,),
                     icon=":material/menu_book:", width="stretch")
        sections = " · ".join(f"{md(name)} {n}" for name, n in summary.by_section.items())
        kinds = " ".join(f"{badge(kind, lang)} {n}" for kind, n in sorted(summary.by_kind.items(),
                                                                         key=lambda kv: -kv[1]))
        st.markdown(f"{t('bulletins.by_section', lang)}：{sections}  \n{t('bulletins.by_kind', lang)}：{kinds}")


def bulletin_line(b: Bulletin, items: int, lang: str) -> str:
    """'2019-11-16 · 第 11 期 · 发布机构：… · 中文 · 23 个条目', escaped."""
    if not b.date:
        when = t("bulletins.no_date", lang)
    else:
        when = t("bulletins.date_inferred", lang, date=b.date) if b.date_inferred else b.date
    parts = (when, t("bulletins.issue", lang, issue=b.issue) if b.issue else "",
             t("bulletins.publisher", lang, name=b.publisher) if b.publisher else "",
             value_label("lang", b.language, lang), t("bulletins.items", lang, n=items))
    return " · ".join(md(p) for p in parts if p)


def render_bulletin(ctx: Ctx, bulletin_id: str) -> None:
    """One bulletin's items in their printed order, grouped by section, each opening the item view."""
    searcher, lang = ctx.searcher, ctx.state.lang
    st.button(t("bulletins.back", lang), key="bulletins-back", on_click=read_bulletin, args=("",),
              icon=":material/arrow_back:")
    bulletin, items = searcher.table.bulletins.get(bulletin_id), searcher.items_of(bulletin_id)
    if bulletin is None:
        st.warning(t("bulletins.missing", lang, id=md(bulletin_id)))
        return
    st.subheader(md(bulletin.title))
    st.caption(bulletin_line(bulletin, len(items), lang))
    st.button(t("bulletins.search_in", lang), key="bulletin-search", on_click=browse_bulletin, args=(bulletin.id,),
              icon=":material/manage_search:")
    for section, group in itertools.groupby(items, key=lambda it: it.section):
        st.subheader(md(section) if section else t("bulletins.no_section", lang), divider="gray")
        for item in group:
            render_bulletin_item(ctx, item, lang)


def render_bulletin_item(ctx: Ctx, item: Item, lang: str) -> None:
    item_link(ctx, item, f"bitem-{item.id}", f"**{md(item.title or item.text[:40])}**")
    details = (item.date, item.speaker, item.source, item.place)
    st.caption(" · ".join([badge(item.kind, lang), *(md(p) for p in details if p)]))
    st.markdown(snippet_md(lead(item.text)))


# -- coverage page --------------------------------------------------------------------------------------


def page_coverage(ctx: Ctx) -> None:
    searcher, state = ctx.searcher, ctx.state
    lang = state.lang
    st.subheader(t("coverage.title", lang))
    st.caption(t("coverage.caption", lang))
    render_search_box(lang)
    render_sidebar(ctx, searcher.facets(state.query, state.mode, state.filters))
    st.segmented_control(t("coverage.by", lang), COVERAGE_BY, key="by", required=True,
                         format_func=lambda b: t(f"coverage.by.{b}", lang))
    archive_points, query_points = compute_coverage(searcher, state)
    months = periods.span(p.month for p in archive_points)
    if not months:
        st.info(t("coverage.none", lang))
        return
    render_coverage_chart(archive_points, months, state, t("coverage.archive", lang), "archive")
    if query_points is not None:
        scope = " · ".join(x for x in (state.query, scope_text(searcher, state.with_(filters=undated(state.filters))))
                           if x)
        render_coverage_chart(query_points, months, state, t("coverage.query", lang, scope=scope), "query")
    render_period_picker(months, state)
    render_top_values(searcher, state)
    render_coverage_results(ctx, state)


def undated(filters: Filters) -> Filters:
    return replace(filters, since="", until="")


def compute_coverage(searcher: Searcher, state: ViewState
                     ) -> tuple[list[explore.CoveragePoint], list[explore.CoveragePoint] | None]:
    """Items per month for the whole archive and (if there is one) the current query and filters; the
    period filter is left out of both, so the charts keep showing every month while one is chosen."""
    archive_points = explore.coverage(searcher, by=state.coverage_by)
    filters = undated(state.filters)
    if not state.query and filters.is_empty():
        return archive_points, None
    return archive_points, explore.coverage(searcher, state.query, state.mode, filters, by=state.coverage_by)


def coverage_chart(points: list[explore.CoveragePoint], months: list[str], by: str, lang: str) -> alt.Chart:
    """Stacked bars of items per month (every month of the archive on the axis); clicking picks months."""
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


def render_coverage_chart(points: list[explore.CoveragePoint], months: list[str], state: ViewState, title: str,
                          name: str) -> None:
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


def render_top_values(searcher: Searcher, state: ViewState) -> None:
    lang = state.lang
    for column, attr in zip(st.columns(3), ("source", "speaker", "place"), strict=True):
        values = explore.top_values(searcher, attr, state.query, state.mode, state.filters, TOP_VALUES)
        column.markdown(f"**{t(f'coverage.top_{attr}s', lang)}**")
        column.markdown("\n".join(f"1. {md(v)} ({n})" for v, n in values) or t("coverage.top_none", lang))


def render_coverage_results(ctx: Ctx, state: ViewState) -> None:
    """The first results of the query within the filters and the chosen period."""
    lang = state.lang
    result = compute_results(ctx.searcher, state.with_(page=1), k=COVERAGE_RESULTS)
    st.markdown(f"**{t('coverage.results', lang, n=len(result.hits), total=result.total)}**")
    for hit in result.hits:
        item_link(ctx, hit.item, f"cov-{hit.item.id}", f"{md(hit.item.title)} · {md(hit.item.date)}")
    if st.button(t("coverage.all_results", lang), key="coverage-to-search", icon=":material/search:"):
        st.session_state["item"] = ""
        st.switch_page(ctx.pages["search"])


# -- admin page (only with BULLETINS_ADMIN=1) -----------------------------------------------------------


def admin_enabled() -> bool:
    return os.environ.get("BULLETINS_ADMIN", "") == "1"


def page_admin(ctx: Ctx) -> None:
    lang = ctx.state.lang
    data_dir = paths.default_data_dir()
    st.subheader(t("admin.title", lang))
    st.caption(t("admin.caption", lang, path=md(str(data_dir))))
    if done := st.session_state.pop("admin_done", None):
        st.success(done)
    types = ", ".join([*archive.SUPPORTED_SUFFIXES, SIDECAR_SUFFIX])
    mb = ingest.MAX_UPLOAD_BYTES / (1024 * 1024)
    files = st.file_uploader(t("admin.upload", lang), accept_multiple_files=True, max_upload_size=math.ceil(mb),
                             key=f"upload-{st.session_state.get('upload_epoch', 0)}",
                             help=t("admin.upload_help", lang, types=types, mb=f"{mb:g}"))
    if not files:
        return
    uploads = [ingest.Upload(f.name, f.getvalue()) for f in files]
    previews = compute_previews(uploads, data_dir)
    render_previews(previews, lang)
    chosen = [p for p in previews if p.writable]
    if not chosen:
        st.info(t("admin.nothing", lang))
        return
    if st.button(t("admin.confirm", lang, n=len(chosen)), key="admin-confirm", type="primary",
                 icon=":material/library_add:"):
        commit_uploads(ctx, uploads, previews, data_dir)


def compute_previews(uploads: list[ingest.Upload], data_dir: Path) -> list[ingest.Preview]:
    """What the uploads would do (parsed once per set of files, not on every rerun)."""
    digest = hashlib.sha256()
    for up in uploads:
        digest.update(up.name.encode() + b"\0" + hashlib.sha256(up.data).digest())
    key = (digest.hexdigest(), str(data_dir))
    cached = st.session_state.get("_previews")
    if not cached or cached[0] != key:
        cached = (key, ingest.preview(uploads, data_dir))
        st.session_state["_previews"] = cached
    return cached[1]


def render_previews(previews: list[ingest.Preview], lang: str) -> None:
    """One row per file (status and why), then the items each readable file holds."""
    st.dataframe(pd.DataFrame([{
        t("admin.file", lang): p.name, t("admin.status", lang): t(f"admin.status.{p.status}", lang),
        t("admin.reason", lang): p.reason, t("admin.bulletin", lang): p.bulletin.title if p.bulletin else "",
        t("admin.items", lang): len(p.items)} for p in previews]), hide_index=True, key="admin-files")
    for p in previews:
        if p.items:
            with st.expander(t("admin.preview", lang, name=md(p.name), n=len(p.items)), expanded=len(previews) == 1):
                st.dataframe(preview_table(p.items, lang), hide_index=True)


def preview_table(items: Sequence[Item], lang: str) -> pd.DataFrame:
    return pd.DataFrame([{
        t("item.kind", lang): value_label("kind", it.kind, lang), t("admin.title_col", lang): it.title,
        t("item.date", lang): it.date, t("item.section", lang): it.section, t("item.source", lang): it.source,
        t("item.speaker", lang): it.speaker} for it in items])


def commit_uploads(ctx: Ctx, uploads: list[ingest.Upload], previews: list[ingest.Preview], data_dir: Path) -> None:
    """Write the good files, update the index with a progress bar, then rerun on the new build."""
    lang = ctx.state.lang
    bar = st.progress(0.0, text=t("admin.writing", lang))

    def progress(stage: str, done: int, total: int) -> None:
        label = f"{t('admin.writing', lang)} {value_label('index.stage', stage, lang)} {done}/{total}"
        bar.progress(min(done / total, 1.0) if total else 0.0, text=label)

    try:
        report = ingest.commit(uploads, previews, data_dir, Path(ctx.root), progress,
                               encoder=shared_encoder(ctx.searcher.manifest["model"]))
    except (OSError, IndexProblem, ModelError) as exc:
        bar.empty()
        st.error(t("admin.failed", lang, message=md(str(exc))))
        return
    bar.empty()
    written = sum(p.writable for p in previews)
    message = t("admin.done", lang, files=written, items=report.items if report else len(ctx.searcher.table))
    if report is not None and report.errors:
        message += "\n\n" + t("index.failed_files", lang, files=md("; ".join(str(e) for e in report.errors)))
    st.session_state["admin_done"] = message
    st.session_state["upload_epoch"] = st.session_state.get("upload_epoch", 0) + 1
    st.session_state.pop("_previews", None)
    st.rerun()


# -- the app --------------------------------------------------------------------------------------------


def make_pages(ctx: Ctx) -> dict[str, object]:
    """The pages, titled in the interface language; the admin page exists only in admin mode."""
    lang = ctx.state.lang
    specs = [("search", page_search, ":material/search:"), ("quotes", page_quotes, ":material/format_quote:"),
             ("bulletins", page_bulletins, ":material/menu_book:"),
             ("coverage", page_coverage, ":material/bar_chart:")]
    if admin_enabled():
        specs.append(("admin", page_admin, ":material/upload_file:"))
    return {path: st.Page(lambda fn=fn: fn(ctx), title=t(f"nav.{path}", lang), icon=icon, url_path=path,
                          default=path == "search")
            for path, fn, icon in specs}


def main() -> None:
    st.set_page_config(page_title="Bulletin Archive · 简报档案", page_icon=":material/newspaper:", layout="wide")
    keep_view()
    seed_from_url()
    state = read_view()
    st.title(t("app.title", state.lang))
    searcher, root, build = open_index(state.lang)
    ctx = Ctx(searcher, root, build, state)
    ctx.pages = make_pages(ctx)
    current = st.navigation(list(ctx.pages.values()), position="top")
    st.sidebar.radio(t("ui.language", state.lang), LANGS, key="ui", horizontal=True, format_func=LANG_NAMES.get)
    current.run()
    render_index_info(searcher, state.lang)
    write_url(read_view())


main()
