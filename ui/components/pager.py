"""Previous / page x of y / next buttons under a list of results."""

from __future__ import annotations

import streamlit as st

from ui.i18n import t
from ui.queries import PAGE_SIZE, page_count
from ui.state import go_to_page


def render_pager(total: int, page: int, lang: str, size: int = PAGE_SIZE, key: str = "page") -> None:
    """Previous / page x of y / next; ``key`` is the session key of the page number (and the buttons' prefix)."""
    pages = page_count(total, size)
    if pages == 1:
        return
    prev, label, nxt = st.columns([1, 2, 1], vertical_alignment="center")
    prev.button(t("results.prev", lang), key=f"{key}-prev", disabled=page <= 1, on_click=go_to_page,
                args=(page - 1, key), icon=":material/chevron_left:", width="stretch")
    label.markdown(f"<div style='text-align:center'>{t('results.page', lang, page=page, pages=pages)}</div>",
                   unsafe_allow_html=True)
    nxt.button(t("results.next", lang), key=f"{key}-next", disabled=page >= pages, on_click=go_to_page,
               args=(page + 1, key), icon=":material/chevron_right:", width="stretch")
