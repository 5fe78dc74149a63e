"""Baselines (whoosh + jieba, bm25s + jieba), their pre-filtering, and the quality script's plumbing.

Everything runs on a tiny inline item list; the engine is replaced by fake `bulletins` commands.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import pytest

from tests.paths import ROOT

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import quality  # noqa: E402
from bench.baselines import BASELINES, Bm25sJieba, WhooshJieba, filter_items, jieba_tokens  # noqa: E402
from bench.judged import JudgedQuery, Judgment  # noqa: E402

ITEMS: list[dict] = [
    {"id": "a", "kind": "quote", "section": "观点与动态", "speaker": "索尔海姆", "date": "2019-10-23", "lang": "zh",
     "title": "", "text": "对于海上丝绸之路的绿色化，建议关注绿色港口、绿色航运、循环经济和海洋生物多样性保护。"},
    {"id": "b", "kind": "news", "section": "绿色丝路新闻", "source": "新华网", "date": "2019-11-06", "lang": "zh",
     "title": "习近平会见马克龙", "text": "中方愿同法方推动共建“一带一路”倡议同欧盟欧亚互联互通战略对接。"},
    {"id": "c", "kind": "event", "section": "活动预告", "date": "2019-12-02", "date_end": "2019-12-03", "lang": "zh",
     "title": "", "text": "联盟合作伙伴年度交流会将于2019年12月2-3日在深圳召开。"},
    {"id": "d", "kind": "news", "section": "News", "source": "Xinhua", "date": "2020-05-01", "lang": "en",
     "title": "Green finance guidelines", "text": "Banks adopted green finance guidelines for overseas investment."},
    {"id": "e", "kind": "about", "section": "", "date": "", "lang": "zh",
     "title": "", "text": "“一带一路”绿色发展国际联盟由生态环境部与中外合作伙伴共同发起成立。"},
]


# --------------------------------------------------------------------------- baselines


def test_jieba_tokens_drop_punctuation_and_lowercase() -> None:
    tokens = jieba_tokens("绿色航运、Green Finance！")
    assert "、" not in tokens and "！" not in tokens
    assert "green" in tokens and "finance" in tokens


@pytest.mark.parametrize("factory", list(BASELINES.values()), ids=list(BASELINES))
@pytest.mark.parametrize(
    ("query", "best"),
    [("绿色航运", "a"), ("马克龙", "b"), ("深圳 年度交流会", "c"), ("green finance", "d"), ("发起成立", "e")],
)
def test_baselines_rank_the_obvious_item_first(factory: type, query: str, best: str) -> None:
    assert factory(ITEMS).search(query, 3)[0] == best


@pytest.mark.parametrize("factory", list(BASELINES.values()), ids=list(BASELINES))
def test_baselines_return_only_matching_items_and_respect_k(factory: type) -> None:
    ranker = factory(ITEMS)
    assert ranker.search("火星探测器", 10) == []
    assert ranker.search("", 10) == []
    assert len(ranker.search("绿色 联盟 一带一路 green", 2)) == 2


@pytest.mark.parametrize("factory", [WhooshJieba, Bm25sJieba])
def test_baselines_accept_an_empty_item_set(factory: type) -> None:
    assert factory([]).search("绿色", 10) == []


@pytest.mark.parametrize(
    ("filters", "ids"),
    [
        ({}, ["a", "b", "c", "d", "e"]),
        ({"kind": ["quote"]}, ["a"]),
        ({"kind": ["quote", "event"]}, ["a", "c"]),
        ({"section": ["绿色丝路新闻"]}, ["b"]),
        ({"source": "新华网"}, ["b"]),
        ({"speaker": "索尔海姆"}, ["a"]),
        ({"lang": "en"}, ["d"]),
        ({"since": "2019-11-01"}, ["b", "c", "d"]),
        ({"until": "2019-11"}, ["a", "b"]),
        ({"since": "2019-12-03", "until": "2019-12-31"}, ["c"]),  # the event span overlaps
        ({"since": "2019-11-01", "kind": ["news"]}, ["b", "d"]),
    ],
)
def test_filter_items(filters: dict, ids: list[str]) -> None:
    assert [it["id"] for it in filter_items(ITEMS, filters)] == ids


def test_filter_items_rejects_unknown_filters() -> None:
    with pytest.raises(ValueError, match="unknown filter"):
        filter_items(ITEMS, {"colour": "green"})


# --------------------------------------------------------------------------- quality plumbing


def jq(qid: str, query: str, match: str, filters: dict | None = None, qtype: str = "zh") -> JudgedQuery:
    return JudgedQuery(qid, query, qtype, (Judgment(match, 2),), filters or {}, "note")


QUERIES = [
    jq("q1", "绿色航运", "建议关注绿色港口、绿色航运"),
    jq("q2", "一带一路", "推动共建“一带一路”倡议", {"kind": ["news"]}),
    jq("q3", "green finance", "Banks adopted green finance", qtype="en"),
]


def test_filter_args_repeat_list_options() -> None:
    assert quality.filter_args({"kind": ["quote", "event"], "since": "2019-11-01"}) == [
        "--kind", "quote", "--kind", "event", "--since", "2019-11-01"]
    assert quality.filter_args({}) == []


def test_queries_are_batched_per_filter_set() -> None:
    groups = quality.by_filters(QUERIES)
    assert [[q.id for q in g] for g in groups] == [["q1", "q3"], ["q2"]]


def test_baseline_runs_score_on_the_tiny_corpus() -> None:
    gains, errors = quality.resolve_all(QUERIES, ITEMS)
    assert errors == [] and gains["q2"] == {"b": 2}
    result = quality.run_baseline("bm25s+jieba", Bm25sJieba, QUERIES, ITEMS, 10)
    assert result.error == ""
    assert result.runs["q2"].ranked == ["b"]  # pre-filtered to news: the about text 'e' cannot appear
    assert quality.score(result.runs["q1"], gains["q1"], 10).ndcg == 1.0


def _fake_cli(tmp_path: Path, body: str) -> list[str]:
    script = tmp_path / "fake_bulletins.py"
    script.write_text(textwrap.dedent(body), encoding="utf-8")
    return [sys.executable, str(script)]


NOT_BUILT = """
    import sys
    sys.stderr.write("bulletins search: 'search' is not built yet\\n")
    sys.exit(2)
