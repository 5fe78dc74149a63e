"""Keys (hashing, files, environment), read restriction, the `keys hash` command, and the app in-process."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.keys import KeyConfigError, hash_key, load_keys, verify
from index.build import ingest
from service import opening
from tests.api.conftest import EDITOR_KEY, READER_KEY, make_archive
from tests.fakes import FakeEncoder


def test_hash_and_verify() -> None:
    stored = hash_key("s3cret")
    assert stored.startswith("scrypt:") and "s3cret" not in stored
    assert verify("s3cret", stored) and not verify("s3cret!", stored)
    assert hash_key("s3cret") != stored  # salted
    import hashlib

    assert verify("abc", "sha256:" + hashlib.sha256(b"abc").hexdigest())


def test_keys_from_file_and_environment(tmp_path: Path) -> None:
    path = tmp_path / "keys.toml"
    path.write_text(f'[[keys]]\nname = "desk"\nrole = "editor"\nhash = "{hash_key("a")}"\n', encoding="utf-8")
    ring = load_keys(path, {"BULLETINS_READ_KEY_HASH": hash_key("b")})
    assert ring.identify("a").name == "desk" and ring.identify("b").role == "reader"
    assert ring.identify("c") is None and ring.read_restricted
    assert not load_keys(path, {}).read_restricted


@pytest.mark.parametrize("text", [
    '[[keys]]\nname = "x"\nrole = "admin"\nhash = "sha256:00"\n',
    '[[keys]]\nrole = "editor"\nhash = "sha256:00"\n',
    '[[keys]]\nname = "x"\nrole = "editor"\nhash = "plain-text-key"\n',
    "not toml [",
])
def test_bad_keys_files_are_named_errors(tmp_path: Path, text: str) -> None:
    path = tmp_path / "keys.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KeyConfigError, match="keys.toml"):
        load_keys(path, {})


def test_keys_hash_command_prints_a_usable_entry(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "cli", "keys", "hash", "--name", "desk", "--role", "reader"],
                          input="my-key\n", capture_output=True, text=True, check=True)
    path = tmp_path / "keys.toml"
    path.write_text(proc.stdout, encoding="utf-8")
    assert "my-key" not in proc.stdout
    assert load_keys(path, {}).identify("my-key").name == "desk"
    empty = subprocess.run([sys.executable, "-m", "cli", "keys", "hash"], input="", capture_output=True, text=True)
    assert empty.returncode == 2 and "stdin" in empty.stderr


def test_serve_refuses_a_keys_file_inside_the_index(tmp_path: Path) -> None:
    (tmp_path / "index").mkdir()
    inside = tmp_path / "index" / "keys.toml"
    inside.write_text("", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "cli", "serve", "--index", str(tmp_path / "index"),
                           "--keys", str(inside)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "outside the index" in proc.stderr


@pytest.fixture
def restricted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    """The app in-process over a fresh archive, reading restricted to keys."""
    monkeypatch.setitem(opening._MODELS, "fake", opening.QueryMemo(FakeEncoder()))
    data, index = make_archive(tmp_path)
    keys = load_keys(None, {"BULLETINS_EDITOR_KEY_HASH": hash_key(EDITOR_KEY),
                            "BULLETINS_READ_KEY_HASH": hash_key(READER_KEY)})
    with TestClient(create_app(index, keys, data, build_if_missing=False)) as client:
        for _ in range(100):
            if client.get("/ready").status_code == 200:
                break
            time.sleep(0.05)
        yield client


def test_read_key_restricts_reading(restricted: TestClient) -> None:
    assert restricted.get("/health").status_code == 200
    assert restricted.get("/search", params={"q": "绿色"}).status_code == 401
    assert restricted.get("/bulletins", headers={"X-API-Key": "nope"}).status_code == 403
    assert restricted.get("/search", params={"q": "绿色"}, headers={"X-API-Key": READER_KEY}).status_code == 200
    assert restricted.get("/bulletins", headers={"Authorization": f"Bearer {EDITOR_KEY}"}).status_code == 200


def test_reader_key_cannot_write_and_big_files_are_refused(restricted: TestClient,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"file": ("a-2020-01.txt", "联盟动态\n\n标题\n正文。\n".encode())}
    assert restricted.post("/bulletins", files=files, headers={"X-API-Key": READER_KEY}).status_code == 403
    monkeypatch.setattr(ingest, "MAX_UPLOAD_BYTES", 10)
    r = restricted.post("/bulletins", files=files, headers={"X-API-Key": EDITOR_KEY})
    assert r.status_code == 413 and "limit" in r.json()["detail"]


def test_not_ready_is_503(tmp_path: Path) -> None:
    app = create_app(tmp_path / "missing-index", None, tmp_path / "no-data", build_if_missing=False)
    with TestClient(app) as client:
        assert client.get("/health").status_code == 200
        r = client.get("/ready")
        assert r.status_code == 503 and "no index" in r.json()["detail"]
        assert client.get("/search", params={"q": "x"}).status_code == 503
