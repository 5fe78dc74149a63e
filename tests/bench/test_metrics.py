"""Ranking metrics (hand-computed values), judgment resolution, and the judged query files' shape."""

from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path

import pytest

import archive
from tests.paths import ROOT

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import judged  # noqa: E402
from bench.metrics import ResolveError, ambiguous_matches, mean, median, mrr, ndcg_at_k, recall_at_k, resolve  # noqa: E402

SAMPLE_JUDGED = ROOT / "tests/judged/sample.jsonl"
SAMPLE_BULLETIN = ROOT / "data/bulletins/brigc-2019-11.txt"
LOG3 = math.log2(3)


# --------------------------------------------------------------------------- metrics


def test_ndcg_ideal_ranking_is_one() -> None:
    assert ndcg_at_k(["a", "b", "c"], {"a": 2, "b": 1, "c": 1}, 10) == pytest.approx(1.0)


def test_ndcg_two_items_swapped() -> None:
    # DCG = 1/log2(2) + 2/log2(3); IDCG = 2/log2(2) + 1/log2(3)
    expected = (1 + 2 / LOG3) / (2 + 1 / LOG3)
    assert ndcg_at_k(["b", "a"], {"a": 2, "b": 1}, 10) == pytest.approx(expected)
    assert expected == pytest.approx(0.8597, abs=1e-4)


def test_ndcg_one_relevant_at_rank_two() -> None:
    assert ndcg_at_k(["x", "a"], {"a": 2}, 10) == pytest.approx(1 / LOG3)


def test_ndcg_cutoff_and_empty_cases() -> None:
    ranked = [f"x{i}" for i in range(10)] + ["a"]
    assert ndcg_at_k(ranked, {"a": 2}, 10) == 0.0
    assert ndcg_at_k(["a"], {}, 10) == 0.0
    assert ndcg_at_k([], {"a": 1}, 10) == 0.0


def test_ndcg_ideal_is_truncated_at_k() -> None:
    # Three relevant items but k=2: a perfect top 2 scores 1.0.
    assert ndcg_at_k(["a", "b"], {"a": 2, "b": 2, "c": 2}, 2) == pytest.approx(1.0)


def test_ndcg_counts_a_repeated_id_once() -> None:
    assert ndcg_at_k(["a", "a"], {"a": 1, "b": 1}, 10) == pytest.approx(1 / (1 + 1 / LOG3))


def test_recall_at_k() -> None:
    gains = {"a": 2, "b": 1, "c": 1}
    assert recall_at_k(["a", "x", "c"], gains, 2) == pytest.approx(1 / 3)
    assert recall_at_k(["a", "x", "c"], gains, 3) == pytest.approx(2 / 3)
    assert recall_at_k(["c", "b", "a"], gains, 10) == 1.0
    assert recall_at_k(["a"], {}, 10) == 0.0


def test_mrr_is_the_reciprocal_rank_of_the_first_relevant() -> None:
    assert mrr(["x", "y", "a"], {"a": 1}) == pytest.approx(1 / 3)
    assert mrr(["b", "a"], {"a": 2, "b": 1}) == 1.0
    assert mrr(["x", "y", "a"], {"a": 1}, k=2) == 0.0
    assert mrr([], {"a": 1}) == 0.0


def test_mean_and_median() -> None:
    assert mean([1.0, 0.0, 0.5]) == pytest.approx(0.5)
    assert math.isnan(mean([]))
    assert median([3.0, 1.0, 2.0]) == 2.0
    assert median([4.0, 1.0, 2.0, 3.0]) == 2.5


# --------------------------------------------------------------------------- resolve

ITEMS = [
    {"id": "n1", "title": "习近平会见马克龙", "text": "中方愿同法方聚焦六大目标，推动共建“一带\n一路”倡议同欧盟对接。"},
    {"id": "q1", "title": "", "text": "建议关注绿色港口、绿色航\n运、循环经济和海洋生物多样性保护。"},
    {"id": "q2", "title": "", "text": "期待与联盟其他合作伙伴共同推动绿色航运、绿色能源和蓝色海洋的发展。"},
    {"id": "e1", "title": "", "text": "会议将于 2019 年 12 月 2-3 日在深圳召开（ＡＢＣ）。"},
]


def test_resolve_ignores_line_breaks_and_spaces() -> None:
    gains = resolve([{"match": "绿色港口、绿色航运、循环", "grade": 2}], ITEMS)
    assert gains == {"q1": 2}
    assert resolve([{"match": "12 月 2-3 日在深圳召开", "grade": 1}], ITEMS) == {"e1": 1}
    assert resolve([{"match": "12月2-3日在深圳召开", "grade": 1}], ITEMS) == {"e1": 1}


def test_resolve_matches_titles_and_nfkc_forms() -> None:
    assert resolve([{"match": "习近平会见马克龙", "grade": 2}], ITEMS) == {"n1": 2}
    assert resolve([{"match": "在深圳召开(ABC)", "grade": 1}], ITEMS) == {"e1": 1}


def test_resolve_keeps_the_best_grade_and_every_matching_item() -> None:
    relevant = [{"match": "绿色航", "grade": 1}, {"match": "绿色港口、绿色航", "grade": 2}]
    assert resolve(relevant, ITEMS) == {"q1": 2, "q2": 1}
    assert ambiguous_matches(relevant, ITEMS) == {"绿色航": ["q1", "q2"]}


