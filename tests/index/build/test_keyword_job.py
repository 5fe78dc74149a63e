"""whoosh's files written by a job of their own once a build serves: real builds, real job processes, real whoosh.

``WHOOSH_INLINE`` is set to 0 so that the small test corpus takes the way a large archive takes.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from index.build import builder, keyword_job
from index.build.builder import build
from index.keyword.engine import NOTICE_PENDING, KeywordIndex, whoosh_written
from index.store.folder import IndexStore
from tests.fakes import FakeEncoder
from tests.paths import ROOT

BOOLEAN = "绿色 AND 发展 NOT 煤炭"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "bulletins", folder)
    return folder


@pytest.fixture
def large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(builder, "WHOOSH_INLINE", 0)


def _keyword(index: Path) -> Path:
    return IndexStore(index).current() / "keyword"


def _wait_written(folder: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not whoosh_written(folder):
        assert time.monotonic() < deadline, f"whoosh's files of {folder} not written after {timeout} s"
        time.sleep(0.1)


def test_a_build_serves_before_whoosh_and_boolean_queries_fall_back_to_plain_words(data, tmp_path, large):
    index = tmp_path / "index"
    report = build(data, index, encoder=FakeEncoder(), wait_keyword=False)
    assert report.keyword_pending and report.searchable_seconds <= report.seconds
    folder = _keyword(index)
    pending = KeywordIndex.open(folder)
    if not pending.whoosh_ready:  # the job may, rarely, have finished already
        result = pending.search(BOOLEAN, 10)
        assert result.notice == NOTICE_PENDING and result.hits
        plain = pending.search("绿色 发展", 100)
        assert {h for h, _ in result.hits} <= {h for h, _ in plain.hits} and plain.notice == ""
    _wait_written(folder)
    ready = KeywordIndex.open(folder)
    assert ready.whoosh_ready and ready.doc_count() == report.items
    answered = ready.search(BOOLEAN, 10)
    assert answered.notice == "" and answered.hits
    assert not list(folder.glob(".tmp-whoosh/*")), "the job's work folder is gone"


def test_waiting_build_returns_with_whoosh_written_and_times_it(data, tmp_path, large):
    index = tmp_path / "index"
    report = build(data, index, encoder=FakeEncoder())
    assert not report.keyword_pending and whoosh_written(_keyword(index))
    assert report.stages["keyword: whoosh (after the build serves)"] > 0
    assert report.searchable_seconds < report.seconds


def test_whoosh_files_lost_are_written_again_by_the_next_build(data, tmp_path, large):
    index = tmp_path / "index"
    build(data, index, encoder=FakeEncoder())
    folder = _keyword(index)
    for toc in folder.glob("_MAIN_*.toc"):
        toc.unlink()  # as if the job had died before moving its files in
    assert not whoosh_written(folder)
    report = build(data, index, encoder=FakeEncoder())
    assert report.up_to_date and whoosh_written(folder)
    assert KeywordIndex.open(folder).search(BOOLEAN, 10).notice == ""


def test_small_builds_write_whoosh_within_the_build(data, tmp_path):
    report = build(data, tmp_path / "index", encoder=FakeEncoder(), wait_keyword=False)
    assert not report.keyword_pending and whoosh_written(_keyword(tmp_path / "index"))
    assert "keyword: whoosh (after the build serves)" not in report.stages


def test_one_job_per_build_and_a_pruned_build_is_no_error(data, tmp_path, large):
    index = tmp_path / "index"
    build(data, index, encoder=FakeEncoder(), wait_keyword=False)
    current = IndexStore(index).current()
    _wait_written(current / "keyword")
    import fcntl

    with (current / "keyword" / ".tmp-whoosh.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        assert keyword_job.run(current, block=False) is False  # another job holds the build
    assert keyword_job.run(current) is True  # written already: nothing to do
    assert keyword_job.main([str(tmp_path / "builds" / "gone")]) == 0
