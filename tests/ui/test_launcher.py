"""ui.launcher: the index is opened ahead once Streamlit's server is up, not while it starts."""

from __future__ import annotations

import pytest
from streamlit.web import bootstrap

from ui import launcher


def test_preload_starts_when_the_server_is_up(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple] = []
    monkeypatch.setattr(bootstrap, "_on_server_start", lambda server: calls.append(("started", server)))
    monkeypatch.setattr(launcher, "preload", lambda: calls.append(("preload",)))
    launcher.preload_once_serving()
    assert calls == []  # nothing competes with the server's own start
    bootstrap._on_server_start("server")
    assert calls == [("preload",), ("started", "server")]


def test_without_the_hook_the_preload_starts_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.delattr(bootstrap, "_on_server_start")
    monkeypatch.setattr(launcher, "preload", lambda: calls.append("preload"))
    launcher.preload_once_serving()
    assert calls == ["preload"]
