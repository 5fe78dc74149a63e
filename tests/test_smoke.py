"""Smoke: the packages import and the CLI answers --help for every subcommand."""

from __future__ import annotations

import subprocess
import sys

import pytest

from index.cli.parser import build_parser

SUBCOMMANDS = ["items", "build", "search", "similar", "info", "app", "serve", "keys", "glossary", "admin-password"]
ARGS = {"items": ["x"], "similar": ["x"], "keys": ["hash"]}  # the arguments a subcommand cannot do without


def test_packages_import() -> None:
    import archive
    import index

    assert archive.Item.field_names()[:3] == ("id", "bulletin_id", "kind")
    assert index.__doc__


def test_top_level_help_lists_every_subcommand() -> None:
    out = subprocess.run(["bulletins", "--help"], capture_output=True, text=True, check=True).stdout
    for name in SUBCOMMANDS:
        assert name in out


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_subcommand_help(name: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "index.cli", name, "--help"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert f"usage: bulletins {name}" in proc.stdout
    assert build_parser().parse_args([name, *ARGS.get(name, [])])


def test_unknown_subcommand_is_usage_error() -> None:
    proc = subprocess.run(["bulletins", "frobnicate"], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "invalid choice" in proc.stderr
