"""The admin page driven headlessly with AppTest: sign-in (password or OIDC), upload, preview, commit, audit.

Over copies of the UI test's data folder and index (sample + small English bulletins, real default model).
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from index.build import audit
from service.secrets import hash_secret
from tests.ui.test_pages import APP, TIMEOUT, goto, keys, pages
from ui.components.signin import ENV_HASH, FAILED_DELAY_S
from ui.markdown import md

pytestmark = pytest.mark.slow
PASSWORD = "correct horse battery"
PASSWORD_HASH = hash_secret(PASSWORD)

# A small plain-text bulletin for the admin upload: one news item with a word found nowhere else.
UPLOAD_NAME = "port-weekly-2020-03.txt"
UPLOAD_TEXT = ("绿色丝路新闻\n\n2020年3月2日，青岛港启用全新岸电设施，靠港船舶使用岸电后可大幅减少排放，"
               "推动绿色航运与港口减排。\n\n（来源：新华网）\n")
OIDC = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "test-cookie-secret",
                 "client_id": "bulletins", "client_secret": "s3cret",
                 "server_metadata_url": "https://id.example.org/.well-known/openid-configuration"},
        "admin": {"editors": ["Editor@Example.org"]}}


@pytest.fixture
def admin(ui_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Admin mode with a password hash, over copies of the data folder and index (uploads touch nothing shared)."""
    data, index = tmp_path / "data", tmp_path / "index"
    shutil.copytree(ui_index.parent / "data", data)
    shutil.copytree(ui_index, index)
    monkeypatch.setenv("BULLETINS_ADMIN", "1")
    monkeypatch.setenv(ENV_HASH, PASSWORD_HASH)
    monkeypatch.setenv("BULLETINS_DATA", str(data))
    monkeypatch.setenv("BULLETINS_INDEX", str(index))
    return data, index


def open_admin(secrets: dict[str, Any] | None = None, user: dict[str, Any] | None = None) -> AppTest:
    """The app on its admin page, with Streamlit ``secrets`` and an OIDC ``user`` if given."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.secrets.update(secrets or {})
    if user is not None:
        at.user = user
    at.run()
    goto(at, "admin")
    assert not at.exception, [e.value for e in at.exception]
    return at


def sign_in(at: AppTest, password: str = PASSWORD, name: str = "Alice") -> AppTest:
    at.text_input(key="admin-name").input(name)
    at.text_input(key="admin-password").input(password)
    at.button(key="admin-signin-submit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_without_a_password_or_oidc_the_page_explains_and_offers_no_upload(
        admin: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_HASH)
    at = open_admin()
    assert "admin" in pages(at) and not at.file_uploader and "admin-signin-submit" not in keys(at, "")
    assert at.warning[0].value.startswith("尚未配置登录方式")
    assert "bulletins admin-password" in at.code[0].value and ENV_HASH in at.code[0].value


def test_a_plain_password_in_place_of_the_hash_is_refused(admin: tuple[Path, Path],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_HASH, PASSWORD)
    at = open_admin()
    assert "不是 `bulletins admin-password` 生成的哈希" in at.error[0].value
    assert not at.file_uploader and "admin-signin-submit" not in keys(at, "")


def test_a_wrong_password_is_refused_after_a_delay(admin: tuple[Path, Path]) -> None:
    at = open_admin()
    assert not at.file_uploader
    started = time.monotonic()
    sign_in(at, password="wrong horse battery")
    assert time.monotonic() - started >= FAILED_DELAY_S
    assert at.error[0].value == "密码不正确，请重试。" and not at.file_uploader


def test_sign_in_upload_preview_confirm_search_and_the_audit_names_the_actor(admin: tuple[Path, Path]) -> None:
    data, index = admin
    at = sign_in(open_admin())
    assert at.caption[0].value == "已登录：Alice" and "admin-signout" in keys(at, "")
    before = sorted(p.name for p in data.iterdir())
    at.file_uploader[0].set_value((UPLOAD_NAME, UPLOAD_TEXT.encode(), "text/plain")).run()
    assert not at.exception, [e.value for e in at.exception]
    files, items = (df.value for df in at.dataframe[:2])
    assert files.iloc[0].tolist()[:2] == [UPLOAD_NAME, "新简报"]
    assert items.iloc[0]["类型"] == "新闻" and items.iloc[0]["来源"] == "新华网" and items.iloc[0]["日期"] == "2020-03-02"
    assert sorted(p.name for p in data.iterdir()) == before, "the preview writes nothing"
    at.button(key="admin-confirm").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.success[0].value.startswith("已添加 1 个文件") and (data / UPLOAD_NAME).is_file()
    [entry] = audit.read(index)
    assert (entry["actor"], entry["file"], entry["outcome"], entry["items"]) == ("Alice", UPLOAD_NAME, "added", 1)
    goto(at, "")
    at.text_input(key="q").input("青岛港").run()
    hits = keys(at, "open-")
    assert hits and at.session_state["f_bulletins"] == [] and "port-weekly-2020-03" in hits[0]


def test_sign_out_and_a_changed_password_both_end_the_sign_in(admin: tuple[Path, Path],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    at = sign_in(open_admin(), name="")
    assert at.caption[0].value == "已登录：admin" and at.file_uploader
    at.button(key="admin-signout").click().run()
    assert not at.file_uploader and "admin-signin-submit" in keys(at, "")
    sign_in(at)
    assert at.file_uploader
    monkeypatch.setenv(ENV_HASH, hash_secret("another password"))
    at.run()
    assert not at.file_uploader and "admin-signin-submit" in keys(at, "")


def test_the_password_hash_may_come_from_streamlit_secrets(admin: tuple[Path, Path],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_HASH)
    at = sign_in(open_admin({"admin": {"password_hash": PASSWORD_HASH}}), name="Bo")
    assert at.caption[0].value == "已登录：Bo" and at.file_uploader


@pytest.mark.parametrize(("user", "uploader"), [
    ({"is_logged_in": False}, False),
    ({"is_logged_in": True, "email": "someone@example.org"}, False),
    ({"is_logged_in": True, "email": "editor@example.org"}, True),
], ids=["signed-out", "not-an-editor", "editor"])
def test_oidc_lets_only_listed_editors_write(admin: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch,
                                             user: dict[str, Any], uploader: bool) -> None:
    monkeypatch.delenv(ENV_HASH)
    at = open_admin(OIDC, user)
    assert bool(at.file_uploader) is uploader and "admin-signin-submit" not in keys(at, "")
    if not user["is_logged_in"]:
        assert at.button(key="admin-login-default").label == "通过 SSO 登录"
    elif uploader:
        assert at.caption[0].value == f"已登录：{md('editor@example.org')}"
    else:
        assert at.warning[0].value.startswith(f"{md('someone@example.org')} 不在编辑名单中")


def test_admin_refuses_bad_names_and_says_when_nothing_changes(admin: tuple[Path, Path]) -> None:
    data, _ = admin
    at = sign_in(open_admin())
    sample = (data / "brigc-2019-11.txt").read_bytes()
    at.file_uploader[0].set_value([("tool.exe", b"MZ", "application/octet-stream"),
                                   ("brigc-2019-11.txt", sample, "text/plain"),
                                   ("empty.txt", b"", "text/plain")]).run()
    statuses = at.dataframe[0].value.iloc[:, 1].tolist()
    assert statuses == ["拒绝", "已在档案中，无需改动", "无法读取"]
    assert at.info[0].value == "没有可添加的文件，档案不会改动。" and "admin-confirm" not in {b.key for b in at.button}
    assert not (data / "tool.exe").exists() and not (data / "empty.txt").exists()
