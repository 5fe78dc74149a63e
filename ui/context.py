"""What every page needs (the ``Ctx`` record), and the index behind it: opened once per build with
``st.cache_resource``, built from the bundled sample on a first run, summed up in the sidebar."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.navigation.page import StreamlitPage

from index import paths
from index.bootstrap import current_build, ensure_index, open_searcher
from index.errors import IndexProblem
from index.search.searcher import Searcher
from index.vectors.encoders import ModelError
from ui.i18n import t, value_label
from ui.markdown import md
from ui.viewstate import ViewState, first_day

if TYPE_CHECKING:  # the builder loads only for a first run's build
    from index.build.builder import BuildReport, Progress


@dataclass
class Ctx:
    """What every page needs: the index, the view, and the pages themselves (to move between them)."""

    searcher: Searcher
    root: str
    build: str
    state: ViewState
    pages: dict[str, StreamlitPage] = field(default_factory=dict)  # url path -> page


def admin_enabled() -> bool:
    """Whether the admin page is offered (environment ``BULLETINS_ADMIN=1``, set by ``bulletins app --admin``)."""
    return os.environ.get("BULLETINS_ADMIN", "") == "1"


@st.cache_resource(show_spinner=False, max_entries=3)
def load_searcher(root: str, build: str) -> Searcher:
    """One searcher (and model) per index build; a rebuild changes ``build`` and so loads a fresh one."""
    return open_searcher(Path(root))


@st.cache_resource(show_spinner=False, max_entries=3)
def date_bounds(root: str, build: str) -> tuple[date, date]:
    """The first and last day any item of the build is dated (today's range if none is dated)."""
    days = [d for d in (first_day(x) for x in load_searcher(root, build).table.dates()) if d]
    return (min(days), max(days)) if days else (date(2000, 1, 1), date.today())


def open_index(lang: str) -> tuple[Searcher, str, str]:
    """The searcher for the current build, with its root and build folders (as text).

    On first run the built-in sample is indexed with a progress bar; an unusable index or model is shown
    as an error and stops the run.
    """
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


def render_index_info(searcher: Searcher, lang: str) -> None:
    """The index's size, model and build time in the sidebar."""
    manifest = searcher.manifest
    st.sidebar.caption(t("index.info", lang, items=manifest["counts"]["items"],
                         bulletins=manifest["counts"]["bulletins"], model=md(manifest["model"]),
                         built_at=md(manifest.get("built_at", "")[:16])))
