"""Bulletin Archive — the Streamlit entry: page config and navigation; the pages live in ``ui/``.

Run with ``streamlit run app.py`` or ``bulletins app``. The whole view lives in the URL (``ui/state.py``,
``ui/viewstate.py``), every label goes through ``ui/i18n.py``, and every piece of document or user text is
escaped before it is shown (``ui/markdown.py``).
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from ui.components.live import render_live
from ui.context import Ctx, admin_enabled, open_index, render_index_info
from ui.i18n import LANG_NAMES, LANGS, t
from ui.pages.bulletins import page_bulletins
from ui.pages.coverage import page_coverage
from ui.pages.quotes import page_quotes
from ui.pages.search import page_search
from ui.state import keep_view, read_view, seed_from_url, write_url

PageSpec = tuple[str, Callable[[Ctx], None], str]  # url path, render function, icon

PAGES: tuple[PageSpec, ...] = (
    ("search", page_search, ":material/search:"),
    ("quotes", page_quotes, ":material/format_quote:"),
    ("bulletins", page_bulletins, ":material/menu_book:"),
    ("coverage", page_coverage, ":material/bar_chart:"),
)


def page_admin(ctx: Ctx) -> None:
    """The admin page, imported when first shown: it loads the builder and readers, which search does not."""
    from ui.pages.admin import page_admin as render

    render(ctx)


ADMIN_PAGE: PageSpec = ("admin", page_admin, ":material/upload_file:")


def make_pages(ctx: Ctx) -> dict[str, StreamlitPage]:
    """The pages, titled in the interface language; the admin page exists only in admin mode."""
    lang = ctx.state.lang
    specs = [*PAGES, ADMIN_PAGE] if admin_enabled() else list(PAGES)
    return {path: st.Page(lambda fn=fn: fn(ctx), title=t(f"nav.{path}", lang), icon=icon, url_path=path,
                          default=path == "search")
            for path, fn, icon in specs}


def main() -> None:
    """One run of the app: restore the view, open the index, draw the chosen page, mirror the view to the URL."""
    st.set_page_config(page_title="Bulletin Archive · 简报档案", page_icon=":material/newspaper:", layout="wide")
    keep_view()
    seed_from_url()
    state = read_view()
    st.title(t("app.title", state.lang))
    archive, root, build = open_index(state.lang)
    ctx = Ctx(archive, root, build, state)
    ctx.pages = make_pages(ctx)
    current = st.navigation(list(ctx.pages.values()), position="top")
    render_live(ctx)  # with --watch: new bulletins shown as they arrive, with a notice
    st.sidebar.radio(t("ui.language", state.lang), LANGS, key="ui", horizontal=True, format_func=LANG_NAMES.get)
    current.run()
    render_index_info(archive, state.lang)
    write_url(read_view())


main()
