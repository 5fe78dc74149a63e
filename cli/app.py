"""`bulletins app`: become the Streamlit server for the front end, headless (no prompt, no browser).

The command replaces its own process with Streamlit (``os.execve``), so the pid a supervisor started is the
server's: SIGTERM or Ctrl-C stops it and frees the port. What it execs is ``python -m ui.launcher run app.py
…``: Streamlit's own command line run in-process, after starting a thread that opens the index and loads the
model while Streamlit starts and the browser loads the page (see ``ui/launcher.py``; the first visitor's page
then finds the archive ready instead of opening it). The options make it a server for others rather than
a developer tool: no "Deploy" button or developer menu, no watching of the app's own source, no tracebacks
shown to users.

With ``--watch`` it first starts ``bulletins build --watch`` as a child process (which stops when the server
is gone: it checks that its parent is still the server's pid), and tells the app so (``BULLETINS_WATCH=1``):
pages then poll the index and show new bulletins with a notice. The builds run beside the server, not in
it (parsing and encoding never hold the server's interpreter), and the folder is watched from the start, not
only once a first visitor runs the app's script. The cost: the watcher holds its own copy of the model.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from cli.common import index_dir
from cli.errors import CliError
from service import paths
from ui import launcher

LAUNCHER = launcher.__name__  # `streamlit run` in-process, the index opened ahead (run as `python -m`)
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
    argv = [sys.executable, "-m", LAUNCHER, "run", str(script), *SERVER_OPTIONS, "--server.port", str(args.port)]
    env = dict(os.environ)
    if args.index:
        env["BULLETINS_INDEX"] = args.index
    if args.admin:
        env["BULLETINS_ADMIN"] = "1"
    if getattr(args, "data", None):
        env["BULLETINS_DATA"] = args.data
    if getattr(args, "watch", False):
        env["BULLETINS_WATCH"] = "1"
    return argv, env


def watcher_command(args: argparse.Namespace, server_pid: int) -> list[str]:
    """The `bulletins build --watch` process that `app --watch` starts beside the server."""
    data = Path(args.data) if args.data else paths.default_data_dir()
    if not data.is_dir():
        raise CliError(f"data folder {data} does not exist (--watch watches it)")
    return [sys.executable, "-m", "cli", "build", "--watch", "--quiet", "--data", str(data),
            "--index", str(index_dir(args)), "--stop-with", str(server_pid)]


def cmd_app(args: argparse.Namespace) -> int:
    """Replace this process with the Streamlit server (returns only if that fails)."""
    argv, env = streamlit_command(args)
    if args.watch:  # the child's parent stays this pid: execve keeps it
        subprocess.Popen(watcher_command(args, os.getpid()), stdin=subprocess.DEVNULL, env=env)
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.execve(argv[0], argv, env)
    except OSError as exc:
        raise CliError(f"cannot start Streamlit with {argv[0]}: {exc}") from exc
    return 1  # not reached: execve does not return
