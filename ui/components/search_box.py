"""The search box and mode switch of the search and coverage pages."""

from __future__ import annotations

import streamlit as st

from ui.i18n import mode_label, t
from ui.viewstate import MODES


def render_search_box(lang: str) -> None:
    """The query input (session key ``q``) and the search mode radio (``mode``)."""
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    left.text_input(t("search.label", lang), key="q", placeholder=t("search.placeholder", lang))
    right.radio(t("search.mode", lang), MODES, key="mode", horizontal=True, help=t("mode.help", lang),
                format_func=lambda m: mode_label(m, lang))
