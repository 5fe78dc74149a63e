"""Updating a keyword index that is a folder of hard links to another one: the other one is never touched.

The builder makes a new build's ``keyword/`` as hard links of the previous build's files (the lock file and
``keyword-analysis.json`` copied), then calls ``update`` on it; the previous build must stay byte-identical and
answer as before. Also: the update equals a fresh build, and whoosh's searcher is opened only when needed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from archive.model import Item
from index.keyword.engine import META_FILE, KeywordIndex, KeywordResult
from index.keyword.glossary import load_glossary
from index.keyword.postings_parts import part_files as _part_files
from tests.index.keyword.test_postings import make_items
from tests.paths import ROOT

GLOSSARY = load_glossary(ROOT / "data" / "glossary.csv")
ITEMS = make_items(60, seed=3, bulletins=4)
COPIED = frozenset({META_FILE, "MAIN_WRITELOCK"})
QUERIES = ["绿色 海洋", "belt and road 联盟", '"一带一路"', '"green shipping"', "title:绿色", 'speaker:"Erik Solheim"',
           "海洋 AND 绿色", "绿色 OR Oslo", "海洋 -绿色", "kind:news 海洋", "Solheim", "生物多样性 清洁能源"]


def link_copy(src: Path, dst: Path, copied: frozenset[str] = COPIED) -> None:
    """What the builder does: directories made, files hard-linked (all, or all but ``copied``)."""
    for path in sorted(src.rglob("*")):
        target = dst / path.relative_to(src)
        if path.is_dir():
            target.mkdir(parents=True)
        elif path.name in copied:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, target)


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file's sha256 and inode."""
    return {p.relative_to(folder).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_ino)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def answers(index: KeywordIndex) -> list[KeywordResult]:
    out = []
    for query in QUERIES:
        for engine in (True, False):
            index.use_postings = engine
            out.append(index.search(query, 20))
    index.use_postings = True
    return out


def edit(item: Item, text: str) -> Item:
    return Item(**(item.to_dict() | {"text": text}))


@pytest.mark.parametrize("copied", [COPIED, frozenset()], ids=["lock-copied", "all-linked"])
def test_updating_a_hard_linked_copy_leaves_the_original_untouched(tmp_path: Path, copied: frozenset[str]) -> None:
    original = tmp_path / "build1" / "keyword"
    with KeywordIndex.create(original, ITEMS, glossary=GLOSSARY) as index:
        before = answers(index)
    files = snapshot(original)
    copy = tmp_path / "build2" / "keyword"
    link_copy(original, copy, copied)
    b0 = [it for it in ITEMS if it.bulletin_id == "b0"]
    moved = Item(**(ITEMS[1].to_dict() | {"bulletin_id": "b9"}))  # b1's item re-added under another bulletin
    with KeywordIndex.open(copy, glossary=GLOSSARY) as index:
        index.search("海洋 AND 绿色", 5)  # whoosh's searcher open during the update
        index.update(["b0"], [edit(it, it.text + " 海洋塑料") for it in b0])
        index.update([], [moved, *make_items(30, seed=4, bulletins=1)[:30]])
        index.update(["b2"], [])
    assert snapshot(original) == files
    with KeywordIndex.open(original, glossary=GLOSSARY) as index:
        assert answers(index) == before
    later = tmp_path / "build3" / "keyword"  # and a chain: build3 linked from build2
    middle = snapshot(copy)
    link_copy(copy, later, copied)
    with KeywordIndex.open(later, glossary=GLOSSARY) as index:
        index.update(["b3"], ITEMS[:2])
    assert snapshot(copy) == middle and snapshot(original) == files
    KeywordIndex.create(later, ITEMS[:5], glossary=GLOSSARY).close()  # a rebuild over linked files, too
    assert snapshot(copy) == middle and snapshot(original) == files


