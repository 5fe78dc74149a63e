"""What every page needs (the ``Ctx`` record), and the archive behind it: one :class:`service.live.LiveArchive` per
index, kept with ``st.cache_resource`` (it reopens the archive when a new build lands), built from the bundled
sample on a first run with a progress bar, summed up in the sidebar."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.navigation.page import StreamlitPage

from index.interface import Archive, IndexProblem, Location, ModelError
from service import paths
from service.live import LiveArchive, NotReady
from service.opening import current_build, ensure_index
from ui.i18n import t, value_label
from ui.markdown import md
from ui.viewstate import ViewState, first_day

if TYPE_CHECKING:  # the builder loads only for a first run's build
    from service.building import BuildReport, Progress


@dataclass
class Ctx:
    """What every page needs: the archive, the view, and the pages themselves (to move between them)."""

    archive: Archive
    root: str
    build: str
    state: ViewState
    pages: dict[str, StreamlitPage] = field(default_factory=dict)  # url path -> page


def admin_enabled() -> bool:
    """Whether the admin page is offered (environment ``BULLETINS_ADMIN=1``, set by ``bulletins app --admin``)."""
    return os.environ.get("BULLETINS_ADMIN", "") == "1"


@st.cache_resource(show_spinner=False)
def live_archive(root: str) -> LiveArchive:
    """The index's serving build for every session of this server, reopened when a new build lands (the first
    run's build is the page's own, with its progress shown)."""
    return LiveArchive(paths.index_location(root), paths.default_data_dir(), build_if_missing=False)


@st.cache_resource(show_spinner=False, max_entries=3)
def date_bounds(root: str, build: str) -> tuple[date, date]:
    """The first and last day any item of the build is dated (today's range if none is dated)."""
    days = [d for d in (first_day(x) for x in live_archive(root).archive().dates()) if d]
    return (min(days), max(days)) if days else (date(2000, 1, 1), date.today())


def open_index(lang: str) -> tuple[Archive, str, str]:
    """The archive's current build, with where the index lives and the build's name (as text).

    On first run the built-in sample is indexed with a progress bar; an unusable index or model is shown
    as an error and stops the run.
    """
    root = paths.index_location()
    try:
        if current_build(root) is None:
            render_first_run(root, lang)
        archive = live_archive(str(root)).archive()
        return archive, str(root), archive.info().build
    except (IndexProblem, ModelError, NotReady) as exc:
        model = isinstance(exc, ModelError) or isinstance(exc.__cause__, ModelError)
        st.error(t("model.problem" if model else "index.problem", lang, message=md(str(exc))))
    st.stop()
    raise AssertionError("unreachable")


def render_first_run(root: Location, lang: str) -> None:
    """Build the index at ``root`` from the default data folder, showing progress and the outcome."""
    bar, progress = progress_bar(t("index.building", lang), lang)
    report = ensure_index(root, paths.default_data_dir(), progress)
    bar.empty()
    if report is not None:
        st.success(t("index.built", lang, items=report.items))
        if report.errors:
            st.warning(failed_files(report, lang))


def progress_bar(text: str, lang: str) -> tuple[DeltaGenerator, Progress]:
    """A progress bar captioned ``text``, and the build callback that moves it (stage, done of total)."""
    bar = st.progress(0.0, text=text)

    def progress(stage: str, done: int, total: int) -> None:
        label = f"{text} {value_label('index.stage', stage, lang)} {done}/{total}"
        bar.progress(min(done / total, 1.0) if total else 0.0, text=label)

    return bar, progress


def failed_files(report: BuildReport, lang: str) -> str:
    """The files a build could not read, and why (escaped)."""
    return t("index.failed_files", lang, files=md("; ".join(str(e) for e in report.errors)))


def render_index_info(archive: Archive, lang: str) -> None:
    """The index's size, model and build time in the sidebar."""
    info = archive.info()
    st.sidebar.caption(t("index.info", lang, items=info.items, bulletins=info.bulletins, model=md(info.model),
                         built_at=md(info.built_at[:16])))
