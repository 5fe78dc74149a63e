"""`bulletins app`: become the Streamlit server for the front end, headless (no prompt, no browser).

The command replaces its own process with Streamlit (``os.execve``), so the pid a supervisor started is the
server's: SIGTERM or Ctrl-C stops it and frees the port. The options make it a server for others rather than
a developer tool: no "Deploy" button or developer menu, no file watching, no tracebacks shown to users.
"""

from __future__ import annotations

import argparse
import os
import sys

from index import paths
from index.cli.errors import CliError

SERVER_OPTIONS: tuple[str, ...] = (
    "--server.headless", "true",
    "--browser.gatherUsageStats", "false",
    "--client.toolbarMode", "minimal",
    "--client.showErrorDetails", "type",
    "--server.fileWatcherType", "none",
    "--server.runOnSave", "false",
)


def streamlit_command(args: argparse.Namespace) -> tuple[list[str], dict[str, str]]:
    """The argv and environment `bulletins app` runs Streamlit with."""
    script = paths.app_script()
    if not script.exists():
        raise CliError(f"cannot find the app at {script}; install the project with 'pip install -e .'")
    argv = [sys.executable, "-m", "streamlit", "run", str(script), *SERVER_OPTIONS, "--server.port", str(args.port)]
    env = dict(os.environ)
    if args.index:
        env["BULLETINS_INDEX"] = args.index
    if args.admin:
        env["BULLETINS_ADMIN"] = "1"
    return argv, env


def cmd_app(args: argparse.Namespace) -> int:
    """Replace this process with the Streamlit server (returns only if that fails)."""
    argv, env = streamlit_command(args)
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.execve(argv[0], argv, env)
    except OSError as exc:
        raise CliError(f"cannot start Streamlit with {argv[0]}: {exc}") from exc
    return 1  # not reached: execve does not return
