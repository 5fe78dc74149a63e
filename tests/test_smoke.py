"""Smoke: the packages import and the CLI answers --help for every subcommand."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cli.parser import COMMANDS, _command, build_parser

SUBCOMMANDS = list(COMMANDS)  # the one table of commands
ARGS = {"items": ["x"], "similar": ["x"], "keys": ["hash"], "solr": ["init", "--index", "solr://h:1/solr/x"]}  # the arguments a subcommand cannot do without


def test_packages_import() -> None:
    import archive
    import index

    assert archive.Item.field_names()[:3] == ("id", "bulletin_id", "kind")
    assert index.__doc__


def test_the_archive_package_names_resolve_on_first_use() -> None:
    """archive/__init__ imports its names lazily: every public one must resolve, and nothing else."""
    import archive

    assert set(archive.__all__) == set(archive._HOMES)
    for name in archive.__all__:
        assert getattr(archive, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        archive.nothing  # noqa: B018


def test_top_level_help_lists_every_subcommand() -> None:
    out = subprocess.run(["bulletins", "--help"], capture_output=True, text=True, check=True).stdout
    for name in SUBCOMMANDS:
        assert name in out


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_subcommand_help(name: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "cli", name, "--help"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert f"usage: bulletins {name}" in proc.stdout
    args = build_parser().parse_args([name, *ARGS.get(name, [])])
    assert callable(_command(args.handler))


def test_a_command_imports_its_own_module_only() -> None:
    """`bulletins app` must not first import what build, search or glossary need (cold start)."""
    code = ("import json, sys; from cli.parser import _command; _command('app'); "
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith('cli.'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == ["cli.app", "cli.common", "cli.errors", "cli.parser"]


def test_searching_loads_neither_the_builder_nor_the_readers() -> None:
    """The app's search path (what ui.launcher preloads) leaves the builder, the archive's readers, the near-
    duplicate code and the watcher unimported: they cost the cold start a few hundred ms."""
    code = ("import json, sys, archive.model, service.opening, index.search.searcher, ui.context, ui.components.live, "
            "ui.pages.search, ui.pages.quotes, ui.pages.bulletins, ui.pages.coverage; "
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('archive.readers', 'archive.layout', "
            "'archive.dedupe', 'archive.api', 'index.build.builder', 'service.watch', 'watchfiles')))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == []


def test_unknown_subcommand_is_usage_error() -> None:
    proc = subprocess.run(["bulletins", "frobnicate"], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "invalid choice" in proc.stderr
