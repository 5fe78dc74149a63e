"""CSV and JSON downloads of all results of the current view, computed only when clicked."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from index.interface import Archive, SearchResult
from index.interface.export import to_csv, to_json
from ui.i18n import t

EXPORT_LIMIT = 1000

Compute = Callable[[int], SearchResult]  # the first k results of the view


def export_bytes(archive: Archive, compute: Compute, fmt: str) -> Callable[[], bytes]:
    """Deferred export of all results (up to EXPORT_LIMIT): computed only when the button is clicked."""

    def make() -> bytes:
        result = compute(EXPORT_LIMIT)
        if fmt == "csv":
            return to_csv(result.hits, archive)
        return to_json(result, archive)

    return make


def render_export(archive: Archive, compute: Compute, lang: str, name: str = "bulletin-results",
                  help_key: str = "export.help") -> None:
    """CSV and JSON downloads of ``compute(EXPORT_LIMIT)``, saved as ``name``.csv / .json."""
    help_text = t(help_key, lang, n=EXPORT_LIMIT)
    left, right, _ = st.columns([1, 1, 3])
    left.download_button(t("export.csv", lang), export_bytes(archive, compute, "csv"), f"{name}.csv",
                         "text/csv", key=f"{name}-csv", help=help_text, icon=":material/download:",
                         on_click="ignore")
    right.download_button(t("export.json", lang), export_bytes(archive, compute, "json"), f"{name}.json",
                          "application/json", key=f"{name}-json", help=help_text, icon=":material/download:",
                          on_click="ignore")
