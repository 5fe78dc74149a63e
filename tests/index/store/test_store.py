"""Index folder: builds switch in atomically; missing and damaged indexes are clear errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.errors import IndexCorrupt, IndexMissing
from index.store.folder import IndexStore
from index.vectors import cache as embed_cache
from index.vectors.cache import EmbeddingCache


def _build(store: IndexStore, marker: str) -> Path:
    tmp = store.new_build()
    (tmp / "marker").write_text(marker)
    (tmp / "manifest.json").write_text('{"format_version": 1}')
    return store.commit(tmp)


def test_nothing_built_is_index_missing(tmp_path: Path) -> None:
    store = IndexStore(tmp_path / "idx")
    assert store.current() is None
    with pytest.raises(IndexMissing, match="bulletins build"):
        store.require_current()


def test_commit_switches_current_and_keeps_the_previous_build(tmp_path: Path) -> None:
    store = IndexStore(tmp_path)
    first = _build(store, "one")
    second = _build(store, "two")
    assert store.current() == second and (second / "marker").read_text() == "two"
    assert first.exists()  # a running app may still read it
    third = _build(store, "three")
    assert not first.exists() and second.exists() and store.current() == third


def test_unfinished_build_is_invisible_and_pruned(tmp_path: Path) -> None:
    store = IndexStore(tmp_path)
    done = _build(store, "done")
    abandoned = store.new_build()  # as if the process was killed here
    (abandoned / "marker").write_text("half")
    assert store.current() == done
    _build(store, "next")
    assert not abandoned.exists()


def test_current_pointing_nowhere_is_corrupt(tmp_path: Path) -> None:
    (tmp_path / "CURRENT").write_text("gone\n")
    with pytest.raises(IndexCorrupt, match="--rebuild"):
        IndexStore(tmp_path).current()


def test_manifest_of_another_format_is_corrupt(tmp_path: Path) -> None:
    store = IndexStore(tmp_path)
    folder = _build(store, "x")
    (folder / "manifest.json").write_text('{"format_version": 99}')
    with pytest.raises(IndexCorrupt, match="format 99"):
        store.read_manifest()
    (folder / "manifest.json").write_text('{"format_version": 1}')
    with pytest.raises(IndexCorrupt, match="older version .*run 'bulletins build'"):
        store.read_manifest()
    assert store.outdated()


def test_embedding_cache_round_trip_and_damage(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path, "st:some/model", 3)
    cache.put(["a", "b"], np.eye(3, dtype=np.float32)[:2])
    cache.save()
    again = EmbeddingCache(tmp_path, "st:some/model", 3)
    assert "a" in again and "c" not in again
    assert again.get("b").tolist() == [0, 1, 0]
    other_model = EmbeddingCache(tmp_path, "usem3", 3)
    assert "a" not in other_model
    next(tmp_path.rglob("*.npy")).write_bytes(b"garbage")
    assert "a" not in EmbeddingCache(tmp_path, "st:some/model", 3)  # a damaged cache is just empty


def test_embedding_cache_appends_chunks_and_merges_past_the_limit(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(embed_cache, "MAX_CHUNKS", 3)
    vectors = np.eye(4, dtype=np.float32)
    for n in range(4):
        cache = EmbeddingCache(tmp_path, "m", 4)
        cache.put([f"k{n}"], vectors[n : n + 1])
        cache.save()
        chunks = sorted(p.name for p in (tmp_path / "m").glob("chunk-*.npy"))
        assert len(chunks) == (n + 1 if n < 3 else 1), chunks  # the fourth save merged all into one
    again = EmbeddingCache(tmp_path, "m", 4)
    assert again.get_many([f"k{n}" for n in range(4)]).tolist() == vectors.tolist()
    assert not list((tmp_path / "m").glob(".tmp-*"))


def test_embedding_cache_reads_the_single_file_layout_of_earlier_versions(tmp_path: Path) -> None:
    np.save(tmp_path / "m.npy", np.eye(2, dtype=np.float32))
    (tmp_path / "m.keys.json").write_text('["a", "b"]')
    cache = EmbeddingCache(tmp_path, "m", 2)
    assert cache.get("b").tolist() == [0, 1]
    cache.put(["c"], np.ones((1, 2), dtype=np.float32))
    cache.save()
    assert EmbeddingCache(tmp_path, "m", 2).get_many(["a", "c"]).tolist() == [[1, 0], [1, 1]]
