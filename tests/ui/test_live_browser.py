"""End to end, a live archive: `bulletins app --watch` in Debian's Chromium; a bulletin dropped into the data
folder appears in the open page, with the notice "1 new bulletin, N items", without a reload.

The dropped bulletin (tests/corpus/brigc-2020-06.txt, June 2020, no sidecar) sorts after the sample: the
builder's append path (checked in the manifest). Screenshot in tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import archive
from index.build.builder import build
from index.store.folder import IndexStore
from tests.chromium import CHROMIUM, CHROMIUM_ARGS, require_chromium
from tests.paths import CORPUS, ROOT
from tests.ui.test_browser import ARTIFACTS, _serve

playwright = pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]
LIVE_S = 5  # drop -> the new items on the page


@pytest.fixture
def live_page() -> Iterator[Page]:
    require_chromium()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="en-GB")
        tab.set_default_timeout(60_000)
        yield tab
        browser.close()


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far."""
    total = 0.0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _our_pids(port: int) -> list[int]:
    """The Streamlit server on ``port`` and the `build --watch` process beside it."""
    return [int(d.name) for d in Path("/proc").iterdir() if d.name.isdigit() and _is_ours(d, port)]


def _wait_idle(pids: list[int], timeout: float = 60) -> float:
    """Wait until the app server and its watcher are idle (the first page's background work done: the
    query translator is made after a page opens the index); returns the seconds waited."""
    started = time.monotonic()
    last = _cpu_seconds(pids)
    while time.monotonic() - started < timeout:
        time.sleep(0.5)
        now = _cpu_seconds(pids)
        if now - last < 0.05:
            return time.monotonic() - started
        last = now
    raise AssertionError(f"the app was still busy after {timeout} s")


def _is_ours(proc: Path, port: int) -> bool:
    try:
        args = (proc / "cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return (b"--server.port" in args and str(port).encode() in args) or (
        b"--stop-with" in args and b"--watch" in args and _parent_port(proc, port))


def _parent_port(proc: Path, port: int) -> bool:
    ppid = (proc / "stat").read_text().rpartition(")")[2].split()[1]
    return _is_ours(Path(f"/proc/{ppid}"), port)


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


def _wait_for(path: Path, text: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while text not in path.read_text(encoding="utf-8", errors="replace"):
        assert time.monotonic() < deadline, f"no {text!r} in {path}: {path.read_text()[-3000:]}"
        time.sleep(0.1)


def test_a_dropped_bulletin_appears_in_the_open_page_with_a_notice(live_page: Page, tmp_path: Path) -> None:
    data, index, log = tmp_path / "data", tmp_path / "index", tmp_path / "app.log"
    shutil.copytree(ROOT / "data" / "bulletins", data)
    assert not build(data, index).errors  # the real default model, as the app serves it
    command = ["bulletins", "app", "--watch", "--index", str(index), "--data", str(data)]
    with _serve(command, {"BULLETINS_ADMIN": ""}, log, cwd=tmp_path, port_flag="--port") as url:
        _wait_for(log, "watching ", timeout=120)  # the watcher beside the server has its model loaded
        page = live_page
        page.goto(f"{url}/?q=%22%E4%B8%96%E7%95%8C%E7%8E%AF%E5%A2%83%E6%97%A5%22&mode=keyword&ui=en")  # "世界环境日"
        main = page.locator("[data-testid='stMain']")
        expect(main.get_by_text(re.compile("^No results for"))).to_be_visible(timeout=90_000)  # model loads
        before = IndexStore(index).current()
        pids = _our_pids(int(url.rpartition(":")[2]))
        assert len(pids) == 2, pids
        idle_after = _wait_idle(pids)

        dropped = time.monotonic()
        shutil.copy(CORPUS / "brigc-2020-06.txt", data / "brigc-2020-06.txt")
        while IndexStore(index).current() == before and time.monotonic() - dropped < 30:
            time.sleep(0.02)
        built_s = time.monotonic() - dropped
        items = len(archive.read(data / "brigc-2020-06.txt").items)
        notice = main.get_by_text(re.compile(rf"^1 new bulletin, {items} items\s+Bulletins: \S"))
        expect(notice).to_be_visible(timeout=30_000)
        noticed_s = time.monotonic() - dropped
        expect(main.get_by_role("button", name="Open").first).to_be_visible(timeout=30_000)
        expect(main.locator("mark").first).to_have_text("世界环境日")
        shown_s = time.monotonic() - dropped
        print(f"\napp --watch: drop -> new build serving {built_s:.2f} s, -> notice {noticed_s:.2f} s, "
              f"-> result card {shown_s:.2f} s (app idle {idle_after:.1f} s after the page opened)")
        page.screenshot(path=ARTIFACTS / "13-live-arrival.png")
        assert shown_s < LIVE_S

        after = IndexStore(index).current()
        assert after != before
        manifest = json.loads((after / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["build_mode"] == "append"

        # A bad file: named in the notice; the new results stay.
        (data / "broken.txt").write_bytes(b"\x00\x01binary\xff" * 40)
        expect(main.get_by_text(re.compile(r"^Could not be read: .*broken\.txt"))).to_be_visible(timeout=30_000)
        expect(main.get_by_role("button", name="Open").first).to_be_visible()
    deadline = time.monotonic() + 5
    while any(map(_alive, pids)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(map(_alive, pids)), "the server and its watcher are gone"
    assert "stopped watching" in log.read_text(encoding="utf-8"), "the watcher stops with the server"
