"""The watcher behind `--watch`: real watchfiles, real files written into a real data folder, the real builder
and searcher; the fake encoder (the CLI, API and browser tests run the real model).

The dropped bulletin is tests/corpus/brigc-2020-06.txt (June 2020, after the sample's November 2019), copied
without its sidecar: the builder's append path. Replacing it afterwards takes the full path.
"""

from __future__ import annotations

import queue
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import archive
from index.build.builder import build
from index.engines import open_archive
from index.interface.changes import Change, diff_builds
from index.interface.records import BuildInfo
from service.watch import Arrival, Watcher, wait_until_stable
from tests.fakes import FakeEncoder
from tests.paths import CORPUS, ROOT

NEW = CORPUS / "brigc-2020-06.txt"
WAIT_S = 20  # generous on two shared cores; the measured times are far below (see the CLI and API tests)


@dataclass
class Live:
    """A watcher thread over its own data folder and index, and what it reported (with the time)."""

    data: Path
    index: Path
    encoder: FakeEncoder
    watcher: Watcher
    thread: threading.Thread
    arrivals: queue.Queue[tuple[float, Arrival]] = field(default_factory=queue.Queue)

    def next(self, timeout: float = WAIT_S) -> tuple[float, Arrival]:
        return self.arrivals.get(timeout=timeout)

    def search(self, query: str) -> list[str]:
        """Bulletin ids of the keyword hits for the phrase ``query`` in the serving build."""
        searcher = open_archive(self.index, encoder=self.encoder)
        try:
            return [h.item.bulletin_id for h in searcher.search(f'"{query}"', "keyword", k=50).hits]
        finally:
            searcher.close()


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    data, index = tmp_path / "data", tmp_path / "index"
    shutil.copytree(ROOT / "data" / "bulletins", data)
    encoder = FakeEncoder()
    assert not build(data, index, encoder=encoder).errors
    arrivals: queue.Queue = queue.Queue()
    watcher = Watcher(data, index, lambda a: arrivals.put((time.monotonic(), a)), encoder_for=lambda _: encoder)
    ready = threading.Event()
    thread = threading.Thread(target=watcher.run, kwargs={"ready": ready.set}, daemon=True)
    thread.start()
    assert ready.wait(WAIT_S), "the watcher did not start"
    first_at, first = arrivals.get(timeout=1)
    assert first.first and first.report.up_to_date
    yield Live(data, index, encoder, watcher, thread, arrivals)
    watcher.stop.set()
    thread.join(5)
    assert not thread.is_alive(), "the watcher stops when asked"


def test_a_dropped_bulletin_is_appended_reported_and_searchable(live: Live) -> None:
    assert "brigc-2020-06" not in live.search("世界环境日")
    dropped = time.monotonic()
    shutil.copy(NEW, live.data / NEW.name)
    at, arrival = live.next()
    expected = len(archive.read(live.data / NEW.name).items)
    assert arrival.change == Change(added=("brigc-2020-06",), items=expected)
    assert arrival.report.mode == "append" and not arrival.report.errors
    assert str(live.data / NEW.name) in arrival.files
    assert "brigc-2020-06" in live.search("世界环境日")
    assert at - dropped < WAIT_S
    with pytest.raises(queue.Empty):  # nothing more to report: one build for one file
        live.next(timeout=2)


