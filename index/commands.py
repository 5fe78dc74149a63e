"""Implementations of the CLI subcommands (argument parsing lives in cli.py)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from index import paths
from index.cli import CliError


def _not_built(name: str) -> int:
    raise CliError(f"'{name}' is not built yet")


def cmd_items(args: argparse.Namespace) -> int:
    return _not_built("items")


def cmd_build(args: argparse.Namespace) -> int:
    return _not_built("build")


def cmd_search(args: argparse.Namespace) -> int:
    return _not_built("search")


def cmd_similar(args: argparse.Namespace) -> int:
    return _not_built("similar")


def cmd_info(args: argparse.Namespace) -> int:
    return _not_built("info")


def cmd_app(args: argparse.Namespace) -> int:
    script = paths.app_script()
    if not script.exists():
        raise CliError(f"cannot find the app at {script}; install the project with 'pip install -e .'")
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.headless", "true", "--server.port", str(args.port),
        "--browser.gatherUsageStats", "false",
    ]
    env = dict(os.environ)
    if args.index:
        env["BULLETINS_INDEX"] = args.index
    if args.admin:
        env["BULLETINS_ADMIN"] = "1"
    return subprocess.call(cmd, env=env)
