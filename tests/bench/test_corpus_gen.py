"""The synthetic corpus generator of the speed benchmark: deterministic, valid items, mixed languages."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import archive
from archive.model import KINDS
from bench import corpus_gen


def test_deterministic_and_prefix_stable() -> None:
    first = list(corpus_gen.generate(90, seed=3))
    assert first == list(corpus_gen.generate(90, seed=3))
    assert first[:45] == list(corpus_gen.generate(45, seed=3))
    assert first != list(corpus_gen.generate(90, seed=4))


def test_fields_valid_and_languages_mixed() -> None:
    items = list(corpus_gen.generate(300, seed=7))
    assert len({it.id for it in items}) == len(items)
    assert Counter(it.lang for it in items).keys() == {"zh", "en"}
    assert min(Counter(it.lang for it in items).values()) > 30
    for it in items:
        assert it.kind in KINDS and it.title and it.section and it.source
        assert 150 <= len(it.text) <= 700
        assert len(it.date) == 10 and (it.date_end == "" or it.date_end > it.date)
        assert bool(it.speaker) == (it.kind == "quote")
    assert len({it.kind for it in items}) >= 4


def test_written_bulletins_parse_back(tmp_path: Path) -> None:
    paths = corpus_gen.write_corpus(tmp_path, 45, seed=1)
    assert [p.name for p in paths] == ["gen-000000.jsonl", "gen-000001.jsonl"]
    parsed = archive.read(paths[0])
    expected = corpus_gen.bulletin_items(1, 0)
    assert [it.id for it in parsed.items] == [it.id for it in expected]
    assert [it.text for it in parsed.items] == [it.text for it in expected]
    assert len(archive.read(paths[1]).items) == 15


def test_queries_mixed() -> None:
    langs = Counter(q.lang for q in corpus_gen.QUERIES)
    assert len(corpus_gen.QUERIES) >= 40 and set(langs) == {"zh", "en", "mixed"}
    assert {q.length for q in corpus_gen.QUERIES} == {"short", "long"}
