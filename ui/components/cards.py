"""Result cards and the small pieces items are shown with: kind badge, meta line, links to the item view."""

from __future__ import annotations

import streamlit as st

from index.interface import Archive, Hit, Item
from ui.context import Ctx
from ui.i18n import t, value_label
from ui.markdown import md, snippet_md
from ui.state import open_item
from ui.viewstate import ViewState

KIND_COLORS = {"news": "blue", "quote": "violet", "event": "orange", "report": "green", "about": "gray"}


def badge(kind: str, lang: str) -> str:
    """A coloured Markdown badge naming the item kind."""
    return f":{KIND_COLORS.get(kind, 'gray')}-badge[{md(value_label('kind', kind, lang))}]"


def item_when(item: Item) -> str:
    """The item's date, or its span ('2019-11-05 – 2019-11-07') when it ends on another day."""
    return item.date + (f" – {item.date_end}" if item.date_end and item.date_end != item.date else "")


def meta_line(archive: Archive, item: Item, lang: str) -> str:
    """'date · bulletin · section · source · speaker', escaped."""
    bulletin = archive.bulletin(item.bulletin_id)
    speaker = f"{t('card.speaker', lang)}: {item.speaker}" if item.speaker else ""
    source = f"{t('card.source', lang)}: {item.source}" if item.source else ""
    parts = (item_when(item), bulletin.title if bulletin else item.bulletin_id, item.section, source, speaker)
    return " · ".join(md(p) for p in parts if p)


def item_link(ctx: Ctx, item: Item, key: str, label: str | None = None, icon: str | None = None) -> None:
    """A button that opens ``item`` in the item view (on the search page)."""
    if st.button(label or md(item.title or item.text[:40]), key=key, type="tertiary", icon=icon,
                 help=meta_line(ctx.archive, item, ctx.state.lang)):
        st.session_state["item"] = item.id
        st.switch_page(ctx.pages["search"])


def render_card(archive: Archive, hit: Hit, state: ViewState) -> None:
    """One search result: title and kind, meta line, snippet, open button, why it matched, duplicates."""
    item, lang = hit.item, state.lang
    with st.container(border=True):
        st.markdown(f"**{md(item.title)}** &nbsp; {badge(item.kind, lang)}")
        st.caption(meta_line(archive, item, lang))
        st.markdown(snippet_md(hit.snippet), unsafe_allow_html=True)
        if hit.gloss:  # an English query's matched Chinese terms, glossed (reading aid)
            st.caption(f"≈ {md(hit.gloss)}")
        left, right = st.columns([1, 5])
        left.button(t("card.open", lang), key=f"open-{item.id}", on_click=open_item, args=(item.id,),
                    icon=":material/article:")
        with right:
            if state.query:
                render_why(hit, lang)
            if hit.duplicates:
                render_duplicates(archive, hit, lang)


def render_why(hit: Hit, lang: str) -> None:
    """Why this matched: the fused rank, the keyword and semantic ranks, and the best passage."""
    with st.expander(t("card.why", lang), icon=":material/help:"):
        lines = [t("card.rank", lang, rank=hit.rank, score=f"{hit.score:.3f}")]
        lines.append(t("card.keyword_rank", lang, rank=hit.keyword_rank, score=f"{hit.keyword_score:.3f}")
                     if hit.keyword_rank else t("card.keyword_none", lang))
        lines.append(t("card.semantic_rank", lang, rank=hit.semantic_rank, score=f"{hit.semantic_score:.3f}")
                     if hit.semantic_rank else t("card.semantic_none", lang))
        if hit.semantic_weight is not None:
            lines.append(f"fusion: semantic weight {hit.semantic_weight:.2f}, keyword {1 - hit.semantic_weight:.2f}")
        st.markdown("\n".join(f"- {line}" for line in lines))
        if hit.passage:
            st.caption(t("card.passage", lang))
            st.markdown("> " + md(" ".join(hit.passage.split())))


def render_duplicates(archive: Archive, hit: Hit, lang: str) -> None:
    """The near-duplicates folded under a result, each opening its item view."""
    with st.expander(t("card.duplicates", lang, n=len(hit.duplicates)), icon=":material/content_copy:"):
        for dup_id in hit.duplicates:
            dup = archive.item(dup_id)
            if dup is not None:
                st.button(md(dup.title), key=f"dup-{hit.item.id}-{dup_id}", on_click=open_item, args=(dup_id,),
                          type="tertiary", help=meta_line(archive, dup, lang))
