"""Adding bulletins to a built index: the append way must give exactly what a full build gives.

Real whoosh and real files on disk; the fake encoder (vectors are a function of the text, so equal texts give
equal vectors in both builds).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

import archive
from index.build.builder import build
from index.engines import open_archive
from index.local import parts
from index.store.folder import IndexStore
from tests.corpus_small import write_bulletin
from tests.fakes import FakeEncoder
from tests.paths import ROOT

QUERIES = ["绿色发展", "生物多样性", "green finance", "一带一路 合作", "ocean governance", "能源转型"]


def _bulletins() -> list[Path]:
    """The sample and the second test corpus, oldest issue first (each with its sidecar)."""
    files = [p for d in (ROOT / "data" / "bulletins", ROOT / "tests" / "corpus") for p in d.glob("*.txt")]
    return sorted(files, key=lambda p: archive.read(p).bulletin.date)


def _add(data: Path, source: Path) -> None:
    data.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, data / source.name)
    shutil.copy(source.with_suffix(".meta.toml"), data / source.with_suffix(".meta.toml").name)


def _snapshot(index: Path, encoder: FakeEncoder) -> tuple[dict, dict]:
    """Every item by id, and each query's ranked (id, score) in each mode."""
    searcher = open_archive(index, encoder=encoder)
    items = {it.id: it for it in searcher.engine.table.items}
    ranked = {(q, mode): [(h.item.id, round(h.score, 5)) for h in searcher.search(q, mode, k=20).hits]
              for q in QUERIES for mode in ("keyword", "semantic", "hybrid")}
    searcher.close()
    return items, ranked


def _add_repeat(data: Path) -> None:
    """A newest bulletin repeating a story of the oldest one (a near-duplicate to mark) plus a new story."""
    story = archive.read(_bulletins()[0]).items[1]
    write_bulletin(data, "z-repeat", [
        {"id": "z-1", "kind": "news", "title": story.title, "text": story.text + "（转载）", "date": "2023-03-01"},
        {"id": "z-2", "kind": "news", "title": "新一期", "text": "联盟发布了新的年度报告。", "date": "2023-03-02"},
    ])


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list]:
    """An index built from the oldest bulletin, then grown by adding the others one build at a time."""
    root = tmp_path_factory.mktemp("grown")
    encoder, reports = FakeEncoder(), []
    for source in _bulletins():
        _add(root / "data", source)
        reports.append(build(root / "data", root / "idx", encoder=encoder))
    _add_repeat(root / "data")
    reports.append(build(root / "data", root / "idx", encoder=encoder))
    return root, reports


def test_adding_newer_bulletins_appends_one_part_each(grown: tuple[Path, list]) -> None:
    root, reports = grown
    assert [r.mode for r in reports] == ["full"] + ["append"] * (len(reports) - 1)
    manifest = IndexStore(root / "idx").read_manifest()
    assert len(manifest["parts"]) == len(reports)
    assert sum(p["items"] for p in manifest["parts"]) == manifest["counts"]["items"] == reports[-1].items
    assert all(len(r.changed_bulletins) == 1 for r in reports)


def test_appended_index_equals_a_full_build(grown: tuple[Path, list], tmp_path: Path) -> None:
    root, _ = grown
    encoder = FakeEncoder()
    full = build(root / "data", tmp_path / "full", encoder=encoder)
    assert full.mode == "full"
    appended_items, appended_ranked = _snapshot(root / "idx", encoder)
    full_items, full_ranked = _snapshot(tmp_path / "full", encoder)
    assert appended_items == full_items  # duplicate marks included
    assert any(it.duplicate_of for it in full_items.values())
    assert appended_ranked == full_ranked


def test_counts_of_an_appended_build_equal_a_full_one(grown: tuple[Path, list], tmp_path: Path) -> None:
    root, _ = grown
    build(root / "data", tmp_path / "full", encoder=FakeEncoder())
    counts = [IndexStore(p).read_manifest()["counts"] for p in (root / "idx", tmp_path / "full")]
    assert [{k: c[k] for k in ("bulletins", "items", "by_kind")} for c in counts] == \
        [{k: counts[1][k] for k in ("bulletins", "items", "by_kind")}] * 2


