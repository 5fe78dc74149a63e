"""Reference keyword rankers built in memory from item dicts, for side-by-side quality runs.

- ``WhooshJieba``: stock whoosh 2.7.4 with jieba's bundled ``jieba.analyse.ChineseAnalyzer`` on title
  (boost 2) and text, queries parsed by whoosh's ``MultifieldParser`` with an OR group (with the default
  AND group most multi-word queries find nothing).
- ``Bm25sJieba``: ``bm25s`` (Lucene BM25 defaults) over jieba tokens (precise mode, lowercased,
  punctuation dropped) of title + text.

Filters: the baselines have no filters of their own, so ``filter_items`` pre-filters the item set
with the engine's own ``Filters.matches`` (``index/search/filters.py``) and a ranker is built per filter set. Ranking the filtered set equals masking before top-k, which is what the engine does.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from types import SimpleNamespace
from typing import Any, Protocol

from archive.model import Item as ModelItem
from index.interface.filters import Filters

Item = Mapping[str, Any]

_WORD = re.compile(r"\w", re.UNICODE)
# judged-file (CLI) filter name -> Filters field
_FILTER_FIELDS = {"section": "sections", "kind": "kinds", "bulletin": "bulletins",
                  "speaker": "speakers", "source": "sources", "lang": "langs"}


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
    """Items passing judged-file filters (CLI option names), judged by the engine's own ``Filters.matches``."""
    engine_filters = _engine_filters(filters)
    return [it for it in items if engine_filters.matches(_as_record(it))]


def _engine_filters(filters: Mapping[str, Any]) -> Filters:
    fields: dict[str, Any] = {}
    for name, value in filters.items():
        if name in ("since", "until"):
            fields[name] = str(value)
        elif name in _FILTER_FIELDS:
            fields[_FILTER_FIELDS[name]] = tuple(value) if isinstance(value, list) else (str(value),)
        else:
            raise ValueError(f"unknown filter {name!r}")
    return Filters(**fields)


def _as_record(item: Item) -> SimpleNamespace:
    """An item dict seen with the attributes ``Filters.matches`` reads ('' where a field is missing)."""
    return SimpleNamespace(**{name: str(item.get(name) or "") for name in ModelItem.field_names()})