"""

# Answers every query with items 'd' then 'a', and records the arguments it was given.
ANSWERS = """
    import json, sys
    args = sys.argv[1:]
    with open(__file__ + ".calls", "a") as log:
        log.write(json.dumps(args) + "\\n")
    queries = open(args[args.index("--queries") + 1], encoding="utf-8").read().splitlines()
    for q in queries:
        hits = [{"id": "a", "rank": 2, "score": 0.5}, {"id": "d", "rank": 1, "score": 0.9}]
        print(json.dumps({"query": q, "took_ms": 4.0, "hits": hits}))
"""


def test_engine_not_built_is_reported_not_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(quality, "bulletins_cmd", lambda: _fake_cli(tmp_path, NOT_BUILT))
    result = quality.run_engine("keyword", ["--mode", "keyword"], QUERIES, None, 10)
    assert "exited 2" in result.error and "not built yet" in result.error


def test_engine_batches_parse_ranks_and_pass_filters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cmd = _fake_cli(tmp_path, ANSWERS)
    monkeypatch.setattr(quality, "bulletins_cmd", lambda: cmd)
    result = quality.run_engine("hybrid", ["--mode", "hybrid"], QUERIES, "/tmp/ix", 10)
    assert result.error == ""
    assert result.runs["q3"] == quality.QueryRun(["d", "a"], 4.0)
    calls = [json.loads(line) for line in Path(cmd[1] + ".calls").read_text().splitlines()]
    assert len(calls) == 2  # one batch without filters, one with --kind news
    assert all(c[:1] == ["search"] and "--json" in c and c[c.index("--index"):][:2] == ["--index", "/tmp/ix"]
               for c in calls)
    assert calls[1][-2:] == ["--kind", "news"]


def test_main_writes_the_table_and_reports_unavailable_modes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(quality, "bulletins_cmd", lambda: _fake_cli(tmp_path, NOT_BUILT))
    items = tmp_path / "items.jsonl"
    items.write_text("".join(json.dumps(it, ensure_ascii=False) + "\n" for it in ITEMS), encoding="utf-8")
    judged = tmp_path / "j.jsonl"
    rows = [{"id": q.id, "query": q.query, "type": q.type, "filters": q.filters, "note": "n",
             "relevant": [{"match": q.relevant[0].match, "grade": 2}]} for q in QUERIES]
    judged.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "quality.md"
    code = quality.main(["--judged", str(judged), "--items", str(items), "--out", str(out)])
    assert code == 1
    text = out.read_text(encoding="utf-8")
    assert "| keyword | n/a | n/a | n/a | n/a | unavailable |" in text
    assert "not built yet" in text
    assert "| bm25s+jieba | 1.000 |" in text
    assert "unavailable" in capsys.readouterr().err


def test_main_stops_on_a_judgment_that_finds_no_item(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    items = tmp_path / "items.jsonl"
    items.write_text(json.dumps(ITEMS[0], ensure_ascii=False) + "\n", encoding="utf-8")
    judged = tmp_path / "j.jsonl"
    row = {"id": "q9", "query": "x", "type": "zh", "filters": {}, "note": "n",
           "relevant": [{"match": "这句话不在任何条目里", "grade": 2}]}
    judged.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    code = quality.main(["--judged", str(judged), "--items", str(items), "--out", str(tmp_path / "o.md"),
                         "--no-engine"])
    assert code == 2
    assert "q9" in capsys.readouterr().err
