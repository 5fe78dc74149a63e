"""The shared model loads once per process, in the background when asked ahead (it overlaps opening the index),
and a model that cannot load is still reported to the caller that needs it."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from index.vectors.encoders import ModelError
from service import opening
from tests.fakes import FakeEncoder


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Models loaded through a slow fake loader (the shared models are forgotten before and after)."""
    monkeypatch.setattr(opening, "_MODELS", {})
    monkeypatch.setattr(opening, "_LOADING", {})
    seen: list[str] = []

    def slow(model: str) -> FakeEncoder:
        seen.append(model)
        time.sleep(0.2)
        if model == "broken":
            raise ModelError("no such model")
        return FakeEncoder(model)

    monkeypatch.setattr(opening, "load_encoder", slow)
    return seen


def test_preloaded_model_is_loaded_once_and_shared(loads: list[str]) -> None:
    opening.preload_model("fake")
    opening.preload_model("fake")
    results: list[opening.QueryMemo] = []
    threads = [threading.Thread(target=lambda: results.append(opening.shared_encoder("fake"))) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert loads == ["fake"]
    assert len({id(r) for r in results}) == 1 and results[0] is opening.shared_encoder("fake")


def test_background_failure_is_raised_to_the_caller(loads: list[str]) -> None:
    opening.preload_model("broken")
    with pytest.raises(ModelError):
        opening.shared_encoder("broken")
    assert "broken" not in opening._MODELS


def test_open_archive_overlaps_the_model_and_waits_for_it(loads: list[str], tmp_path: Path) -> None:
    from index.build.builder import build
    from tests.corpus_small import B1, write_bulletin

    write_bulletin(tmp_path / "data", "b1", B1)
    build(tmp_path / "data", tmp_path / "index", encoder=FakeEncoder("fake"))
    searcher = opening.open_archive(tmp_path / "index")
    assert "fake" in opening._MODELS and loads == ["fake"]  # loaded before open_archive returned
    assert searcher.search("绿色航运", "hybrid").hits
    assert searcher.encoder.name == "fake" and searcher.encoder.dim == 64


def test_searcher_opened_ahead_is_handed_over_once(loads: list[str], tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from index.build.builder import build
    from tests.corpus_small import B1, write_bulletin

    monkeypatch.setattr(opening, "_PRELOADED", {})
    write_bulletin(tmp_path / "data", "b1", B1)
    build(tmp_path / "data", tmp_path / "index", encoder=FakeEncoder("fake"))
    opening.preload_archive(tmp_path / "index", warm_query="绿色航运")
    first = opening.open_archive(tmp_path / "index")  # waits for the one opened ahead
    assert not opening._PRELOADED and first.search("绿色航运", "hybrid").hits
    assert opening.open_archive(tmp_path / "index") is not first  # a second open is a fresh one
    opening.preload_archive(tmp_path / "no-index")  # nothing to open ahead: nothing happens
    assert not opening._PRELOADED
