"""The Solr engine's pieces that need no cluster: addresses, filters as fq, keyword plans as Lucene syntax, the
configset (the contract suite in tests/contract runs the engine itself on a real cluster)."""

from __future__ import annotations

import io
import zipfile

import pytest

from index.errors import IndexProblem
from index.interface import Filters
from index.keyword import query as q
from index.keyword.glossary import default_glossary
from index.keyword.planner import plan_postings
from index.solr import collections
from index.solr.location import parse
from index.solr.query import escaped, filter_queries, lucene, postings_lucene, quoted


@pytest.mark.parametrize(("url", "base", "name"), [
    ("solr://127.0.0.1:8983/solr/bulletins", "http://127.0.0.1:8983/solr", "bulletins"),
    ("solr://solr.example.org/solr/news_2026/", "http://solr.example.org:8983/solr", "news_2026"),
    ("solr://h:1/bulletins", "http://h:1", "bulletins"),
])
def test_addresses(url: str, base: str, name: str) -> None:
    where = parse(url)
    assert (where.base, where.name) == (base, name)


@pytest.mark.parametrize("url", ["solr://", "solr:///solr/x", "http://h/solr/x", "solr://h:1/solr/bad name"])
def test_a_bad_address_names_the_form(url: str) -> None:
    with pytest.raises(IndexProblem, match="use solr://HOST:PORT/solr/NAME"):
        parse(url)


def test_filters_as_fq() -> None:
    fq = filter_queries(Filters(kinds=("news", 'say "hi"'), speakers=("索尔海姆",), since="2019-11", until="2019",
                                org="世界 资源(研究)"))
    assert fq == ['kind:("news" OR "say \\"hi\\"")', 'speaker:("索尔海姆")', "speaker_title:*世界\\ 资源\\(研究\\)*",
                  "date_start:[* TO *]", 'date_end:["2019-11" TO *]', 'date_start:[* TO "2019-99-99"]']
    assert filter_queries(Filters()) == []


def test_values_are_quoted_and_escaped() -> None:
    assert quoted('a "b" \\c') == '"a \\"b\\" \\\\c"'
    assert escaped("a:b*c d") == "a\\:b\\*c\\ d"


def test_query_trees_in_lucene_syntax() -> None:
    tree = q.AndNot(q.And((q.Term("title", "海洋", 2.0), q.Phrase("text", ("一带", "一路")))), q.Term("kind", "event"))
    assert lucene(tree) == '(+(+kw_title:"海洋"^2 +kw_text:"一带 一路") -kw_kind:"event")'
    assert lucene(q.Or((q.Prefix("date", "2019"), q.Not(q.Term("lang", "en"))))) == \
        '(kw_date:2019* (*:* -kw_lang:"en"))'
    assert lucene(q.Unsupported("require")) is None and lucene(None) is None


def test_a_plain_query_is_every_unit_then_any_with_phrases_always_required() -> None:
    plan = plan_postings('海洋 治理 "一带一路"', default_glossary())
    strict, loose = postings_lucene(plan)
    assert strict.count("+(") == 3 and loose is not None and loose.startswith("(+(")
    assert 'kw_title:"一带一路"^2' in strict and 'kw_title:"一带一路"^2' in loose
    assert postings_lucene(plan_postings("海洋", default_glossary()))[1] is None  # one unit: no loose query


def test_the_configset_carries_the_model_dimension() -> None:
    with zipfile.ZipFile(io.BytesIO(collections._zip(384))) as zipped:
        schema = zipped.read("schema.xml").decode()
        assert sorted(zipped.namelist()) == ["schema.xml", "solrconfig.xml"]
    assert 'vectorDimension="384"' in schema and "@DIM@" not in schema
    assert collections.configset_name(384).endswith("-d384") and collections.configset_name(512).endswith("-d512")
