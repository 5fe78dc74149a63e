"""The item view: full text, details, citation, the items it belongs with, and similar items."""

from __future__ import annotations

import streamlit as st

from index.interface import Archive, Item
from index.interface.citation import cite
from ui.components.cards import badge, item_when, meta_line
from ui.context import Ctx
from ui.i18n import t, value_label
from ui.markdown import md, paragraphs_md
from ui.state import browse_bulletin, close_item, open_item, read_bulletin

SIMILAR = 5


def render_item(ctx: Ctx, item_id: str, lang: str) -> None:
    """One item: text and its family on the left; details, citation, bulletin links and similar on the right."""
    archive = ctx.archive
    st.button(t("item.back", lang), key="back", on_click=close_item, icon=":material/arrow_back:")
    item = archive.item(item_id)
    if item is None:
        st.warning(t("item.missing", lang, id=md(item_id)))
        return
    st.subheader(md(item.title))
    st.markdown(badge(item.kind, lang))
    main, side = st.columns([3, 2], gap="large")
    with main:
        st.markdown(paragraphs_md(item.text))
        if item.url.startswith(("https://", "http://")):
            st.link_button(t("item.url", lang), item.url, icon=":material/open_in_new:")
        render_family(archive, item, lang)
    with side:
        render_item_side(ctx, item, lang)


def render_item_side(ctx: Ctx, item: Item, lang: str) -> None:
    """Details, citation, the ways to the item's bulletin, and similar items."""
    archive = ctx.archive
    render_item_meta(archive, item, lang)
    st.caption(t("item.citation", lang))
    bulletin = archive.bulletin(item.bulletin_id)
    parent = archive.item(item.parent_id) if item.parent_id else None
    st.code(cite(item, bulletin, parent), language=None, wrap_lines=True)
    st.button(t("item.show_bulletin", lang), key="browse-bulletin", on_click=browse_bulletin,
              args=(item.bulletin_id,), icon=":material/manage_search:")
    if st.button(t("item.read_bulletin", lang), key="read-bulletin", icon=":material/menu_book:"):
        read_bulletin(item.bulletin_id)
        st.switch_page(ctx.pages["bulletins"])
    render_similar(archive, item, lang)


def render_item_meta(archive: Archive, item: Item, lang: str) -> None:
    """The item's fields as a list (empty ones left out)."""
    bulletin = archive.bulletin(item.bulletin_id)
    rows = [
        ("item.bulletin", bulletin.title if bulletin else item.bulletin_id),
        ("item.issue_date", bulletin.date if bulletin else ""),
        ("item.section", item.section),
        ("item.kind", value_label("kind", item.kind, lang)),
        ("item.time" if item.kind == "event" else "item.date", item_when(item)),
        ("item.place", item.place),
        ("item.speaker", item.speaker),
        ("item.speaker_title", item.speaker_title),
        ("item.source", item.source),
        ("item.language", value_label("lang", item.lang, lang)),
        ("item.extraction", t("item.ocr", lang) if item.ocr else ""),
        ("item.id", item.id),
    ]
    st.markdown("\n".join(f"- **{t(key, lang)}**: {md(value)}" for key, value in rows if value))


def render_family(archive: Archive, item: Item, lang: str) -> None:
    """The news item a quote belongs to, what this item duplicates or translates, its quotes and translations."""
    for label, key, linked_id, icon in (("item.parent", "parent", item.parent_id, ":material/north_west:"),
                                        ("item.duplicate_of", "orig", item.duplicate_of, None),
                                        ("item.translation_of", "original", item.translation_of, ":material/translate:")):
        linked = archive.item(linked_id) if linked_id else None
        if linked is not None:
            render_links(label, key, [linked], lang, icon=icon)
    siblings = archive.bulletin_items(item.bulletin_id)
    render_links("item.quotes", "quote", [it for it in siblings if it.parent_id == item.id], lang,
                 icon=":material/format_quote:")
    render_links("item.translations", "translation", [it for it in siblings if it.translation_of == item.id], lang,
                 icon=":material/translate:")


def render_links(label: str, key: str, items: list[Item], lang: str, icon: str | None = None) -> None:
    """A caption and one button per item, each opening its item view (nothing when there are no items)."""
    if not items:
        return
    st.caption(t(label, lang))
    for linked in items:
        st.button(md(linked.title), key=f"{key}-{linked.id}", on_click=open_item, args=(linked.id,),
                  icon=icon, type="tertiary")


def render_similar(archive: Archive, item: Item, lang: str) -> None:
    """The items nearest in meaning, with their similarity, each opening its item view."""
    st.caption(t("item.similar", lang))
    hits = archive.similar(item.id, k=SIMILAR)
    if not hits:
        st.caption(t("item.similar_none", lang))
    for hit in hits:
        st.button(f"{md(hit.item.title)} · {hit.score:.2f}", key=f"similar-{hit.item.id}", on_click=open_item,
                  args=(hit.item.id,), type="tertiary", help=meta_line(archive, hit.item, lang))