def test_resolve_names_the_query_and_the_match_when_nothing_matches() -> None:
    with pytest.raises(ResolveError, match=r"q07.*'不存在的一句话'"):
        resolve([{"match": "不存在的一句话", "grade": 2}], ITEMS, query="q07")


# --------------------------------------------------------------------------- judged files

GOOD = {"id": "q1", "query": "绿色航运", "type": "zh", "filters": {}, "note": "why",
        "relevant": [{"match": "建议关注绿色港口、绿色航", "grade": 2}]}


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"type": "fr"}, "type"),
        ({"query": ""}, "'query'"),
        ({"filters": {"kinds": ["quote"]}}, "unknown filter"),
        ({"filters": {"kind": "quote"}}, "list of strings"),
        ({"filters": {"since": ["2019-11-01"]}}, "non-empty string"),
        ({"relevant": []}, "non-empty list"),
        ({"relevant": [{"match": "建议关注绿色港口、绿色航", "grade": 3}]}, "1 or 2"),
        ({"relevant": [{"match": "短", "grade": 2}]}, "8-20"),
        ({"relevant": [{"match": "建议关注绿色\n港口、绿色航", "grade": 2}]}, "one-line"),
        ({"relevant": [{"match": "建议关注绿色港口、绿色航", "grade": True}]}, "1 or 2"),
        ({"extra": 1}, "unknown fields"),
    ],
)
def test_problems_are_named(change: dict, problem: str) -> None:
    assert judged.problems(GOOD) == []
    found = judged.problems(GOOD | change)
    assert any(problem in p for p in found), found


def test_load_reports_bad_lines_with_their_number(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    path.write_text(json.dumps(GOOD, ensure_ascii=False) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(judged.JudgedFileError, match=r"j.jsonl:2: invalid JSON"):
        judged.load(path)


JUDGED_SETS = [
    pytest.param(SAMPLE_JUDGED, [SAMPLE_BULLETIN], 36, "q", id="sample"),
    pytest.param(ROOT / "tests/judged/corpus.jsonl", sorted((ROOT / "tests/corpus").glob("*.txt")), 30, "c", id="corpus"),
]
MONOLINGUAL_TYPES = {"zh", "en", "cross", "quote"}  # the two sets above cover each of these
# Cross-lingual sets: English questions over Chinese items by kind, and Chinese over English items.
CROSSLINGUAL_SETS = [
    pytest.param(ROOT / "tests/judged/sample_crosslingual.jsonl", [SAMPLE_BULLETIN], 24,
                 {"name", "org", "topic", "quote"}, id="sample-crosslingual"),
    pytest.param(ROOT / "tests/judged/corpus_crosslingual.jsonl", sorted((ROOT / "tests/corpus").glob("*.txt")), 38,
                 {"name", "org", "topic", "quote", "zh-en"}, id="corpus-crosslingual"),
]


@pytest.mark.parametrize(("path", "sources", "at_least", "prefix"), JUDGED_SETS)
def test_judged_file_is_well_formed(path: Path, sources: list[Path], at_least: int, prefix: str) -> None:
    queries = judged.load(path)  # raises on any malformed line
    assert len(queries) >= at_least
    assert {q.type for q in queries} == MONOLINGUAL_TYPES
    assert sum(1 for q in queries if q.filters) >= 4
    assert sum(1 for q in queries if q.type == "quote") >= 4
    assert [q.id for q in queries] == [f"{prefix}{i:02d}" for i in range(1, len(queries) + 1)]


@pytest.mark.parametrize(("path", "sources", "at_least", "types"), CROSSLINGUAL_SETS)
def test_crosslingual_judged_file_is_well_formed(path: Path, sources: list[Path], at_least: int,
                                                 types: set[str]) -> None:
    queries = judged.load(path)  # raises on any malformed line
    assert len(queries) >= at_least and {q.type for q in queries} == types
    assert len({q.id for q in queries}) == len(queries)
    assert set(judged.QUERY_TYPES) == MONOLINGUAL_TYPES | {"name", "org", "topic", "zh-en"}


@pytest.mark.parametrize(("path", "sources", "at_least", "types"), CROSSLINGUAL_SETS)
def test_crosslingual_judgments_each_select_one_item(path: Path, sources: list[Path], at_least: int,
                                                     types: set[str]) -> None:
    """Written from the parsed items: every match selects exactly one item of the archive it is judged on."""
    items = [it.to_dict() for it in archive.read_many(sources).items]
    for q in judged.load(path):
        entries = [{"match": j.match, "grade": j.grade} for j in q.relevant]
        assert len(resolve(entries, items, q.id)) == len(entries), q.id
        assert not ambiguous_matches(entries, items), q.id


@pytest.mark.parametrize(("path", "sources", "at_least", "prefix"), JUDGED_SETS)
def test_judged_matches_are_single_lines_of_the_bulletins(
    path: Path, sources: list[Path], at_least: int, prefix: str
) -> None:
    """Every match is copied from one line of a bulletin and occurs once in the set (no parser needed)."""
    lines = [line for src in sources for line in src.read_text(encoding="utf-8").splitlines()]
    flat = re.sub(r"\s+", "", "".join(lines))
    for q in judged.load(path):
        for j in q.relevant:
            assert any(j.match in line for line in lines), (q.id, j.match)
            assert flat.count(re.sub(r"\s+", "", j.match)) == 1, (q.id, j.match)
