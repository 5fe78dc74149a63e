"""Bulletin Archive — Streamlit front end: widgets -> index API -> rendering.

The whole view lives in the URL (index/viewstate.py), every label goes through index/i18n.py, and every piece
of document or user text is escaped before it is shown; only the engine's snippet markup (<mark>) is HTML.
"""

from __future__ import annotations

import html
import math
import re
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

import streamlit as st

from archive.model import Item
from index import paths
from index.bootstrap import current_build, ensure_index, open_searcher
from index.citation import cite
from index.encoders import ModelError
from index.export import to_csv, to_json
from index.filters import Filters
from index.i18n import LANG_NAMES, LANGS, describe_filters, mode_label, t, value_label
from index.results import Hit, SearchResult
from index.searcher import Searcher
from index.store import IndexProblem
from index.viewstate import FILTER_PARAMS, MODES, ViewState, first_day, from_params, last_day, to_params

PAGE_SIZE = 10
EXPORT_LIMIT = 1000
SIMILAR = 5
FACET_KEYS = {name: f"f_{name}" for name in FILTER_PARAMS}  # Filters field -> widget key
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
                            f_org=state.filters.org)
    for name, key in FACET_KEYS.items():
        st.session_state[key] = list(getattr(state.filters, name))
    st.session_state["_sig"] = _signature(state)
    st.session_state["_seeded"] = True


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
                      lang)
    if _signature(state) != ss.get("_sig"):
        ss["_sig"], ss["page"], ss["item"] = _signature(state), 1, ""
        state = state.with_(page=1, item="")
    return state


def _signature(state: ViewState) -> tuple:
    return state.query, state.mode, state.filters


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


def go_to_page(page: int) -> None:
    st.session_state["page"] = page


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


def export_bytes(searcher: Searcher, state: ViewState, fmt: str) -> Callable[[], bytes]:
    """Deferred export of all results (up to EXPORT_LIMIT): computed only when the button is clicked."""

    def make() -> bytes:
        result = compute_results(searcher, state.with_(page=1), k=EXPORT_LIMIT)
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


def render_sidebar(searcher: Searcher, root: str, build: str, state: ViewState,
                   facets: dict[str, Counter]) -> None:
    lang = state.lang
    with st.sidebar:
        st.radio(t("ui.language", lang), LANGS, key="ui", horizontal=True, format_func=LANG_NAMES.get)
        st.header(t("filters.title", lang))
        if state.filters.is_empty():
            st.caption(t("filters.none", lang))
        else:
            st.caption(t("filters.active", lang, scope=md(scope_text(searcher, state))))
            st.button(t("filters.clear", lang), key="clear-side", on_click=clear_filters, icon=":material/close:")
        render_dates(root, build, lang)
        labels = {"bulletins": lambda v: searcher.table.bulletins[v].title if v in searcher.table.bulletins else v,
                  "kinds": lambda v: value_label("kind", v, lang), "langs": lambda v: value_label("lang", v, lang)}
        for name in ("bulletins", "sections", "kinds", "sources", "speakers"):
            render_facet(name, facets.get(name, Counter()), labels.get(name, str), lang)
        st.text_input(t("filters.org", lang), key="f_org", placeholder=t("filters.org_placeholder", lang))
        render_facet("langs", facets.get("langs", Counter()), labels["langs"], lang)
        manifest = searcher.manifest
        st.caption(t("index.info", lang, items=manifest["counts"]["items"], bulletins=manifest["counts"]["bulletins"],
                     model=md(manifest["model"]), built_at=md(manifest.get("built_at", "")[:16])))


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


def render_pager(result: SearchResult, state: ViewState) -> None:
    pages = max(1, math.ceil(result.total / PAGE_SIZE))
    if pages == 1:
        return
    lang = state.lang
    prev, label, nxt = st.columns([1, 2, 1], vertical_alignment="center")
    prev.button(t("results.prev", lang), key="page-prev", disabled=state.page <= 1, on_click=go_to_page,
                args=(state.page - 1,), icon=":material/chevron_left:", width="stretch")
    label.markdown(f"<div style='text-align:center'>{t('results.page', lang, page=state.page, pages=pages)}</div>",
                   unsafe_allow_html=True)
    nxt.button(t("results.next", lang), key="page-next", disabled=state.page >= pages, on_click=go_to_page,
               args=(state.page + 1,), icon=":material/chevron_right:", width="stretch")


def render_export(searcher: Searcher, state: ViewState) -> None:
    lang = state.lang
    help_text = t("export.help", lang, n=EXPORT_LIMIT)
    left, right, _ = st.columns([1, 1, 3])
    left.download_button(t("export.csv", lang), export_bytes(searcher, state, "csv"), "bulletin-results.csv",
                         "text/csv", key="export-csv", help=help_text, icon=":material/download:",
                         on_click="ignore")
    right.download_button(t("export.json", lang), export_bytes(searcher, state, "json"), "bulletin-results.json",
                          "application/json", key="export-json", help=help_text, icon=":material/download:",
                          on_click="ignore")


def render_results(searcher: Searcher, result: SearchResult, state: ViewState) -> None:
    render_summary(searcher, result, state)
    if not result.hits:
        render_empty(state)
        return
    for hit in result.hits:
        render_card(searcher, hit, state)
    render_pager(result, state)
    render_export(searcher, state)


def render_item(searcher: Searcher, item_id: str, lang: str) -> None:
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
                  args=(item.bulletin_id,), icon=":material/menu_book:")
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


# -- page -----------------------------------------------------------------------------------------------


def main() -> None:
    st.set_page_config(page_title="Bulletin Archive · 简报档案", page_icon=":material/newspaper:", layout="wide")
    seed_from_url()
    state = read_view()
    lang = state.lang
    st.title(t("app.title", lang))
    searcher, root, build = open_index(lang)
    render_search_box(lang)
    facets = searcher.facets(state.query, state.mode, state.filters)
    render_sidebar(searcher, root, build, state, facets)
    if state.item:
        render_item(searcher, state.item, lang)
    else:
        result = compute_results(searcher, state)
        pages = max(1, math.ceil(result.total / PAGE_SIZE))
        if state.page > pages:
            st.session_state["page"] = pages
            state = state.with_(page=pages)
            result = compute_results(searcher, state)
        render_results(searcher, result, state)
    write_url(state)


main()
