"""One registry per fact: the search modes, the filters, the file formats and the commands are each declared once,
and every surface that offers them (the CLI, the API, the app's URL, uploads, the watcher) is made from or agrees
with that declaration."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

import archive
from archive.readers import FORMATS, SUPPORTED_SUFFIXES
from cli.parser import COMMANDS, build_parser
from index.build.ingest import check_name
from index.interface import DEFAULT_MODE, FILTER_FIELDS, MODES, Filters
from service.watch import watched
from ui.viewstate import QUOTE_MODES, ViewState, from_params, to_params

EVERY_FILTER = Filters(sections=("观点与动态", "News"), kinds=("quote",), bulletins=("b1",), speakers=("索尔海姆",),
                       sources=("新华网",), langs=("zh",), since="2019-10", until="2019-12-31", org="世界资源研究所")


def _search_options() -> dict[str, object]:
    search = build_parser()._subparsers._group_actions[0].choices["search"]  # noqa: SLF001 - argparse has no API
    return {opt: action for action in search._actions for opt in action.option_strings}  # noqa: SLF001


def test_the_registry_declares_every_filter_once() -> None:
    assert sorted(f.name for f in FILTER_FIELDS) == sorted(f.name for f in fields(Filters))
    assert len({f.param for f in FILTER_FIELDS}) == len(FILTER_FIELDS)
    assert all(getattr(EVERY_FILTER, f.name) for f in FILTER_FIELDS), "the example sets every filter"
    assert all(f.help and f.label_en and f.label_zh for f in FILTER_FIELDS)
    assert all(bool(f.attribute) == (f.kind == "values") for f in FILTER_FIELDS)


def test_the_cli_offers_every_filter_and_mode() -> None:
    options = _search_options()
    for f in FILTER_FIELDS:
        action = options[f"--{f.param}"]
        assert (action.default == []) == f.repeatable and tuple(action.choices or ()) == f.choices
    assert tuple(options["--mode"].choices) == MODES and options["--mode"].default == DEFAULT_MODE
    argv = ["search", "q"]
    for f in FILTER_FIELDS:
        value = getattr(EVERY_FILTER, f.name)
        for one in value if f.kind == "values" else (value,):
            argv += [f"--{f.param}", one]
    from cli.search import _filters

    assert _filters(build_parser().parse_args(argv)) == EVERY_FILTER


def test_the_api_offers_every_filter_and_mode(tmp_path: Path) -> None:
    from api.app import create_app

    spec = create_app(tmp_path / "none", build_if_missing=False).openapi()
    for route in ("/search", "/quotes", "/export.csv", "/items/{item_id}/similar"):
        params = {p["name"]: p for p in spec["paths"][route]["get"]["parameters"]}
        for f in FILTER_FIELDS:
            assert f.param in params, f"{route} lacks {f.param}"
            assert (params[f.param]["schema"].get("type") == "array") == f.repeatable
    mode = {p["name"]: p for p in spec["paths"]["/search"]["get"]["parameters"]}["mode"]["schema"]
    assert tuple(mode["enum"]) == MODES and mode["default"] == DEFAULT_MODE


def test_the_url_carries_every_filter() -> None:
    state = ViewState(query="海洋", mode="keyword", filters=EVERY_FILTER)
    params = to_params(state)
    assert {f.param for f in FILTER_FIELDS} <= set(params)
    assert from_params(params) == state
    assert set(QUOTE_MODES) == set(MODES) and QUOTE_MODES[0] == "semantic"


@pytest.mark.parametrize("suffix", SUPPORTED_SUFFIXES)
def test_every_format_is_read_uploaded_and_watched(suffix: str, tmp_path: Path) -> None:
    assert FORMATS[suffix].suffixes.count(suffix) == 1 and suffix in archive.SUPPORTED_SUFFIXES
    assert check_name(f"bulletin{suffix}") == ""
    assert watched(tmp_path / f"bulletin{suffix}", tmp_path)
    assert list(archive.discover(_touch(tmp_path / f"bulletin{suffix}"))) == [tmp_path / f"bulletin{suffix}"]


def test_an_unknown_format_is_refused_everywhere(tmp_path: Path) -> None:
    assert "unsupported file type" in check_name("bulletin.epub")
    assert not watched(tmp_path / "bulletin.epub", tmp_path)
    with pytest.raises(archive.UnsupportedFile, match=r"unsupported file type \.epub; supported: \.txt"):
        archive.read(_touch(tmp_path / "bulletin.epub") / "bulletin.epub")


def test_every_command_in_the_table_is_a_subcommand() -> None:
    assert set(build_parser()._subparsers._group_actions[0].choices) == set(COMMANDS)  # noqa: SLF001


def _touch(path: Path) -> Path:
    path.write_bytes(b"x")
    return path.parent
