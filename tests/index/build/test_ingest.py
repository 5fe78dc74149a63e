"""Admin uploads: refused names/types/sizes, unchanged files, failed parses write nothing, commit indexes."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.build import ingest
from index.build.ingest import Upload
from index.engines import open_archive
from tests.corpus_small import write_corpus
from tests.fakes import FakeEncoder

BULLETIN = "绿色丝路新闻\n\n2020年3月2日，某港口启用岸电设施，推动绿色航运与港口减排。\n\n（来源：新华网）\n"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../evil.txt", "plain name"),
        ("sub/dir.txt", "plain name"),
        (".hidden.txt", "plain name"),
        ("bulletin.exe", "unsupported file type"),
        ("ok.txt", ""),
        ("简报 2020-03.txt", ""),
        ("ok.meta.toml", ""),
    ],
)
def test_check_name(name: str, reason: str) -> None:
    assert (reason in ingest.check_name(name)) if reason else ingest.check_name(name) == ""


def test_preview_statuses_and_nothing_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = write_corpus(tmp_path / "data")
    before = sorted(p.name for p in data.iterdir())
    monkeypatch.setattr(ingest, "MAX_UPLOAD_BYTES", 1000)
    uploads = [
        Upload("weekly.txt", BULLETIN.encode()),
        Upload("b1.jsonl", (data / "b1.jsonl").read_bytes()),
        Upload("copy.jsonl", (data / "b2.jsonl").read_bytes()),
        Upload("empty.txt", b""),
        Upload("huge.txt", b"x" * 2000),
        Upload("../up.txt", b"x"),
    ]
    previews = ingest.preview(uploads, data)
    assert [p.status for p in previews] == ["new", "unchanged", "unchanged", "failed", "rejected", "rejected"]
    assert previews[0].items[0].source == "新华网" and previews[0].items[0].date == "2020-03-02"
    assert "empty" in previews[3].reason
    assert sorted(p.name for p in data.iterdir()) == before


def test_commit_writes_only_good_files_and_makes_them_searchable(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    data, index = write_corpus(tmp_path / "data"), tmp_path / "idx"
    encoder = FakeEncoder()
    monkeypatch.setattr("index.build.builder.load_encoder", lambda name: encoder)
    ingest.commit([], [], data, index)  # nothing chosen: nothing happens
    assert not index.exists()
    uploads = [Upload("weekly.txt", BULLETIN.encode()), Upload("bad.txt", b"")]
    report = ingest.commit(uploads, ingest.preview(uploads, data), data, index)
    assert report is not None and report.items == 8
    assert (data / "weekly.txt").exists() and not (data / "bad.txt").exists()
    hits = open_archive(index, encoder=encoder).search("岸电", "keyword").hits
    assert [h.item.bulletin_id for h in hits] == ["weekly"]
    again = ingest.preview([Upload("weekly.txt", BULLETIN.encode())], data)
    assert again[0].status == "unchanged"


def test_uploads_into_an_index_that_is_not_a_folder_are_refused_in_plain_words(tmp_path: Path) -> None:
    from index.errors import IndexProblem

    upload = ingest.Upload("b1.jsonl", b'{"id": "x", "text": "t"}\n')
    location = "solr://127.0.0.1:8983/solr/bulletins"
    with pytest.raises(IndexProblem, match="uploads update an index folder; for this index, copy the file"):
        ingest.preview([upload], tmp_path / "data", location)
    with pytest.raises(IndexProblem, match="run 'bulletins build --index solr://127.0.0.1:8983/solr/bulletins'"):
        ingest.commit([upload], [], tmp_path / "data", location)
    assert not (tmp_path / "data").exists() and not Path("solr:").exists()
