"""The keyword engine: analysis (Chinese/English), glossary, numpy postings, the whoosh adapter."""

from __future__ import annotations


def __getattr__(name: str) -> object:
    """Indexes written while the engine was one module ``index/keyword.py`` name their tokenizer
    ``index.keyword.AnalysisTokenizer`` in whoosh's pickled schema; resolve it so they still open."""
    if name == "AnalysisTokenizer":
        from index.keyword.whoosh_adapter import AnalysisTokenizer

        return AnalysisTokenizer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
