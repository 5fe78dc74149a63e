"""`bulletins build --watch` as a real process (real default model) over a copy of data/bulletins: a dropped
bulletin is found by `bulletins search`, a bad file is named on stderr, SIGTERM exits 0.

The dropped bulletin (tests/corpus/brigc-2020-06.txt, June 2020, no sidecar) sorts after the sample: the
builder's append path, which the watcher's line says ("appended").
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.paths import CORPUS, ROOT

pytestmark = pytest.mark.slow  # real default model
LIVE_S = 5  # drop -> searchable


def _wait_for(log: Path, pattern: str, proc: subprocess.Popen, timeout: float) -> re.Match:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.search(pattern, log.read_text(encoding="utf-8"))
        if found:
            return found
        assert proc.poll() is None, f"exited with {proc.returncode}: {log.read_text(encoding='utf-8')}"
        time.sleep(0.05)
    raise AssertionError(f"no {pattern!r} within {timeout} s: {log.read_text(encoding='utf-8')}")


def test_build_watch_indexes_dropped_bulletins_and_names_bad_files(tmp_path: Path) -> None:
    data, index, log = tmp_path / "data", tmp_path / "index", tmp_path / "watch.log"
    shutil.copytree(ROOT / "data" / "bulletins", data)
    with log.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "cli", "build", "--watch", "--quiet",
                                 "--data", str(data), "--index", str(index)], stderr=err, env=os.environ.copy())
    try:
        _wait_for(log, r"watching .* for new or replaced bulletins", proc, timeout=180)  # first build, model

        dropped = time.monotonic()
        shutil.copy(CORPUS / "brigc-2020-06.txt", data / "brigc-2020-06.txt")
        line = _wait_for(log, r".*1 new bulletin \(brigc-2020-06\), (\d+) items: appended in .*", proc, timeout=30)
        built_s = time.monotonic() - dropped
        found = subprocess.run([sys.executable, "-m", "cli", "search", '"世界环境日"', "--mode", "keyword",
                                "--index", str(index), "--json", "-k", "3"], capture_output=True, text=True)
        assert found.returncode == 0, found.stderr
        assert json.loads(found.stdout.splitlines()[0])["bulletin_id"] == "brigc-2020-06"
        print(f"\nbuild --watch: drop -> new build serving {built_s:.2f} s ({line.group(0)})")
        assert built_s < LIVE_S, line.group(0)

        (data / "broken.txt").write_bytes(b"\x00\x01binary\xff" * 40)
        _wait_for(log, r"failed: \S*broken\.txt: \S", proc, timeout=30)
        assert proc.poll() is None, "a bad file does not stop the watcher"
        again = subprocess.run([sys.executable, "-m", "cli", "search", '"世界环境日"', "--mode", "keyword",
                                "--index", str(index), "--json"], capture_output=True, text=True)
        assert json.loads(again.stdout.splitlines()[0])["bulletin_id"] == "brigc-2020-06"
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=30)
    assert code == 0, log.read_text(encoding="utf-8")
    assert "stopped watching" in log.read_text(encoding="utf-8")
