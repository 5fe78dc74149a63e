"""`bulletins app` becomes the Streamlit server (SIGTERM frees the port); `bulletins admin-password` hashes."""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest

from cli.app import SERVER_OPTIONS, streamlit_command
from service.secrets import verify_secret
from tests.net import free_port
from tests.paths import ROOT


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
            return response.read().decode().strip() == "ok"
    except OSError:
        return False


def test_the_command_runs_streamlit_as_a_server_for_others() -> None:
    argv, env = streamlit_command(argparse.Namespace(port=8600, index="/srv/idx", admin=True))
    assert argv[:4] == [sys.executable, "-m", "ui.launcher", "run"] and argv[-2:] == ["--server.port", "8600"]
    options = dict(zip(argv[5::2], argv[6::2], strict=True))
    assert options["--client.toolbarMode"] in ("viewer", "minimal"), "no Deploy button, no developer menu"
    assert options["--server.headless"] == "true" and options["--server.fileWatcherType"] == "none"
    assert env["BULLETINS_INDEX"] == "/srv/idx" and env["BULLETINS_ADMIN"] == "1"
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["toolbarMode"] == options["--client.toolbarMode"] == SERVER_OPTIONS[5]


@pytest.mark.slow
def test_app_becomes_the_server_and_sigterm_stops_it(tmp_path: Path) -> None:
    port = free_port()
    with (tmp_path / "app.log").open("w") as log:
        proc = subprocess.Popen(["bulletins", "app", "--port", str(port), "--index", str(tmp_path / "index")],
                                cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT, env=os.environ.copy())
        try:
            deadline = time.monotonic() + 60
            while not _healthy(port):
                assert proc.poll() is None and time.monotonic() < deadline, (tmp_path / "app.log").read_text()
                time.sleep(0.3)
            cmdline = Path(f"/proc/{proc.pid}/cmdline").read_bytes().split(b"\0")
            assert b"ui.launcher" in cmdline, "the pid started is the Streamlit server itself"
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=5)  # a service manager's stop: within 5 s
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    deadline = time.monotonic() + 5
    while _listening(port) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _listening(port), "the port is free once the process has exited"


def test_admin_password_prints_a_hash_that_verifies() -> None:
    proc = subprocess.run(["bulletins", "admin-password"], input="correct horse battery\n", capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr
    [line] = proc.stdout.splitlines()
    assert line.startswith("scrypt:") and "correct horse" not in line
    assert verify_secret("correct horse battery", line) and not verify_secret("correct horse", line)
    assert "BULLETINS_ADMIN_PASSWORD_HASH=" in proc.stderr and "password_hash" in proc.stderr


def test_admin_password_refuses_a_short_password_in_plain_words() -> None:
    proc = subprocess.run(["bulletins", "admin-password", "--quiet"], input="short\n", capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stdout == ""
    assert "at least 8 characters" in proc.stderr
