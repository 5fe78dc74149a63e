"""The process `bulletins app` becomes: Streamlit's own command line, run in-process, with the index opened ahead.

``python -m ui.launcher run app.py OPTIONS`` is ``streamlit run app.py OPTIONS`` plus, as soon as Streamlit's
server listens, a background thread that opens the index's current build and loads its model
(``service.opening.preload_archive``) and then imports the app's pages. Streamlit runs the app's script only when
the first browser session connects, so without this the model load and the index open (~1-2 s) would start only
then; now they overlap the browser's page load, and the first page's ``open_archive`` takes the archive opened
ahead (the same module-level state: the script runs in this interpreter). Started any earlier, the preload would
hold the GIL against Streamlit's own start and delay the moment a browser can connect at all (measured: health
0.7 s → 1.5 s at 10k items).

It also skips Streamlit's scan of every installed distribution for "components v2" manifests (~0.4 s of the
start, on the main thread): the app uses no installed components. ``BULLETINS_COMPONENT_SCAN=1`` restores it.
Signals are Streamlit's own (SIGTERM stops the server), as with ``streamlit run``.
"""

from __future__ import annotations

import logging
import os
import sys
import threading

log = logging.getLogger(__name__)

WARM_QUERY = "绿色 合作 green cooperation"  # searched once ahead: the first search's lazily read parts are read
APP_MODULES = ("ui.context", "ui.state", "ui.components.live", "ui.pages.search", "ui.pages.quotes",
               "ui.pages.bulletins", "ui.pages.coverage")  # the admin page is imported when first shown


def preload() -> None:
    """Open the index and load the model in the background, then import what the app's script imports."""
    def run() -> None:
        import importlib

        try:
            from service import paths
            from service.opening import preload_archive

            preload_archive(paths.index_location(), warm_query=WARM_QUERY)
            for name in APP_MODULES:
                importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001 - the app's script meets (and shows) any real problem
            log.info("nothing opened ahead (%s)", exc)

    threading.Thread(target=run, name="preload", daemon=True).start()


def skip_component_scan() -> None:
    """Streamlit's scan of installed packages for component manifests, made to find none."""
    if os.environ.get("BULLETINS_COMPONENT_SCAN") == "1":
        return
    try:
        from streamlit.components.v2 import manifest_scanner
    except ImportError:  # another Streamlit: nothing to skip
        return
    manifest_scanner.scan_component_manifests = lambda max_workers=None: []


def preload_once_serving() -> None:
    """Start :func:`preload` once Streamlit's server listens (its own start is then not slowed by the preload
    holding the GIL; the browser's page load, which needs the server, overlaps the preload instead)."""
    try:
        from streamlit.web import bootstrap

        started = bootstrap._on_server_start  # private: Streamlit's "server is up" step
    except (ImportError, AttributeError):  # another Streamlit: preload at once
        preload()
        return

    def on_server_start(server: object) -> None:
        preload()
        started(server)

    bootstrap._on_server_start = on_server_start


def main(argv: list[str] | None = None) -> None:
    preload_once_serving()
    from streamlit.web import cli

    skip_component_scan()
    sys.argv = ["streamlit", *(sys.argv[1:] if argv is None else argv)]
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main()
