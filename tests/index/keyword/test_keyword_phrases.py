"""Quoted phrases and ``textfield:value`` in numpy postings: the same hits, order and scores as whoosh.

Differential: every query runs on the postings path and on whoosh (``use_postings = False``) over the
evaluation corpus and the sample bulletin; phrases are cut from the items themselves (Chinese substrings that
cross word boundaries, English word runs), with and without a field prefix and beside plain words.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import archive
from archive.model import Item
from index.keyword.analysis import analyze
from index.keyword.engine import KeywordIndex, KeywordResult
from index.keyword.glossary import load_glossary
from index.keyword.planner import plan_postings
from tests.index.keyword.test_postings import QUERY_WORDS, both, make_items
from tests.paths import ROOT

GLOSSARY = load_glossary(ROOT / "data" / "glossary.csv")
FIELDS = ("title", "text", "speaker", "section", "source", "place", "speaker_title")


def corpus_items() -> list[Item]:
    items: dict[str, Item] = {}
    for folder in (ROOT / "tests" / "corpus", ROOT / "data" / "bulletins"):
        for path, bulletin in archive.assign_bulletin_ids(archive.discover(folder)).items():
            items.update((it.id, it) for it in archive.read(path, bulletin=bulletin).items)
    return list(items.values())


ITEMS = corpus_items()


def cut(value: str, rng: random.Random) -> str:
    """A piece of a field value: 2-3 English words, or 2-8 characters of Chinese (word boundaries ignored).

    Quotes and -/+ are dropped (they are query syntax).
    """
    words = value.split()
    if len(words) > 3 and value.isascii():
        start = rng.randrange(len(words) - 2)
        piece = " ".join(words[start : start + rng.randint(2, 3)])
    else:
        start = rng.randrange(max(len(value) - 2, 1))
        piece = value[start : start + rng.randint(2, 8)]
    return piece.translate({ord(c): None for c in '"-+'})


def sampled_queries(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = ['"一带一路"', '"绿色发展"', '"绿色 金融"', '"green development"', '"Belt and Road"', 'title:"绿色"',
           '海洋 "一带一路"', '"生态环境部" 合作 绿色', "speaker:索尔海姆", "title:绿色金融 合作", '"BRIGC"', '"，。"',
           'text:"海洋 治理" 伙伴关系', '"不存在的短语"', '"的"', '"ocean" "governance"', 'source:"新华"']
    while len(out) < n:
        item = rng.choice(ITEMS)
        name = rng.choice(FIELDS) if rng.random() < 0.4 else rng.choice(("title", "text", "text"))
        value = getattr(item, name)
        if not value.strip():
            continue
        phrase = f'"{cut(value, rng)}"'
        prefix = f"{name}:" if rng.random() < 0.3 or name not in ("title", "text") else ""
        extra = rng.choice(["", "", "", "绿色", "合作 海洋", "green"])
        out.append(" ".join(x for x in (extra, prefix + phrase) if x) if rng.random() < 0.5
                   else " ".join(x for x in (prefix + phrase, extra) if x))
    return out


QUERIES = sampled_queries(150, seed=7)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> KeywordIndex:
    keyword = KeywordIndex.create(tmp_path_factory.mktemp("phr") / "keyword", ITEMS, glossary=GLOSSARY)
    yield keyword
    keyword.close()


def tie_groups(scores: list[float]) -> list[tuple[int, int]]:
    """Ranges of positions whose scores are equal up to float rounding."""
    groups, start = [], 0
    for i in range(1, len(scores) + 1):
        if i == len(scores) or abs(scores[i] - scores[start]) > 1e-4 * max(abs(scores[start]), 1e-9):
            groups.append((start, i))
            start = i
    return groups


def assert_same_ranking(old: KeywordResult, new: KeywordResult, limit: int) -> None:
    """Same counts and terms; the all-words hits in the same order (up to ties) with the same scores."""
    assert (new.total, new.complete, new.terms, new.notice) == (old.total, old.complete, old.terms, old.notice)
    a, b = old.hits[: old.complete], new.hits[: new.complete]
    assert [s for _, s in b] == pytest.approx([s for _, s in a], rel=1e-4)
    for start, end in tie_groups([s for _, s in a]):
        if end < limit:  # a tie group cut by the limit may hold other equal items
            assert {i for i, _ in a[start:end]} == {i for i, _ in b[start:end]}
    if old.total <= limit:
        assert {i for i, _ in new.hits} == {i for i, _ in old.hits}


def test_the_queries_are_run_by_the_postings() -> None:
    assert all(plan_postings(q, GLOSSARY) is not None for q in QUERIES)


@pytest.mark.parametrize("query", QUERIES)
def test_phrases_rank_as_whoosh_ranks_them(index: KeywordIndex, query: str) -> None:
    assert_same_ranking(*both(index, query, 20), 20)


def test_a_run_of_an_items_words_finds_the_item(index: KeywordIndex) -> None:
    rng = random.Random(3)
    for item in rng.sample([it for it in ITEMS if len(analyze(it.text)) > 4], 40):
        tokens = [t.text for t in analyze(item.text)]
        start = rng.randrange(len(tokens) - 3)
        phrase = " ".join(tokens[start : start + rng.randint(1, 4)])
        assert item.id in {i for i, _ in index.search(f'text:"{phrase}"', 1000).hits}, phrase


def test_phrase_does_not_match_words_apart(index: KeywordIndex) -> None:
    old, new = both(index, '"一带 发展"', 50)
    assert_same_ranking(old, new, 50)
    together, apart = index.search('"绿色 发展"', 1000), index.search("绿色 发展", 1000)
    assert together.total <= apart.complete


# -- random items and phrase queries over the words of tests/index/keyword/test_postings.py -------------------------------

phrase_queries = st.lists(st.tuples(st.sampled_from(["", "", "title:", "text:", "speaker:", "place:"]),
                                    st.lists(st.sampled_from(QUERY_WORDS), min_size=1, max_size=3).map(" ".join),
                                    st.booleans()),
                          min_size=1, max_size=3).map(
    lambda parts: " ".join(f'{prefix}"{words}"' if quoted or prefix else words for prefix, words, quoted in parts))


@pytest.fixture(scope="module")
def random_index(tmp_path_factory: pytest.TempPathFactory) -> KeywordIndex:
    keyword = KeywordIndex.create(tmp_path_factory.mktemp("phr") / "keyword", make_items(80, seed=11),
                                  glossary=GLOSSARY)
    yield keyword
    keyword.close()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=phrase_queries)
def test_random_phrase_queries_rank_as_whoosh(random_index: KeywordIndex, query: str) -> None:
    assert plan_postings(query, GLOSSARY) is not None
    assert_same_ranking(*both(random_index, query, 30), 30)
