"""`bulletins app`: start the Streamlit front end, headless (no prompt, no browser)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from index import paths
from index.cli.errors import CliError


def cmd_app(args: argparse.Namespace) -> int:
    script = paths.app_script()
    if not script.exists():
        raise CliError(f"cannot find the app at {script}; install the project with 'pip install -e .'")
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.headless", "true", "--server.port", str(args.port),
        "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal",
    ]
    env = dict(os.environ)
    if args.index:
        env["BULLETINS_INDEX"] = args.index
    if args.admin:
        env["BULLETINS_ADMIN"] = "1"
    return subprocess.call(cmd, env=env)
