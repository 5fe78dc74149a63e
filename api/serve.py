"""Run the API with uvicorn (SIGTERM and SIGINT stop it gracefully: requests finish, the port is freed)."""

from __future__ import annotations

import logging
import signal
import threading
from pathlib import Path

import uvicorn

from api.app import create_app
from api.keys import Keyring


def run(index_root: Path, keys: Keyring, data_dir: Path | None = None, host: str = "127.0.0.1",
        port: int = 8000, build_if_missing: bool = True, watch: bool = False) -> None:
    """Serve the index at ``index_root`` on ``host:port`` until SIGTERM or SIGINT.

    Args:
        index_root: The index folder.
        keys: The configured reader and editor keys.
        data_dir: The bulletins folder (built from on first run, written into by uploads).
        host: Interface to bind; keep 127.0.0.1 behind a reverse proxy that terminates TLS.
        port: TCP port.
        build_if_missing: Build the index when there is none yet.
        watch: Index files dropped into ``data_dir`` as they arrive.
    """
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_app(index_root, keys, data_dir, build_if_missing, watch)
    if threading.current_thread() is threading.main_thread():
        # uvicorn shuts down gracefully on these, then re-raises the signal under the handler it found:
        # a no-op handler makes a requested stop end the command with exit code 0.
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, _stopped)
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=True, server_header=False,
                timeout_graceful_shutdown=10)


def _stopped(signum: int, frame: object) -> None:
    """The stop signal, seen again after uvicorn's graceful shutdown: nothing left to do."""
