"""The bulletins page: every bulletin with its counts, and one bulletin read in its printed order."""

from __future__ import annotations

import itertools

import streamlit as st

from index.interface import Bulletin, BulletinSummary, Item
from index.interface.text import lead
from ui.components.cards import badge, item_link
from ui.context import Ctx
from ui.i18n import t, value_label
from ui.markdown import md, snippet_md
from ui.state import browse_bulletin, read_bulletin


def page_bulletins(ctx: Ctx) -> None:
    """The bulletin being read (``state.reading``), else the list of bulletins."""
    state = ctx.state
    if state.reading:
        render_bulletin(ctx, state.reading)
    else:
        render_bulletin_list(ctx)


def render_bulletin_list(ctx: Ctx) -> None:
    """Every bulletin, newest first, with its item counts."""
    lang = ctx.state.lang
    summaries = ctx.archive.bulletins()
    st.subheader(t("bulletins.title", lang))
    st.caption(t("bulletins.count", lang, n=len(summaries), items=sum(s.items for s in summaries)))
    for summary in summaries:
        render_bulletin_card(summary, lang)


def render_bulletin_card(summary: BulletinSummary, lang: str) -> None:
    """One bulletin: title, details, a read button, and its items by section and by kind."""
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
    archive, lang = ctx.archive, ctx.state.lang
    st.button(t("bulletins.back", lang), key="bulletins-back", on_click=read_bulletin, args=("",),
              icon=":material/arrow_back:")
    bulletin, items = archive.bulletin(bulletin_id), archive.bulletin_items(bulletin_id)
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
    """One item of the bulletin: a link to its item view, its details and its lead."""
    item_link(ctx, item, f"bitem-{item.id}", f"**{md(item.title or item.text[:40])}**")
    details = (item.date, item.speaker, item.source, item.place)
    st.caption(" · ".join([badge(item.kind, lang), *(md(p) for p in details if p)]))
    st.markdown(snippet_md(lead(item.text)))
