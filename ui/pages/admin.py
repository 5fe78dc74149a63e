"""The admin page (only with ``BULLETINS_ADMIN=1``): sign in, upload bulletins, preview what they hold, add them.

Nothing is offered before sign-in (:mod:`ui.components.signin`); each addition names who made it.
"""

from __future__ import annotations

import hashlib
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

import archive
from archive.model import Item
from archive.readers.sidecar import SIDECAR_SUFFIX
from index.interface import IndexProblem, ModelError
from service import paths
from service.building import ingest
from service.opening import shared_encoder
from ui.components.signin import admin_auth, require_signin
from ui.context import Ctx, failed_files, progress_bar
from ui.i18n import t, value_label
from ui.markdown import md

if TYPE_CHECKING:
    import pandas as pd


def page_admin(ctx: Ctx) -> None:
    """Sign in, upload files, see per file what it would add, and confirm to write them and update the index."""
    lang = ctx.state.lang
    st.subheader(t("admin.title", lang))
    signin = require_signin(admin_auth(os.environ), lang)
    if signin is None:
        return
    data_dir = paths.default_data_dir()
    st.caption(t("admin.caption", lang, path=md(str(data_dir))))
    if done := st.session_state.pop("admin_done", None):
        st.success(done)
    types = ", ".join([*archive.SUPPORTED_SUFFIXES, SIDECAR_SUFFIX])
    mb = ingest.MAX_UPLOAD_BYTES / (1024 * 1024)
    files = st.file_uploader(t("admin.upload", lang), accept_multiple_files=True, max_upload_size=math.ceil(mb),
                             key=f"upload-{st.session_state.get('upload_epoch', 0)}",
                             help=t("admin.upload_help", lang, types=types, mb=f"{mb:g}"))
    if not files:
        return
    uploads = [ingest.Upload(f.name, f.getvalue()) for f in files]
    try:
        previews = compute_previews(uploads, data_dir, ctx.root)
    except IndexProblem as exc:  # an index that uploads cannot update (not a folder)
        st.error(t("admin.failed", lang, message=md(str(exc))))
        return
    render_previews(previews, lang)
    chosen = [p for p in previews if p.writable]
    if not chosen:
        st.info(t("admin.nothing", lang))
        return
    if st.button(t("admin.confirm", lang, n=len(chosen)), key="admin-confirm", type="primary",
                 icon=":material/library_add:"):
        commit_uploads(ctx, uploads, previews, data_dir, signin.actor)


def compute_previews(uploads: list[ingest.Upload], data_dir: Path, index_root: str) -> list[ingest.Preview]:
    """What the uploads would do (parsed once per set of files, not on every rerun); a file in the data folder
    that the index does not hold yet (an interrupted upload) is offered again."""
    digest = hashlib.sha256()
    for up in uploads:
        digest.update(up.name.encode() + b"\0" + hashlib.sha256(up.data).digest())
    key = (digest.hexdigest(), str(data_dir))
    cached = st.session_state.get("_previews")
    if not cached or cached[0] != key:
        cached = (key, ingest.preview(uploads, data_dir, index_root))
        st.session_state["_previews"] = cached
    return cached[1]


def render_previews(previews: list[ingest.Preview], lang: str) -> None:
    """One row per file (status and why), then the items each readable file holds."""
    import pandas as pd  # only here: the app's cold start does not pay for it

    st.dataframe(pd.DataFrame([{
        t("admin.file", lang): p.name, t("admin.status", lang): t(f"admin.status.{p.status}", lang),
        t("admin.reason", lang): p.reason, t("admin.bulletin", lang): p.bulletin.title if p.bulletin else "",
        t("admin.items", lang): len(p.items)} for p in previews]), hide_index=True, key="admin-files")
    for p in previews:
        if p.items:
            with st.expander(t("admin.preview", lang, name=md(p.name), n=len(p.items)), expanded=len(previews) == 1):
                st.dataframe(preview_table(p.items, lang), hide_index=True)


def preview_table(items: Sequence[Item], lang: str) -> pd.DataFrame:
    """The items of one uploaded file: kind, title, date, section, source, speaker."""
    import pandas as pd

    return pd.DataFrame([{
        t("item.kind", lang): value_label("kind", it.kind, lang), t("admin.title_col", lang): it.title,
        t("item.date", lang): it.date, t("item.section", lang): it.section, t("item.source", lang): it.source,
        t("item.speaker", lang): it.speaker} for it in items])


def commit_uploads(ctx: Ctx, uploads: list[ingest.Upload], previews: list[ingest.Preview], data_dir: Path,
                   actor: str) -> None:
    """Write the good files as ``actor`` (for the audit log), update the index with a progress bar, then rerun."""
    lang = ctx.state.lang
    bar, progress = progress_bar(t("admin.writing", lang), lang)
    try:
        report = ingest.commit(uploads, previews, data_dir, ctx.root, progress,
                               encoder=shared_encoder(ctx.archive.info().model), actor=actor)
    except (OSError, IndexProblem, ModelError) as exc:
        bar.empty()
        st.error(t("admin.failed", lang, message=md(str(exc))))
        return
    bar.empty()
    written = sum(p.writable for p in previews)
    message = t("admin.done", lang, files=written, items=report.items if report else ctx.archive.info().items)
    if report is not None and report.errors:
        message += "\n\n" + failed_files(report, lang)
    st.session_state["admin_done"] = message
    st.session_state["upload_epoch"] = st.session_state.get("upload_epoch", 0) + 1
    st.session_state.pop("_previews", None)
    st.rerun()
