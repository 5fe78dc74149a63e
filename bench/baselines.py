"""Reference keyword rankers built in memory from item dicts, for side-by-side quality runs.

- ``WhooshJieba``: stock whoosh 2.7.4 with jieba's bundled ``jieba.analyse.ChineseAnalyzer`` on title
  (boost 2) and text, queries parsed by whoosh's ``MultifieldParser`` with an OR group (with the default
  AND group most multi-word queries find nothing).
- ``Bm25sJieba``: ``bm25s`` (Lucene BM25 defaults) over jieba tokens (precise mode, lowercased,
  punctuation dropped) of title + text.

Filters: the baselines have no filters of their own, so ``filter_items`` pre-filters the item set
with the same meaning as the engine's filters (``index/filters.py``: exact values, date spans overlapping
``[since, until]``, undated items excluded when a date bound is given) and a ranker is built per
filter set. Ranking the filtered set equals masking before top-k, which is what the engine does.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

Item = Mapping[str, Any]

_WORD = re.compile(r"\w", re.UNICODE)
_FILTER_FIELDS = {"section": "section", "kind": "kind", "bulletin": "bulletin_id",
                  "speaker": "speaker", "source": "source", "lang": "lang"}


class Ranker(Protocol):
    def search(self, query: str, k: int) -> list[str]:
        """Item ids, best first, at most ``k``; only items that match at all."""
        ...


def _quiet_jieba() -> None:
    import jieba

    jieba.setLogLevel(logging.WARNING)


def jieba_tokens(text: str) -> list[str]:
    """jieba precise-mode tokens, lowercased, whitespace and punctuation dropped."""
    import jieba

    _quiet_jieba()
    return [t.lower() for t in jieba.lcut(text) if _WORD.search(t)]


class Bm25sJieba:
    """BM25 (bm25s) over jieba tokens of title + text."""

    def __init__(self, items: Sequence[Item]) -> None:
        import bm25s

        self.ids = [str(it["id"]) for it in items]
        self.model = bm25s.BM25()
        if self.ids:
            corpus = [jieba_tokens(f"{it.get('title', '')}\n{it.get('text', '')}") for it in items]
            self.model.index(corpus, show_progress=False)

    def search(self, query: str, k: int) -> list[str]:
        tokens = jieba_tokens(query)
        if not (tokens and self.ids):
            return []
        scores = self.model.get_scores(tokens)
        order = sorted(range(len(self.ids)), key=lambda i: (-scores[i], i))
        return [self.ids[i] for i in order[:k] if scores[i] > 0]


class WhooshJieba:
    """whoosh 2.7.4 in RAM with jieba's stock ChineseAnalyzer, OR-grouped multifield queries."""

    def __init__(self, items: Sequence[Item]) -> None:
        from jieba.analyse import ChineseAnalyzer
        from whoosh.fields import ID, TEXT, Schema
        from whoosh.filedb.filestore import RamStorage
        from whoosh.qparser import MultifieldParser, OrGroup

        _quiet_jieba()
        analyzer = ChineseAnalyzer()
        schema = Schema(id=ID(stored=True, unique=True), title=TEXT(analyzer=analyzer, field_boost=2.0),
                        text=TEXT(analyzer=analyzer))
        self.index = RamStorage().create_index(schema)
        with self.index.writer() as writer:
            for it in items:
                writer.add_document(id=str(it["id"]), title=str(it.get("title", "")), text=str(it.get("text", "")))
        self.parser = MultifieldParser(["title", "text"], schema, group=OrGroup)
        self.searcher = self.index.searcher()

    def search(self, query: str, k: int) -> list[str]:
        try:
            parsed = self.parser.parse(query)
        except Exception:  # whoosh's parser is lenient; a failure here means no hits, not a crash
            return []
        return [hit["id"] for hit in self.searcher.search(parsed, limit=k)]

    def close(self) -> None:
        self.searcher.close()


BASELINES: dict[str, type[Bm25sJieba] | type[WhooshJieba]] = {
    "whoosh+jieba": WhooshJieba,
    "bm25s+jieba": Bm25sJieba,
}


def filter_items(items: Sequence[Item], filters: Mapping[str, Any]) -> list[Item]:
    """Items passing judged-file filters (CLI option names), with the engine's filter semantics."""
    return [it for it in items if _passes(it, filters)]


def _passes(item: Item, filters: Mapping[str, Any]) -> bool:
    for name, value in filters.items():
        if name in _FILTER_FIELDS:
            allowed = value if isinstance(value, list) else [value]
            if str(item.get(_FILTER_FIELDS[name], "")) not in allowed:
                return False
        elif name not in ("since", "until"):
            raise ValueError(f"unknown filter {name!r}")
    return _date_ok(item, filters.get("since", ""), filters.get("until", ""))


def _date_ok(item: Item, since: str, until: str) -> bool:
    if not (since or until):
        return True
    start = str(item.get("date") or "")
    if not start:
        return False
    end = str(item.get("date_end") or start)
    if since and end < since:
        return False
    return not (until and start > _end_of(until))


def _end_of(until: str) -> str:
    """Make a partial date ('2019' or '2019-11') inclusive of its whole period."""
    return until + "-99-99"[len(until) - 4 :] if len(until) < 10 else until