def test_a_file_still_being_written_is_waited_for_never_half_read(live: Live) -> None:
    text = NEW.read_bytes()
    chunks = [text[i:i + len(text) // 8 + 1] for i in range(0, len(text), len(text) // 8 + 1)]
    target = live.data / NEW.name
    with target.open("wb") as out:  # a slow copy: a chunk every 0.15 s (less than the settle time)
        for chunk in chunks:
            out.write(chunk)
            out.flush()
            time.sleep(0.15)
    written = time.monotonic()
    at, arrival = live.next()
    assert at > written, "no build before the copy was complete"
    whole = archive.read(target)
    assert arrival.change.added == ("brigc-2020-06",) and arrival.change.items == len(whole.items)
    last = whole.items[-1]
    assert "brigc-2020-06" in live.search(last.title or last.text[:12])  # the end of the file is indexed
    with pytest.raises(queue.Empty):  # and no second, complete build after a partial one
        live.next(timeout=2)


def test_a_bad_file_is_reported_and_the_others_are_indexed(live: Live) -> None:
    (live.data / "broken.txt").write_bytes(b"\x00\x01binary\xff" * 40)
    shutil.copy(NEW, live.data / NEW.name)
    found: list[Arrival] = []
    while "brigc-2020-06" not in {b for a in found for b in a.change.added} or not any(a.change.failed for a in found):
        found.append(live.next()[1])
    [failure] = [e for a in found for e in a.change.failed]
    assert failure.path.endswith("broken.txt") and failure.reason and not failure.line
    assert "brigc-2020-06" in live.search("世界环境日") and "brigc-2019-11" in live.search("马克龙")
    assert live.thread.is_alive(), "the watcher keeps watching"
    # The bad file replaced by a good one: indexed, and no longer reported.
    shutil.copy(CORPUS / "brigc-2021-10.txt", live.data / "broken.txt")
    arrival = live.next()[1]
    assert arrival.change.added == ("broken",) and not arrival.change.failed


def test_a_replaced_file_is_indexed_again(live: Live) -> None:
    shutil.copy(NEW, live.data / NEW.name)
    assert live.next()[1].report.mode == "append"
    edited = NEW.read_text(encoding="utf-8").replace("世界环境日", "世界海洋日")
    (live.data / NEW.name).write_text(edited, encoding="utf-8")
    arrival = live.next()[1]
    assert arrival.change.updated == ("brigc-2020-06",) and not arrival.change.added
    assert arrival.change.items == len(archive.read(live.data / NEW.name).items)
    assert arrival.report.mode == "full"
    assert "brigc-2020-06" in live.search("世界海洋日") and "brigc-2020-06" not in live.search("世界环境日")


def test_files_outside_the_archive_formats_are_ignored(live: Live) -> None:
    (live.data / "notes.log").write_text("not a bulletin", encoding="utf-8")
    (live.data / ".brigc-2020-06.txt.part").write_bytes(NEW.read_bytes()[:100])  # a copy tool's temporary
    with pytest.raises(queue.Empty):
        live.next(timeout=2)


def test_stable_wait_returns_at_once_on_stop(tmp_path: Path) -> None:
    stop = threading.Event()
    stop.set()
    started = time.monotonic()
    assert not wait_until_stable(tmp_path, stop, settle=5)
    assert time.monotonic() - started < 1
    assert wait_until_stable(tmp_path, threading.Event(), settle=0.05)


def _build(**inputs: dict) -> BuildInfo:
    return BuildInfo(engine="local", location="/i", build="b", model="fake", dim=64, items=0, bulletins=0, **inputs)


def test_diff_of_two_builds() -> None:
    old = _build(files={"a.txt": "1", "b.txt": "2", "bad.txt": "3"},
                 bulletin_ids={"a.txt": "a", "b.txt": "b", "bad.txt": "bad"},
                 failed_files={"/d/bad.txt": "binary", "/d/b.txt:4": "no title"})
    new = _build(files={"a.txt": "1", "b.txt": "9", "bad.txt": "3", "c.txt": "4", "x.csv": "5"},
                 bulletin_ids={"a.txt": "a", "b.txt": "b", "bad.txt": "bad", "c.txt": "c", "x.csv": "x"},
                 failed_files={"/d/bad.txt": "binary", "/d/x.csv": "empty", "/d/b.txt:4": "no title"})
    asked: list[set[str]] = []
    change = diff_builds(old, new, lambda ids: asked.append(ids) or 7)
    assert (change.added, change.updated, change.items) == (("c",), ("b",), 7) and asked == [{"b", "c"}]
    assert [str(e) for e in change.failed] == ["/d/x.csv: empty", "/d/b.txt:4: no title"]  # b.txt changed
    assert change.failed[1].line == 4
    assert not diff_builds(new, new, lambda ids: 0)
    assert diff_builds(None, new, lambda ids: len(ids)).added == ("a", "b", "c")
