"""A live archive (``bulletins app --watch``): open pages notice new builds and show them without a reload.

A fragment asks the archive which build serves now (``Archive.latest_build``: the index's ``CURRENT`` pointer)
every ``POLL_S`` seconds; when it names another build than
the page shows, the whole page runs again on the new build (the same view: query, filters, page). That run
compares the build the session saw before with the new one (:func:`index.interface.changes.diff_builds`) and keeps
the outcome as the notice: "1 new bulletin, 20 items", and the files that could not be read.

Only with ``BULLETINS_WATCH=1`` (set by ``--watch``): without it the app stays as it was, picking up a new
build at the next interaction, with no polling from every open page.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from archive.errors import ArchiveError
from index.interface import Change, IndexProblem
from service import paths
from ui.context import Ctx
from ui.i18n import arrival_notice, t
from ui.markdown import md

POLL_S = 1.0
SEEN, NOTICE = "_live_seen", "_live_notice"  # session keys: (build, BuildInfo) last shown; the last Change
MAX_TITLES = 3


def live_enabled() -> bool:
    """Whether the data folder is watched (``bulletins app --watch`` sets ``BULLETINS_WATCH=1``)."""
    return os.environ.get("BULLETINS_WATCH", "") == "1"


def render_live(ctx: Ctx) -> None:
    """The notice of what the last new build brought, kept up to date by polling (watch mode only)."""
    if not live_enabled():
        return
    note_change(ctx)
    _poll(ctx.build, ctx)


def note_change(ctx: Ctx) -> None:
    """Remember the build this run shows; if the session saw another one before, keep what changed."""
    seen = st.session_state.get(SEEN)
    if seen is not None and seen[0] != ctx.build:
        change = ctx.archive.changes_since(seen[1])
        if change:
            st.session_state[NOTICE] = change
    st.session_state[SEEN] = (ctx.build, ctx.archive.info())


@st.fragment(run_every=POLL_S)
def _poll(shown: str, ctx: Ctx) -> None:
    """Every POLL_S seconds: a new build runs the whole page again on it; meanwhile, show the notice."""
    try:
        now = ctx.archive.latest_build()
    except IndexProblem:
        now = None  # a damaged pointer: keep showing what works
    if now is not None and str(now) != shown:
        st.rerun(scope="app")
    change = st.session_state.get(NOTICE)
    if change is not None:
        render_notice(ctx, change)


def render_notice(ctx: Ctx, change: Change) -> None:
    """'1 new bulletin, 20 items', the bulletins' titles, and any file that could not be read."""
    lang = ctx.state.lang
    arrived = arrival_notice(len(change.added), len(change.updated), change.items, lang)
    if arrived:
        titles = [(b.title if (b := ctx.archive.bulletin(bid)) else "") or bid for bid in (*change.added, *change.updated)]
        more = " …" if len(titles) > MAX_TITLES else ""
        which = t("live.which", lang, titles=md(" · ".join(titles[:MAX_TITLES])) + more)
        st.info(f"{arrived}  \n{which}", icon=":material/mark_email_unread:")
    if change.failed:
        st.warning(t("live.failed", lang, files=md("; ".join(_failure(e) for e in change.failed))),
                   icon=":material/error:")


def _failure(error: ArchiveError) -> str:
    """'broken.txt: file looks binary…': the file as named in the data folder (not the server's full path)."""
    path, data = Path(error.path), paths.default_data_dir().absolute()
    where = path.relative_to(data).as_posix() if path.is_relative_to(data) else path.name
    return f"{where}:{error.line}: {error.reason}" if error.line else f"{where}: {error.reason}"