def test_an_append_leaves_the_previous_build_untouched(tmp_path: Path) -> None:
    first, second = _bulletins()[:2]
    _add(tmp_path / "data", first)
    encoder = FakeEncoder()
    build(tmp_path / "data", tmp_path / "idx", encoder=encoder)
    store = IndexStore(tmp_path / "idx")
    old = store.current()
    before = {p.relative_to(old): p.read_bytes() for p in old.rglob("*") if p.is_file()}
    _, ranked = _snapshot(tmp_path / "idx", encoder)
    _add(tmp_path / "data", second)
    assert build(tmp_path / "data", tmp_path / "idx", encoder=encoder).mode == "append"
    assert store.current() != old
    after = {p.relative_to(old): p.read_bytes() for p in old.rglob("*") if p.is_file()}
    assert after == before  # hard links share the bytes; nothing was written through them
    new_part = store.current() / "parts"
    assert len(list(new_part.iterdir())) == 2


def test_an_older_bulletin_added_later_takes_the_full_way(tmp_path: Path) -> None:
    sources = _bulletins()
    _add(tmp_path / "data", sources[-1])
    encoder = FakeEncoder()
    build(tmp_path / "data", tmp_path / "idx", encoder=encoder)
    _add(tmp_path / "data", sources[0])  # older: it may be the original of existing items
    assert build(tmp_path / "data", tmp_path / "idx", encoder=encoder).mode == "full"
    build(tmp_path / "data", tmp_path / "full", encoder=encoder)
    assert _snapshot(tmp_path / "idx", encoder) == _snapshot(tmp_path / "full", encoder)


def test_edits_and_removals_take_the_full_way(tmp_path: Path) -> None:
    encoder = FakeEncoder()
    write_bulletin(tmp_path / "data", "b1", [{"id": "a", "kind": "news", "title": "绿色港口", "text": "绿色港口建设。"}])
    build(tmp_path / "data", tmp_path / "idx", encoder=encoder)
    write_bulletin(tmp_path / "data", "b1", [{"id": "a", "kind": "news", "title": "绿色港口", "text": "改写后的文字。"}])
    write_bulletin(tmp_path / "data", "b2", [{"id": "b", "kind": "news", "title": "新闻", "text": "新的一期。"}])
    report = build(tmp_path / "data", tmp_path / "idx", encoder=encoder)
    assert report.mode == "full" and report.changed_bulletins == ("b1", "b2")
    assert len(IndexStore(tmp_path / "idx").read_manifest()["parts"]) == 1


def test_parts_are_merged_past_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parts, "MAX_PARTS", 2)
    encoder = FakeEncoder()
    sources = _bulletins()
    for source in sources:
        _add(tmp_path / "data", source)
        build(tmp_path / "data", tmp_path / "idx", encoder=encoder)
    manifest = IndexStore(tmp_path / "idx").read_manifest()
    assert len(manifest["parts"]) == 2 and manifest["build_mode"] == "append"
    build(tmp_path / "data", tmp_path / "full", encoder=encoder)
    assert _snapshot(tmp_path / "idx", encoder) == _snapshot(tmp_path / "full", encoder)


def test_unchanged_files_are_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sources = _bulletins()[:2]
    for source in sources:
        _add(tmp_path / "data", source)
    build(tmp_path / "data", tmp_path / "idx", encoder=FakeEncoder())
    read: list[str] = []
    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.name) or original(self))
    names = {p.name for p in (tmp_path / "data").iterdir()}
    assert build(tmp_path / "data", tmp_path / "idx", encoder=FakeEncoder()).up_to_date
    assert not names & set(read)  # size and mtime matched: the recorded hashes were kept
    path = tmp_path / "data" / sources[0].name
    path.write_bytes(path.read_bytes() + "\n新增一段文字，说明文件已被修改。\n".encode())
    read.clear()
    report = build(tmp_path / "data", tmp_path / "idx", encoder=FakeEncoder())
    assert sources[0].name in read and not report.up_to_date


def test_a_touched_but_unchanged_file_is_still_up_to_date(tmp_path: Path) -> None:
    _add(tmp_path / "data", _bulletins()[0])
    build(tmp_path / "data", tmp_path / "idx", encoder=FakeEncoder())
    for path in (tmp_path / "data").iterdir():
        path.touch()
    assert build(tmp_path / "data", tmp_path / "idx", encoder=FakeEncoder()).up_to_date


