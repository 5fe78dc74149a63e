"""Numpy postings: the plain-word path agrees with whoosh; strict/loose, filters, update, parts, files."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.model import Item
from index.keyword.engine import KeywordIndex, KeywordIndexError, KeywordResult
from index.keyword.glossary import load_glossary
from index.keyword.planner import plan_postings
from index.keyword.postings import Clause, PostingsIndex, top_k
from index.keyword.postings_parts import Doc, PostingsError
from tests.paths import ROOT

GLOSSARY = load_glossary(ROOT / "data" / "glossary.csv")

# Words whose mixes exercise the clauses: glossary forms (both ways, several tokens), Chinese words found
# inside longer words (bigram field), English phrases, function words, titles, speakers, sources, places.
ZH = ["一带一路", "绿色", "发展", "海洋", "伙伴关系", "生物多样性", "多样性", "联盟", "国合会", "索尔海姆",
      "绿色金融", "奥斯陆", "的", "合作", "丝绸之路", "丝路", "清洁能源", "项目"]
EN = ["belt and road", "green", "shipping", "ocean", "partnership", "Solheim", "Erik Solheim", "BRIGC",
      "the", "finance", "Oslo", "Silk Road", "clean energy", "CCICED"]
QUERY_WORDS = ZH + EN + ["一带一路绿色发展国际联盟", "Belt and Road Initiative", "绿色航运", "不存在"]


def make_items(n: int, seed: int, bulletins: int = 3) -> list[Item]:
    rng = random.Random(seed)
    items = []
    for i in range(n):
        en = rng.random() < 0.35
        words = EN if en else ZH
        text = (" " if en else "").join(rng.choice(words) for _ in range(rng.randint(2, 9)))
        title = (" " if en else "").join(rng.choice(words) for _ in range(rng.randint(0, 3)))
        extra = {"speaker": rng.choice(["", "", "索尔海姆", "Erik Solheim"]),
                 "source": rng.choice(["", "新华网", "Xinhua"]), "place": rng.choice(["", "奥斯陆", "Oslo"])}
        items.append(Item(id=f"i{seed}-{i}", bulletin_id=f"b{i % bulletins}", kind="news", title=title, text=text,
                          lang="en" if en else "zh", **extra))
    return items


ITEMS = make_items(40, seed=1)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> KeywordIndex:
    keyword = KeywordIndex.create(tmp_path_factory.mktemp("pk") / "keyword", ITEMS, glossary=GLOSSARY)
    yield keyword
    keyword.close()


def both(index: KeywordIndex, query: str, limit: int, allowed: frozenset[str] | None = None
         ) -> tuple[KeywordResult, KeywordResult]:
    index.use_postings = False
    try:
        old = index.search(query, limit, allowed)
    finally:
        index.use_postings = True
    return old, index.search(query, limit, allowed)


def assert_same_matches(old: KeywordResult, new: KeywordResult, limit: int) -> None:
    assert new.total == old.total
    assert new.complete == old.complete
    assert new.terms == old.terms and new.notice == old.notice
    assert {i for i, _ in new.hits[: new.complete]} == {i for i, _ in old.hits[: old.complete]} \
        or old.complete == limit  # a full page of all-words hits: the same set up to score ties
    if old.total <= limit:
        assert {i for i, _ in new.hits} == {i for i, _ in old.hits}
    scores = [s for _, s in new.hits]
    assert scores == sorted(scores, reverse=True)


queries = st.lists(st.sampled_from(QUERY_WORDS), min_size=1, max_size=4).map(" ".join)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=queries)
def test_numpy_path_matches_what_whoosh_matches(index: KeywordIndex, query: str) -> None:
    assert plan_postings(query, GLOSSARY) is not None
    old, new = both(index, query, 100)
    assert_same_matches(old, new, 100)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=queries, allowed=st.sets(st.sampled_from([it.id for it in ITEMS]), max_size=25),
       limit=st.integers(min_value=1, max_value=8))
def test_numpy_path_with_filters_and_small_pages(index: KeywordIndex, query: str, allowed: set[str],
                                                 limit: int) -> None:
    old, new = both(index, query, limit, frozenset(allowed))
    assert new.total == old.total and new.complete == old.complete
    assert len(new.hits) == min(limit, new.total)
    assert {i for i, _ in new.hits} <= allowed


@pytest.mark.parametrize("query", ["海洋 AND 绿色", "绿色 OR 海洋", "海洋 -绿色", "(海洋 OR 绿色) 森林", "海洋 NOT 绿色",
                                   "kind:quote 海洋", "bulletin:b1", "lang:en", "date:2019", "id:x", '海洋 AND "绿色"',
                                   '"绿色" OR 海洋', "-\"绿色\" 海洋"])
def test_operators_and_exact_fields_go_to_whoosh(query: str) -> None:
    assert plan_postings(query, GLOSSARY) is None


@pytest.mark.parametrize("query", ["海洋 绿色", "belt and road", "Solheim's green ports", '"unclosed 海洋', "海洋^2",
                                   "(海洋 绿色)",  # parentheses around plain words change nothing
                                   '"一带一路"', "speaker:索尔海姆", 'title:"绿色 金融" 海洋', 'section:观点与动态 "green"'])
def test_words_phrases_and_text_fields_go_to_postings(query: str) -> None:
    assert plan_postings(query, GLOSSARY) is not None


def test_strict_hits_first_then_loose_below_them(tmp_path: Path) -> None:
    items = [Item(id="both", bulletin_id="b", kind="news", title="", text="海洋 伙伴关系"),
             Item(id="one", bulletin_id="b", kind="news", title="海洋 海洋", text="海洋 海洋 海洋"),
             Item(id="none", bulletin_id="b", kind="news", title="", text="森林")]
    with KeywordIndex.create(tmp_path / "kw", items, glossary=GLOSSARY) as keyword:
        result = keyword.search("海洋 伙伴关系", 10)
        assert [i for i, _ in result.hits] == ["both", "one"]
        assert result.complete == 1 and result.total == 2
        assert result.hits[1][1] < result.hits[0][1]
        assert keyword.search("海洋 伙伴关系", 1).hits == result.hits[:1]
        assert keyword.search("海洋 伙伴关系", 1).total == 1  # the page is full of all-words hits


def test_allowed_applies_before_top_k(index: KeywordIndex) -> None:
    everything = index.search("绿色 海洋", 100)
    best = everything.hits[0][0]
    allowed = frozenset(it.id for it in ITEMS) - {best}
    result = index.search("绿色 海洋", 1, allowed)
    assert result.hits[0][0] == everything.hits[1][0]
    assert result.total == everything.complete - 1  # a full page of all-words hits counts only those
    assert index.search("绿色", 5, frozenset({"nope"})).hits == []


def test_update_keeps_postings_in_step_with_whoosh(tmp_path: Path) -> None:
    keyword = KeywordIndex.create(tmp_path / "kw", ITEMS, glossary=GLOSSARY)
    added = make_items(12, seed=2, bulletins=2)  # bulletins b0, b1 again: replaces them
    keyword.update(["b0", "B1"], added + [ITEMS[2]])  # ITEMS[2] (of b2) re-added: replaced, not doubled
    expected = [it for it in ITEMS if it.bulletin_id == "b2"]
    assert keyword.doc_count() == len(expected) + len(added)
    for query in ["绿色 海洋", "belt and road 联盟", "多样性 Solheim", "Oslo", "丝路 the"]:
        assert_same_matches(*both(keyword, query, 100), 100)
    keyword.close()
    with KeywordIndex.open(tmp_path / "kw", glossary=GLOSSARY) as reopened:
        fresh = KeywordIndex.create(tmp_path / "fresh", expected + added, glossary=GLOSSARY)
        for query in ["绿色 海洋", "Erik Solheim", "生物多样性 清洁能源"]:
            a, b = reopened.search(query, 100), fresh.search(query, 100)
            assert a.total == b.total and {i for i, _ in a.hits} == {i for i, _ in b.hits}
            assert np.allclose(sorted(s for _, s in a.hits), sorted(s for _, s in b.hits), rtol=1e-5)
        fresh.close()


def test_postings_disagreeing_with_whoosh_is_a_clear_error(tmp_path: Path) -> None:
    KeywordIndex.create(tmp_path / "kw", ITEMS, glossary=GLOSSARY).close()
    KeywordIndex.create(tmp_path / "other", ITEMS[:3], glossary=GLOSSARY).close()
    shutil.rmtree(tmp_path / "kw" / "postings")
    shutil.copytree(tmp_path / "other" / "postings", tmp_path / "kw" / "postings")
    with pytest.raises(KeywordIndexError, match="disagree"):
        KeywordIndex.open(tmp_path / "kw")
    (tmp_path / "kw" / "postings" / "p1.text.docs.npy").write_bytes(b"garbage")
    with pytest.raises(KeywordIndexError, match="rebuild"):
        KeywordIndex.open(tmp_path / "kw")


# -- the numpy module on its own ---------------------------------------------------------------------

DOCS = [Doc("a", "g1", {"text": ["green", "belt", "and", "road", "green"]}),
        Doc("b", "g1", {"text": ["road", "and", "belt"]}),
        Doc("c", "g2", {"text": ["belt", "and", "road"], "title": ["road"]})]


def test_phrase_needs_adjacent_tokens_in_order() -> None:
    index = PostingsIndex.build(DOCS, {"text": True, "title": True})
    rows, _ = index.clause(Clause("text", ("belt", "and", "road")))
    assert [index.ids[r] for r in rows] == ["a", "c"]
    rows, _ = index.clause(Clause("text", ("belt", "and", "road"), phrase=False))
    assert [index.ids[r] for r in rows] == ["a", "b", "c"]
    rows, scores = index.clause(Clause("text", ("green",), 2.0))
    assert [index.ids[r] for r in rows] == ["a"] and scores[0] > 0


def same_clauses(a: PostingsIndex, b: PostingsIndex, clauses: list[Clause]) -> None:
    """Equal matches (as item ids, in row order) and scores: deleted rows and parts change nothing."""
    for clause in clauses:
        (r1, s1), (r2, s2) = a.clause(clause), b.clause(clause)
        assert [a.ids[r] for r in r1] == [b.ids[r] for r in r2], clause
        assert np.allclose(s1, s2, rtol=1e-6), clause


def test_save_load_and_update_equal_a_fresh_build(tmp_path: Path) -> None:
    index = PostingsIndex.build(DOCS, {"text": True, "title": False})
    index.save(tmp_path / "p")
    loaded = PostingsIndex.load(tmp_path / "p")
    new = Doc("d", "g3", {"text": ["new", "road", "and", "belt"], "title": ["belt"]})
    updated = loaded.updated(["g1"], [new, Doc("c", "g2", {"text": ["road"]})])
    fresh = PostingsIndex.build([new, Doc("c", "g2", {"text": ["road"]})], {"text": True, "title": False})
    assert [updated.ids[r] for r in sorted(updated.row_of.values())] == ["d", "c"] == fresh.ids
    same_clauses(updated, fresh, [Clause("text", ("road",)), Clause("text", ("road", "and", "belt")),
                                  Clause("title", ("belt",)), Clause("text", ("green",)), Clause("title", ("road",))])


def random_docs(n: int, seed: int, groups: int) -> list[Doc]:
    rng = random.Random(seed)
    words = ["belt", "road", "and", "green", "ocean", "绿色", "海洋", "一带", "带一", "一路"]
    return [Doc(f"d{seed}-{i}", f"g{i % groups}", {"text": [rng.choice(words) for _ in range(rng.randint(0, 12))],
                                                  "title": [rng.choice(words) for _ in range(rng.randint(0, 3))]})
            for i in range(n)]


CLAUSES = [Clause("text", ("road",)), Clause("text", ("belt", "and", "road")), Clause("title", ("green", "ocean")),
           Clause("text", ("一带", "带一", "一路")), Clause("text", ("一带", "一路"), phrase=False),
           Clause("title", ("海洋",), 2.0), Clause("text", ("absent",)), Clause("text", ("road", "road"))]


def test_parts_with_deletions_score_like_one_fresh_index(tmp_path: Path) -> None:
    positional = {"text": True, "title": False}
    index, docs = PostingsIndex.build(random_docs(200, 1, 10), positional), {}
    docs.update((d.id, d) for d in random_docs(200, 1, 10))
    for step in range(25):
        gone = [f"g{step % 10}"] if step % 3 == 0 else []
        add = random_docs(8, 100 + step, 10) + ([random_docs(200, 1, 10)[step]] if step % 4 == 0 else [])
        index = index.updated(gone, add)
        docs = {i: d for i, d in docs.items() if d.group not in gone and i not in {a.id for a in add}}
        docs.update((d.id, d) for d in add)
        if step % 5 == 4:
            index.save(tmp_path / "p")
            index = PostingsIndex.load(tmp_path / "p")
    live = sorted(index.row_of.items(), key=lambda kv: kv[1])
    assert [i for i, _ in live] == list(docs) and len(index) == len(docs)
    assert len(index.parts) <= 6
    same_clauses(index, PostingsIndex.build(docs.values(), positional), CLAUSES)


def test_save_writes_new_files_only(tmp_path: Path) -> None:
    index = PostingsIndex.build(random_docs(50, 2, 5), {"text": True, "title": False})
    index.save(tmp_path / "p")
    before = {p.name: (p.stat().st_ino, p.read_bytes()) for p in (tmp_path / "p").iterdir()}
    loaded = PostingsIndex.load(tmp_path / "p")
    loaded.updated(["g1"], random_docs(3, 3, 1)).save(tmp_path / "p")
    after = {p.name: (p.stat().st_ino, p.read_bytes()) for p in (tmp_path / "p").iterdir()}
    unchanged = {name for name in before if name != "postings.json"}
    assert all(after[name] == before[name] for name in unchanged)  # the big part stays as it was
    assert after["postings.json"][0] != before["postings.json"][0]  # replaced by a rename, not rewritten
    assert len(after) > len(before)  # a new part and a deletion file


def test_load_refuses_damaged_folders(tmp_path: Path) -> None:
    with pytest.raises(PostingsError):
        PostingsIndex.load(tmp_path / "absent")


def test_top_k_is_best_first_with_ties_by_row() -> None:
    scores = np.array([1.0, 3.0, 3.0, 2.0, 5.0], dtype=np.float32)
    mask = np.array([True, True, True, True, False])
    rows, top = top_k(scores, mask, 2)
    assert rows.tolist() == [1, 2] and top.tolist() == [3.0, 3.0]
    assert top_k(scores, mask, 0)[0].tolist() == []
    assert top_k(scores, mask, 10)[0].tolist() == [1, 2, 3, 0]