def test_update_equals_a_fresh_build(tmp_path: Path) -> None:
    keyword = KeywordIndex.create(tmp_path / "kw", ITEMS, glossary=GLOSSARY)
    new = make_items(30, seed=5, bulletins=1)
    moved = Item(**(ITEMS[1].to_dict() | {"bulletin_id": "b9"}))
    b0 = [edit(it, it.text + " 清洁能源") for it in ITEMS if it.bulletin_id == "b0"]
    for remove, add in ((["b0"], b0), ([], new), (["b2"], [moved])):
        keyword.update(remove, add)
    keyword.close()
    final = [it for it in ITEMS if it.bulletin_id in ("b1", "b3") and it.id != moved.id] + b0 + new + [moved]
    order = {it.id: n for n, it in enumerate(final)}
    with KeywordIndex.open(tmp_path / "kw", glossary=GLOSSARY) as updated, \
            KeywordIndex.create(tmp_path / "fresh", final, glossary=GLOSSARY) as fresh:
        assert updated.doc_count() == fresh.doc_count() == len(final)
        for query in QUERIES[:6]:
            a, b = updated.search(query, 200), fresh.search(query, 200)
            assert (a.total, a.complete, a.terms) == (b.total, b.complete, b.terms)
            a_hits, b_hits = (sorted(r.hits, key=lambda h: order[h[0]]) for r in (a, b))
            assert [i for i, _ in a_hits] == [i for i, _ in b_hits]
            assert [s for _, s in a_hits] == pytest.approx([s for _, s in b_hits], rel=1e-6)
        updated.use_postings = False  # whoosh saw the same deletions and additions
        for query in ["海洋 AND 绿色", "kind:news", "bulletin:b0", "bulletin:b2", f"id:{moved.id}"]:
            assert {i for i, _ in updated.search(query, 200).hits} == {i for i, _ in fresh.search(query, 200).hits}


def test_whoosh_searcher_opens_only_for_queries_that_need_it(tmp_path: Path) -> None:
    KeywordIndex.create(tmp_path / "kw", ITEMS, glossary=GLOSSARY).close()
    with KeywordIndex.open(tmp_path / "kw", glossary=GLOSSARY) as index:
        assert index.doc_count() == len(ITEMS)
        for query in ["绿色 海洋", '"一带一路"', 'title:"绿色" 海洋', "speaker:Solheim", "", "((("]:
            index.search(query, 10, allowed=frozenset({ITEMS[0].id}))
        assert index._searcher is None
        index.search("kind:news 海洋", 10)
        assert index._searcher is not None
        index.update(["b1"], [])
        assert index._searcher is None and index.doc_count() == len([i for i in ITEMS if i.bulletin_id != "b1"])


def test_many_small_updates_keep_few_parts_and_exact_scores(tmp_path: Path) -> None:
    keyword = KeywordIndex.create(tmp_path / "kw", ITEMS, glossary=GLOSSARY)
    extra = make_items(120, seed=6, bulletins=40)
    for n in range(40):
        keyword.update([f"b{n % 4}"] if n % 7 == 0 else [], [it for it in extra if it.bulletin_id == f"b{n}"])
    parts = keyword._postings.parts
    assert len(parts) <= 6
    listed = {"postings.json"} | {name for part in parts for name in _part_files(part)}
    assert set(os.listdir(tmp_path / "kw" / "postings")) == listed  # files of merged parts are gone
    alive = {i for i in keyword._postings.row_of}
    final = [it for it in ITEMS + extra if it.id in alive]
    with KeywordIndex.create(tmp_path / "fresh", final, glossary=GLOSSARY) as fresh:
        for query in ["绿色 海洋", "Erik Solheim", '"清洁能源"', "联盟"]:
            a, b = keyword.search(query, 500), fresh.search(query, 500)
            assert a.total == b.total
            assert dict(a.hits) == pytest.approx(dict(b.hits), rel=1e-6)
            assert np.all(np.diff([s for _, s in a.hits]) <= 0)
    keyword.close()