def test_build_reports_seconds_per_step(tmp_path: Path) -> None:
    _add(tmp_path / "data", _bulletins()[0])
    report = build(tmp_path / "data", tmp_path / "idx", encoder=FakeEncoder())
    assert {"parse", "dedupe", "embed", "keyword", "write part", "commit"} <= set(report.stages)
    assert all(s >= 0 for s in report.stages.values())


def test_a_damaged_dedupe_state_falls_back_to_a_full_build(tmp_path: Path) -> None:
    first, second = _bulletins()[:2]
    _add(tmp_path / "data", first)
    encoder = FakeEncoder()
    build(tmp_path / "data", tmp_path / "idx", encoder=encoder)
    for path in IndexStore(tmp_path / "idx").current().glob("parts/*/dedupe.*"):
        path.write_bytes(b"damaged")
    _add(tmp_path / "data", second)
    assert build(tmp_path / "data", tmp_path / "idx", encoder=encoder).mode == "full"
    build(tmp_path / "data", tmp_path / "full", encoder=encoder)
    assert _snapshot(tmp_path / "idx", encoder) == _snapshot(tmp_path / "full", encoder)


def test_vectors_of_several_parts_search_like_one(tmp_path: Path) -> None:
    from index.vectors.engine import VectorIndex, VectorPart
    from index.vectors.quantized import QuantizedParams, corpus_mean

    rng = np.random.default_rng(3)
    matrix = rng.standard_normal((300, 16)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    starts = np.arange(0, 300, 3)
    texts = [f"p{i}" for i in range(300)]
    mean = corpus_mean(matrix)
    params = QuantizedParams(candidates=40, per_k=4, exact_below=8)
    pieces = [VectorPart.from_matrix(matrix[a:b], starts[(starts >= a) & (starts < b)] - a, texts[a:b], mean)
              .save(tmp_path / f"part{a}") for a, b in ((0, 99), (99, 201), (201, 300))]
    whole = VectorPart.from_matrix(matrix, starts, texts, mean)
    for method in ("exact", "binary-int8"):
        joined, single = VectorIndex("m", pieces, mean, method, params), VectorIndex("m", [whole], mean, method, params)
        for q in matrix[::37]:
            assert joined.search(q, 7) == single.search(q, 7)
        assert np.allclose(joined.item_vector(33), single.item_vector(33))
    merged = VectorPart.concat(pieces)
    assert np.array_equal(merged.codes, whole.codes) and [merged.texts[i] for i in (0, 99, 299)] == ["p0", "p99", "p299"]


def test_damaged_previous_items_mean_a_build_from_scratch(tmp_path: Path) -> None:
    first, second = _bulletins()[:2]
    _add(tmp_path / "data", first)
    encoder = FakeEncoder()
    build(tmp_path / "data", tmp_path / "idx", encoder=encoder)
    for path in IndexStore(tmp_path / "idx").current().glob("parts/*/items.jsonl"):
        path.write_text("{not json")
    (tmp_path / "data" / first.name).write_text(first.read_text() + "\n补充一段。\n")  # an edit: the full way
    _add(tmp_path / "data", second)
    report = build(tmp_path / "data", tmp_path / "idx", encoder=encoder)
    assert report.mode == "full" and set(report.changed_bulletins) == {"brigc-2019-11", "brigc-2020-06"}
    assert open_archive(tmp_path / "idx", encoder=encoder).browse().hits


def test_appending_works_where_files_cannot_be_hard_linked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(*args: object, **kwargs: object) -> None:
        raise OSError("hard links not supported")

    first, second = _bulletins()[:2]
    _add(tmp_path / "data", first)
    encoder = FakeEncoder()
    build(tmp_path / "data", tmp_path / "idx", encoder=encoder)
    monkeypatch.setattr(os, "link", no_links)
    _add(tmp_path / "data", second)
    assert build(tmp_path / "data", tmp_path / "idx", encoder=encoder).mode == "append"
    build(tmp_path / "data", tmp_path / "full", encoder=encoder)
    assert _snapshot(tmp_path / "idx", encoder) == _snapshot(tmp_path / "full", encoder)
