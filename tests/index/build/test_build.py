"""Building the index folder: incremental, crash-safe, self-describing (fake encoder; real whoosh)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import archive
from index.build.builder import build
from index.engines import open_archive
from index.errors import IndexCorrupt, IndexMismatch
from index.store.folder import IndexStore
from tests.corpus_small import B1, write_bulletin, write_corpus
from tests.fakes import FakeEncoder
from tests.paths import ROOT


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "data")


def test_full_build_then_unchanged_build_does_no_work(corpus: Path, tmp_path: Path) -> None:
    encoder = FakeEncoder()
    first = build(corpus, tmp_path / "idx", encoder=encoder)
    assert not first.up_to_date and first.items == 7 and first.encoded_passages > 0
    assert first.changed_bulletins == ("b1", "b2")
    encoder.encoded.clear()
    again = build(corpus, tmp_path / "idx", encoder=encoder)
    assert again.up_to_date and encoder.encoded == []


def test_editing_one_bulletin_reencodes_only_its_changed_text(corpus: Path, tmp_path: Path) -> None:
    encoder = FakeEncoder()
    build(corpus, tmp_path / "idx", encoder=encoder)
    edited = [dict(B1[0], text="全新的一段关于绿色港口的文字。")] + B1[1:]
    write_bulletin(corpus, "b1", edited)
    encoder.encoded.clear()
    report = build(corpus, tmp_path / "idx", encoder=encoder)
    assert report.changed_bulletins == ("b1",)
    assert encoder.encoded == ["全新的一段关于绿色港口的文字。"]
    searcher = open_archive(tmp_path / "idx", encoder=encoder)
    assert searcher.item("b1-ship").text == "全新的一段关于绿色港口的文字。"
    assert [h.item.id for h in searcher.search("绿色港口", "keyword").hits] == ["b1-ship"]
    assert searcher.search("循环经济", "keyword").hits == ()


def test_removing_a_bulletin_removes_its_items(corpus: Path, tmp_path: Path) -> None:
    encoder = FakeEncoder()
    build(corpus, tmp_path / "idx", encoder=encoder)
    (corpus / "b2.jsonl").unlink()
    report = build(corpus, tmp_path / "idx", encoder=encoder)
    assert report.changed_bulletins == ("b2",) and report.items == 4
    searcher = open_archive(tmp_path / "idx", encoder=encoder)
    assert searcher.search("Oslo", "keyword").hits == ()


def test_bad_file_is_reported_and_the_rest_indexed(corpus: Path, tmp_path: Path) -> None:
    (corpus / "broken.txt").write_bytes(b"\x00\x01\x02binary\xff\xfe" * 50)
    report = build(corpus, tmp_path / "idx", encoder=FakeEncoder())
    assert [Path(e.path).name for e in report.errors] == ["broken.txt"]
    assert report.items == 7


def test_bad_records_are_skipped_named_and_reported_again_while_unchanged(corpus: Path, tmp_path: Path) -> None:
    """A bad line of a .jsonl loses only itself: the good lines are indexed, the bad one is named file:line, on
    every build until the file changes; the CLI exits 1 and says which records it skipped."""
    imports = corpus / "imports.jsonl"
    imports.write_text('{"id": "ok-1", "text": "Harbour cleanup in Oslo", "date": "2019-11-02"}\n'
                       '{"id": "bad", "text": \n'
                       '{"id": "ok-2", "text": "Wind farm opens", "date": "2019-11-03"}\n', encoding="utf-8")
    encoder = FakeEncoder()
    for _ in range(2):  # the full build, then an up-to-date one
        report = build(corpus, tmp_path / "idx", encoder=encoder)
        assert [(Path(e.path).name, e.line) for e in report.errors] == [("imports.jsonl", 2)]
        assert report.items == 9 and "not valid JSON" in report.errors[0].reason
    write_bulletin(corpus, "b1", [row | {"text": row["text"] + " Edited."} for row in B1])  # a full build
    report = build(corpus, tmp_path / "idx", encoder=encoder)
    assert not report.up_to_date and [(Path(e.path).name, e.line) for e in report.errors] == [("imports.jsonl", 2)]
    searcher = open_archive(tmp_path / "idx", encoder=encoder)
    assert {"ok-1", "ok-2"} <= {it.id for it in searcher.engine.table.items}
    proc = subprocess.run([sys.executable, "-m", "cli", "build", "--data", str(corpus), "--index",
                           str(tmp_path / "idx")], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 1
    assert f"skipped: {imports}:2: not valid JSON" in proc.stderr
    imports.write_text('{"id": "ok-1", "text": "Harbour cleanup in Oslo", "date": "2019-11-02"}\n', encoding="utf-8")
    assert build(corpus, tmp_path / "idx", encoder=encoder).errors == ()


def test_manifest_describes_the_build(corpus: Path, tmp_path: Path) -> None:
    build(corpus, tmp_path / "idx", encoder=FakeEncoder(name="fake"))
    manifest = IndexStore(tmp_path / "idx").read_manifest()
    assert manifest["model"] == "fake" and manifest["dim"] == 64
    assert manifest["counts"]["items"] == 7 and manifest["counts"]["by_kind"]["news"] == 4
    assert set(manifest["files"]) == {"b1.jsonl", "b2.jsonl"}
    assert {"whoosh", "numpy", "python"} <= set(manifest["versions"])


def test_other_model_is_a_clear_mismatch(corpus: Path, tmp_path: Path) -> None:
    build(corpus, tmp_path / "idx", encoder=FakeEncoder(name="fake"))
    with pytest.raises(IndexMismatch, match="--rebuild --model other"):
        open_archive(tmp_path / "idx", encoder=FakeEncoder(name="other"))


def test_damaged_vectors_are_a_clear_error(corpus: Path, tmp_path: Path) -> None:
    build(corpus, tmp_path / "idx", encoder=FakeEncoder())
    folder = IndexStore(tmp_path / "idx").current()
    np.save(next(folder.glob("parts/*/vectors.npy")), np.zeros((2, 64), dtype=np.float32))
    with pytest.raises(IndexCorrupt, match="rebuild"):
        open_archive(tmp_path / "idx", encoder=FakeEncoder())


def test_cli_reports_a_missing_index_with_exit_code_2(tmp_path: Path) -> None:
    proc = subprocess.run(["bulletins", "search", "海洋", "--index", str(tmp_path / "none")],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "bulletins build" in proc.stderr and "Traceback" not in proc.stderr


_SLOW_BUILD = """
import sys
from pathlib import Path
from index.build.builder import build
from tests.fakes import FakeEncoder
build(Path(sys.argv[1]), Path(sys.argv[2]), encoder=FakeEncoder(name="slow", delay=float(sys.argv[3])), rebuild=True)
"""


def test_killed_build_leaves_the_previous_index_serving(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "idx"
    build(corpus, index, encoder=FakeEncoder())
    before = IndexStore(index).current()
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_BUILD, str(corpus), str(index), "30"], cwd=ROOT,
                            env=os.environ | {"PYTHONPATH": str(ROOT)})
    deadline = time.time() + 30
    while not list((index / "builds").glob(".tmp-*")) and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # inside the (slow) encoding step
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert IndexStore(index).current() == before
    searcher = open_archive(index, encoder=FakeEncoder())
    assert [h.item.id for h in searcher.search("Oslo", "keyword").hits] == ["b2-ocean"]
    report = build(corpus, index, encoder=FakeEncoder())  # the next build cleans up and is a no-op
    assert report.up_to_date
    assert json.loads((IndexStore(index).current() / "manifest.json").read_text())["counts"]["items"] == 7


def test_changing_a_sidecar_reparses_its_bulletin(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    text = "绿色丝路新闻\n\n2019年11月6日，某地召开绿色航运研讨会，讨论港口减排。\n\n（来源：新华网）\n"
    (data / "weekly.txt").write_text(text, encoding="utf-8")
    build(data, tmp_path / "idx", encoder=FakeEncoder())
    (data / "weekly.meta.toml").write_text('title = "周报 第1期"\ndate = "2019-11-08"\n', encoding="utf-8")
    report = build(data, tmp_path / "idx", encoder=FakeEncoder())
    assert not report.up_to_date
    bulletin = open_archive(tmp_path / "idx", encoder=FakeEncoder()).bulletin("weekly")
    assert bulletin.title == "周报 第1期" and bulletin.date == "2019-11-08"


def test_a_new_parser_version_reparses_unchanged_files(corpus: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    build(corpus, tmp_path / "idx", encoder=FakeEncoder())
    monkeypatch.setattr("archive.parser_fingerprint", lambda: "a-newer-parser")
    parsed: list[str] = []
    real_read = archive.read
    monkeypatch.setattr("archive.read", lambda path, **kw: parsed.append(Path(path).name) or real_read(path, **kw))
    encoder = FakeEncoder()
    report = build(corpus, tmp_path / "idx", encoder=encoder)
    assert not report.up_to_date and sorted(parsed) == ["b1.jsonl", "b2.jsonl"]
    assert encoder.encoded == []  # same text: the embedding cache still serves it
