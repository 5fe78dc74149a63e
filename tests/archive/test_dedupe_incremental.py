"""Marking appended bulletins against a saved state marks exactly what marking everything marks."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import archive
from archive.dedupe import incremental, keys, signatures, storage
from archive.dedupe.incremental import mark_appended
from archive.dedupe.keys import order_key
from archive.dedupe.marking import mark_duplicates
from archive.dedupe.state import DedupeState
from archive.dedupe.storage import DedupeStateError
from archive.model import Bulletin, Item, ParsedFile
from tests.archive.test_dedupe_scale import _files, _generated_files

STORY = "2019年11月6日，中国国家主席习近平在人民大会堂同法国总统马克龙会谈，推动共建“一带一路”倡议同欧盟战略对接。"


def _save(root: Path, parts: Sequence[Sequence[ParsedFile]]) -> list[Path]:
    """Each part's files saved into its own folder under ``root``."""
    folders = []
    for number, files in enumerate(parts):
        folder = root / f"part{number}"
        folder.mkdir(parents=True)
        DedupeState.save_part(folder, files)
        folders.append(folder)
    return folders


def _split(files: list[ParsedFile], cuts: Sequence[int]) -> list[list[ParsedFile]]:
    """The files cut into consecutive parts at the given positions."""
    bounds = [0, *sorted(cuts), len(files)]
    return [files[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def _check(root: Path, old: list[ParsedFile], new: list[ParsedFile], cuts: Sequence[int] = (),
           threshold: float = keys.THRESHOLD) -> list[ParsedFile]:
    """Save the marked old files in parts, mark the new ones incrementally, compare with marking everything."""
    full = mark_duplicates(old + new, threshold)
    state = DedupeState.load(_save(root, _split(full[: len(old)], cuts)))
    assert len(state) == sum(len(f.items) for f in old)
    assert state.sorts_before(new)
    got = mark_appended(state, new, threshold)
    assert got == full[len(old) :]
    return got


def _sorted(files: list[ParsedFile]) -> list[ParsedFile]:
    return sorted(files, key=lambda f: order_key(f.bulletin))


def _cuttable(files: list[ParsedFile]) -> list[int]:
    """Positions in sorted files where every later file sorts strictly after every earlier one."""
    keys = [order_key(f.bulletin) for f in files]
    return [k for k in range(len(files) + 1) if k in (0, len(files)) or keys[k - 1] < keys[k]]


def _marks(files: Sequence[ParsedFile]) -> int:
    return sum(1 for f in files for item in f.items if item.duplicate_of)


def _item(bulletin: str, k: int, text: str, given: str = "") -> Item:
    return Item(id=f"{bulletin}-{k}", bulletin_id=bulletin, kind="news", title="", text=text, duplicate_of=given)


def _file(bulletin: str, date: str, texts: Sequence[str], source: str = "") -> ParsedFile:
    return ParsedFile(Bulletin(id=bulletin, title=bulletin, date=date, source_file=source or f"{bulletin}.txt"),
                      tuple(_item(bulletin, k, t) for k, t in enumerate(texts)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_files().filter(lambda files: len(files) > 1), st.data())
def test_random_archives(tmp_path_factory: pytest.TempPathFactory, files: list[ParsedFile], data: st.DataObject) -> None:
    files = _sorted(files)
    cuts = _cuttable(files)
    cut = data.draw(st.sampled_from(cuts[1:-1] or cuts))  # mostly both old and new files
    old = data.draw(st.permutations(files[:cut]))  # the parts need not be in dedupe order
    new = data.draw(st.permutations(files[cut:]))
    cuts = data.draw(st.lists(st.integers(0, len(old)), max_size=3))
    threshold = data.draw(st.sampled_from([0.8, 0.8, 0.5, 0.34, 0.9, 1.0, 0.0, -1.0, 1.5, float("nan")]))
    _check(tmp_path_factory.mktemp("state"), old, new, cuts, threshold)


@pytest.mark.parametrize("seed", [1, 5, 11])
def test_generated_corpus(tmp_path: Path, seed: int) -> None:
    files = _sorted(_generated_files(1800, seed))  # some bulletins undated, so they come last
    cuts = _cuttable(files)
    for number, cut in enumerate(cuts[len(cuts) // 2 :: 9]):
        got = _check(tmp_path / str(number), files[:cut], files[cut:], cuts=[cut // 3, cut // 2, cut // 2])
        assert _marks(got) > 0  # the new bulletins do repeat stories


@pytest.mark.parametrize("threshold", [0.0, 0.3, 0.5, 0.75, 0.9, 1.0])
def test_generated_corpus_thresholds(tmp_path: Path, threshold: float) -> None:
    files = _sorted(_generated_files(900, seed=2))
    cut = _cuttable(files)[20]
    _check(tmp_path, files[:cut], files[cut:], cuts=[7], threshold=threshold)


def test_appended_one_by_one_equals_marking_everything(tmp_path: Path) -> None:
    files = _sorted(_generated_files(1500, seed=3))
    full = mark_duplicates(files)
    cuts = _cuttable(files)
    start = cuts[len(cuts) // 2]
    folders = _save(tmp_path, [full[:start]])
    for number, (a, b) in enumerate(zip(cuts[cuts.index(start) :], cuts[cuts.index(start) + 1 :], strict=False)):
        got = mark_appended(DedupeState.load(folders), files[a:b])
        assert got == full[a:b]
        folders += _save(tmp_path / f"added{number}", [got])
    assert len(folders) > 10


def test_new_files_repeating_each_other_and_old_ones(tmp_path: Path) -> None:
    old = [_file("a", "2019-01-01", [STORY, "绿色航运对话在北京举行"]), _file("b", "2019-02-01", ["海洋治理伙伴关系在奥斯陆启动"])]
    new = [
        _file("d", "2019-04-01", [STORY + "。", "联盟年会在昆明召开，讨论生物多样性"]),
        _file("c", "2019-03-01", ["联盟年会在昆明召开，讨论生物多样性。", "海洋治理伙伴关系在奥斯陆启动！"]),
        _file("a", "2019-05-01", ["绿色航运对话在北京举行", STORY], source="a-again.txt"),  # same bulletin as old a
        _file("e", "", ["联盟年会在昆明召开,讨论生物多样性", ""]),
    ]
    got = _check(tmp_path, old, new, cuts=[1])
    # a's second STORY may not repeat a's own first one, but repeats d's copy: it points at d's original
    assert [[item.duplicate_of for item in f.items] for f in got] == [
        ["a-0", "c-0"], ["", "b-0"], ["", "a-0"], ["c-0", ""]]


def test_items_with_given_marks_are_originals_not_probes(tmp_path: Path) -> None:
    old = [_file("a", "2019-01-01", [STORY])]
    given = ParsedFile(Bulletin(id="b", title="b", date="2019-02-01"),
                       (_item("b", 0, STORY, given="elsewhere"), _item("b", 1, "会议" * 9)))
    later = _file("c", "2019-03-01", ["会议" * 9, STORY])
    got = _check(tmp_path, old, [later, given])
    assert [it.duplicate_of for it in got[1].items] == ["elsewhere", ""]
    assert [it.duplicate_of for it in got[0].items] == ["b-1", "a-0"]


def test_short_and_empty_texts(tmp_path: Path) -> None:
    old = [_file("a", "2019-01-01", ["", "ab", "abcd", "。。", "Ａｂ", "x"]), _file("z", "", [])]
    new = [_file("b", "", ["", "AB", "abcd", "abcde", "ab", "X"], source="zz.txt")]
    got = _check(tmp_path, old, new, cuts=[1])
    assert [it.duplicate_of for it in got[0].items] == ["", "a-1", "a-2", "", "a-1", "a-5"]


@pytest.mark.parametrize(("segment", "budget", "cells", "batch"),
                         [(7, 0, 1, 1), (50, 10, 100, 7), (1, 1 << 20, 1 << 22, 256)])
def test_segments_budgets_and_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, segment: int, budget: int,
                                      cells: int, batch: int) -> None:
    monkeypatch.setattr(storage, "SEGMENT_ITEMS", segment)
    monkeypatch.setattr(incremental, "PROBE_BATCH", batch)
    monkeypatch.setattr(storage, "CHUNK_ITEMS", 3)
    monkeypatch.setattr(incremental, "VISIT_BUDGET", budget)
    monkeypatch.setattr(incremental, "COUNT_CELLS", cells)
    files = _sorted(_generated_files(600, seed=4))
    cut = _cuttable(files)[12]
    _check(tmp_path, files[:cut], files[cut:], cuts=[3, 5])


@pytest.mark.parametrize("tokens", [5, 4099])
def test_token_collisions_only_add_candidates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tokens: int) -> None:
    mix = signatures._mix
    monkeypatch.setattr(signatures, "_mix", lambda columns: mix(columns) % np.uint32(tokens))
    files = _sorted(_generated_files(450, seed=6))
    cut = _cuttable(files)[8]
    for threshold in (0.8, 0.5):
        _check(tmp_path / str(threshold), files[:cut], files[cut:], cuts=[2], threshold=threshold)


def test_tokens_are_stable() -> None:
    # saved parts are read by later processes: a change here needs a new storage.FORMAT
    tokens, starts, widths = signatures.shingle_tokens(["abcde", "ab", "绿色发展"])
    assert tokens[starts].tolist() == [3220452611, 1589801499, 40311541]
    assert widths.tolist() == [2, 1, 1]
    assert tokens[1] == signatures.shingle_tokens(["bcde"])[0][0]


def test_sorts_before(tmp_path: Path) -> None:
    old = [_file("a", "2019-01-01", ["x"]), _file("b", "2019-02-01", ["y"], source="m.txt"),
           _file("u", "", ["z"], source="m.txt")]
    dated = DedupeState.load(_save(tmp_path / "dated", [old[:2]]))
    undated = DedupeState.load(_save(tmp_path / "undated", [old[:1], old[2:]]))
    empty = DedupeState.load([])
    assert dated.sorts_before([_file("c", "2019-02-02", ["w"])])
    assert dated.sorts_before([_file("c", "2019-02-01", ["w"], source="n.txt")])  # same day, later file name
    assert dated.sorts_before([])
    assert not dated.sorts_before([_file("c", "2019-02-01", ["w"], source="m.txt")])  # a tie is not "after"
    assert not dated.sorts_before([_file("c", "2019-01-15", ["w"]), _file("d", "2020-01-01", ["w"])])
    assert not undated.sorts_before([_file("c", "2030-01-01", ["w"])])  # undated bulletins come last
    assert undated.sorts_before([_file("c", "", ["w"], source="n.txt")])
    assert empty.sorts_before(old) and len(empty) == 0
    with pytest.raises(ValueError, match="sort after"):
        mark_appended(dated, [_file("c", "2019-01-15", ["w"])])


def test_empty_state_marks_like_mark_duplicates(tmp_path: Path) -> None:
    files = _sorted(_generated_files(300, seed=8))
    assert mark_appended(DedupeState.load([]), files) == mark_duplicates(files)
    assert mark_appended(DedupeState.load(_save(tmp_path, [[]])), files) == mark_duplicates(files)


def test_saved_files_are_not_changed_by_marking(tmp_path: Path) -> None:
    files = _sorted(_generated_files(300, seed=9))
    folders = _save(tmp_path, [mark_duplicates(files[:5])])
    before = {path: path.read_bytes() for path in folders[0].iterdir()}
    assert all(path.name.startswith("dedupe.") for path in before)
    mark_appended(DedupeState.load(folders), files[5:])
    assert {path: path.read_bytes() for path in folders[0].iterdir()} == before


def _edit_meta(folder: Path, change: Callable[[dict], object]) -> None:
    path = folder / "dedupe.meta.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    change(meta)
    path.write_text(json.dumps(meta), encoding="utf-8")


def _edit_arrays(folder: Path, change: Callable[[bytes], bytes]) -> None:
    path = folder / "dedupe.arrays"
    path.write_bytes(change(path.read_bytes()))


DAMAGES: dict[str, Callable[[Path], object]] = {
    "missing meta": lambda f: (f / "dedupe.meta.json").unlink(),
    "missing arrays": lambda f: (f / "dedupe.arrays").unlink(),
    "empty arrays": lambda f: _edit_arrays(f, lambda data: b""),
    "truncated arrays": lambda f: _edit_arrays(f, lambda data: data[:-7]),
    "other arrays": lambda f: _edit_arrays(f, lambda data: data[:20] + b"0" + data[21:]),
    "garbage arrays": lambda f: _edit_arrays(f, lambda data: b"not an array" * 500),
    "garbage meta": lambda f: (f / "dedupe.meta.json").write_text("{not json", encoding="utf-8"),
    "meta not an object": lambda f: (f / "dedupe.meta.json").write_text("[]", encoding="utf-8"),
    "other code": lambda f: _edit_meta(f, lambda m: m.update(fingerprint="0123456789abcdef")),
    "missing field": lambda f: _edit_meta(f, lambda m: m.pop("files")),
    "missing array": lambda f: _edit_meta(f, lambda m: m["arrays"].pop("seg0.postings")),
    "missing segment field": lambda f: _edit_meta(f, lambda m: m["segments"][0].pop("entries")),
    "counts": lambda f: _edit_meta(f, lambda m: m.update(items=7)),
    "wrong length": lambda f: _edit_meta(f, lambda m: m["arrays"]["sizes"].update(shape=[3])),
    "wrong type": lambda f: _edit_meta(f, lambda m: m["arrays"]["keys.ends"].update(dtype="<i4")),
    "object type": lambda f: _edit_meta(f, lambda m: m["arrays"]["keys.ends"].update(dtype="|O")),
    "outside": lambda f: _edit_meta(f, lambda m: m["arrays"]["signatures"].update(offset=10**9)),
    "misaligned": lambda f: _edit_meta(f, lambda m: m["arrays"]["keys.ends"].update(offset=65)),
    "offsets": lambda f: _edit_arrays(f, lambda data: _bump(data, f, "seg0.offsets")),
    "ends": lambda f: _edit_arrays(f, lambda data: _bump(data, f, "keys.ends", 100)),
}


def _bump(data: bytes, folder: Path, name: str, by: int = 1) -> bytes:
    """The arrays file with the first element of array ``name`` increased by ``by``."""
    spec = json.loads((folder / "dedupe.meta.json").read_text(encoding="utf-8"))["arrays"][name]
    dtype, start = np.dtype(spec["dtype"]), spec["offset"]
    array = np.frombuffer(data, dtype=dtype, count=int(np.prod(spec["shape"])), offset=start).copy()
    array[0] += np.array(by).astype(dtype)
    return data[:start] + array.tobytes() + data[start + array.nbytes :]


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_damaged_state_is_a_clear_error(tmp_path: Path, damage: str) -> None:
    folders = _save(tmp_path, [[_file("a", "2019-01-01", [STORY])], [_file("b", "2019-02-01", [STORY, "会议" * 5])]])
    DAMAGES[damage](folders[1])
    with pytest.raises(DedupeStateError, match=r"part1[/\\]dedupe\.(meta\.json|arrays)"):
        DedupeState.load(folders)
    assert issubclass(DedupeStateError, ValueError)


def test_damaged_postings_found_when_touched(tmp_path: Path) -> None:
    folders = _save(tmp_path, [[_file("a", "2019-01-01", [STORY])]])
    _edit_arrays(folders[0], lambda data: _bump(data, folders[0], "seg0.postings", 9))
    state = DedupeState.load(folders)
    with pytest.raises(DedupeStateError, match="out of range"):
        mark_appended(state, [_file("b", "2019-02-01", [STORY])])


def test_public_api() -> None:
    assert archive.DedupeState is DedupeState and archive.DedupeStateError is DedupeStateError
    assert archive.mark_appended is mark_appended


def test_many_small_parts_in_random_order(tmp_path: Path) -> None:
    files = _sorted(_generated_files(900, seed=12))
    cut = _cuttable(files)[-8]
    old = files[:cut]
    random.Random(3).shuffle(old)
    _check(tmp_path, old, [replace(f) for f in files[cut:]], cuts=range(0, len(old), 2))
