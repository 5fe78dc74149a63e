"""First-run helpers: build when there is no index, open a searcher with a shared, memoising encoder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from index.build import builder
from index.errors import IndexMissing
from index.store.folder import FORMAT_VERSION, IndexStore
from service.opening import QueryMemo, current_build, ensure_index
from tests.conftest import ROOT
from tests.fakes import FakeEncoder


def test_query_memo_encodes_each_query_once_and_passes_documents_through() -> None:
    fake = FakeEncoder()
    memo = QueryMemo(fake, size=2)
    first = memo.encode(["海洋治理"], query=True)
    first[0, 0] = 99.0  # callers may scribble on what they get back
    again = memo.encode(["海洋治理"], query=True)
    assert fake.encoded == ["海洋治理"] and again[0, 0] != 99.0
    np.testing.assert_array_equal(again, FakeEncoder().encode(["海洋治理"], query=True))
    memo.encode(["a b"], query=True)
    memo.encode(["c d"], query=True)  # evicts 海洋治理 (size 2)
    memo.encode(["海洋治理"], query=True)
    assert fake.encoded.count("海洋治理") == 2
    memo.encode(["doc one", "doc two"])
    memo.encode(["doc one", "doc two"])
    assert fake.encoded.count("doc one") == 2
    assert (memo.name, memo.dim) == (fake.name, fake.dim)


@pytest.fixture()
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the built-in sample; ensure_index builds with the fake encoder."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "bulletins", data)
    encoder = FakeEncoder()
    real_build = builder.build  # imported by ensure_index when it builds
    monkeypatch.setattr(builder, "build", lambda data_dir, root, model=None, progress=None, wait_keyword=True:
                        real_build(data_dir, root, encoder=encoder, progress=progress, wait_keyword=wait_keyword))
    return data


def test_ensure_index_builds_once_then_leaves_the_index_alone(tmp_path: Path, data: Path) -> None:
    stages: list[str] = []
    assert current_build(tmp_path / "index") is None
    report = ensure_index(tmp_path / "index", data, lambda stage, done, total: stages.append(stage))
    assert report is not None and report.items > 0 and {"keyword", "embed"} <= set(stages)
    build = current_build(tmp_path / "index")
    assert build is not None and (tmp_path / "index" / "builds" / build).is_dir()
    assert ensure_index(tmp_path / "index", data) is None
    assert current_build(tmp_path / "index") == build


def test_an_index_in_an_older_format_is_built_again(tmp_path: Path, data: Path) -> None:
    ensure_index(tmp_path / "index", data)
    old = current_build(tmp_path / "index")
    manifest_file = tmp_path / "index" / "builds" / old / "manifest.json"
    manifest = json.loads(manifest_file.read_text())
    manifest_file.write_text(json.dumps(manifest | {"format_version": FORMAT_VERSION - 1}))
    assert IndexStore(tmp_path / "index").outdated() and current_build(tmp_path / "index") is None
    report = ensure_index(tmp_path / "index", data)
    assert report is not None and report.mode == "full"
    assert current_build(tmp_path / "index") not in (None, old)


def test_no_index_and_no_data_is_a_plain_error(tmp_path: Path) -> None:
    with pytest.raises(IndexMissing, match="no data folder"):
        ensure_index(tmp_path / "index", tmp_path / "nothing-here")
