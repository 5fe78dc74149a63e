"""Dictionary-based query translation for the keyword side, with senses chosen by the archive itself.

An English query is also sought as Chinese terms, a Chinese one as English terms. Spans are taken phrase first:
the glossary (it takes precedence: the planner expands it), then the name table, then the longest dictionary
phrase, then single words. Each span's candidate renderings are those of CC-CEDICT that **occur in the archive**;
a capitalised word takes proper-noun renderings first ("China" is 中国, never 瓷器). Candidates are ranked by how
many of the query's other spans they co-occur with in some item (corpus-based disambiguation), then by frequency;
adjacent words whose renderings occur joined in the archive become one phrase (green + shipping -> 绿色航运).
Renderings are weighted below the original words; very general ones get little weight, and a word that matches
nothing in either language is not required. The result also carries a short gloss per Chinese rendering (the
reading aid) and the query's profile (how much of it is names or rare terms), which hybrid fusion uses.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from index.crosslingual.dictionary import Dictionary, DictionaryMissing, load_dictionary
from index.keyword.analysis import Token, analyze, has_cjk, is_cjk
from index.keyword.glossary import Glossary, term_key
from index.keyword.planner import STOP_WORDS, plain_tokens
from index.keyword.query import Rendering

log = logging.getLogger(__name__)

TRANSLATED_BOOST = 0.6  # the best rendering of a word (the original words weigh 1, glossary forms 0.8)
NAME_BOOST = 0.8  # a name from the name table
SECOND_SHARE = 0.6  # the second-best rendering, relative to the best
MAX_RENDERINGS = 2
MAX_CANDIDATES = 8
MAX_PHRASE = 4  # tokens in a dictionary phrase
GENERAL_SHARE = 0.25  # a rendering in more than this share of the items is a general word
RARE_ITEMS = 3  # a rendering in at most this many items is a rare term


class Corpus(Protocol):
    """What translation asks of the archive: which items contain a term (see ``KeywordIndex.rows_with``)."""

    def rows_with(self, text: str) -> np.ndarray: ...

    def doc_count(self) -> int: ...


@dataclass(frozen=True)
class Translation:
    """A query's renderings for the planner, its reading aid and its profile.

    Attributes:
        renderings: Other-language forms per span of the query's plain-word tokens.
        glosses: (Chinese form, English words) pairs: what a matched Chinese term means in the query's words.
        direction: ``"en-zh"``, ``"zh-en"`` or '' (nothing translated).
        name_share: Share of the query's content spans that are names or rare terms (0..1).
        spans: Number of content spans (words and phrases other than function words).
    """

    renderings: tuple[Rendering, ...] = ()
    glosses: tuple[tuple[str, str], ...] = ()
    direction: str = ""
    name_share: float = 0.0
    spans: int = 0


@dataclass
class _Span:
    start: int
    end: int
    source: str  # the words as typed
    candidates: list[str] = field(default_factory=list)
    boost: float = TRANSLATED_BOOST
    named: bool = False  # glossary or name table: a name or term, not translated here


@dataclass
class Translator:
    """Translates queries against one archive (its keyword index) with a dictionary, glossary and name table."""

    corpus: Corpus
    glossary: Glossary
    names: Glossary = field(default_factory=Glossary)
    dictionary: Dictionary | None = None

    def translate(self, query: str) -> Translation:
        """The renderings of a query of plain words ('' direction when there is nothing to translate)."""
        tokens = analyze(query)
        plain = plain_tokens(query)
        if not tokens or plain != [t.text for t in tokens]:
            return Translation()
        dictionary = self._dictionary()
        if dictionary is None:
            return Translation()
        direction = "zh-en" if has_cjk(query) else "en-zh"
        spans = _Segmenter(self, dictionary, query, tokens, direction).spans()
        self._choose(spans, direction)
        return self._result(spans, direction)

    def _dictionary(self) -> Dictionary | None:
        if self.dictionary is None:
            try:
                self.dictionary = load_dictionary()
            except DictionaryMissing as exc:
                log.warning("%s", exc)
                return None
        return self.dictionary

    def occurs(self, text: str) -> int:
        """Number of items containing a term."""
        return len(self.corpus.rows_with(text))

    def _choose(self, spans: list[_Span], direction: str) -> None:
        """Rank each span's candidates by co-occurrence with the other spans, then by frequency; join phrases."""
        _join_phrases(self, spans, direction)
        rows = {c: self.corpus.rows_with(c) for s in spans for c in s.candidates}
        for span in spans:
            others = [s for s in spans if s is not span and s.candidates]
            span.candidates.sort(key=lambda c: (-_agreement(rows[c], others, rows), -len(rows[c]), len(c)))

    def _result(self, spans: list[_Span], direction: str) -> Translation:
        size = max(self.corpus.doc_count(), 1)
        renderings, glosses = [], []
        for span in spans:
            if span.named:
                glosses += [(f, span.source) for f in self._named_forms(span) if is_cjk(f.replace(" ", ""))]
                continue
            forms = []
            for rank, text in enumerate(span.candidates[:MAX_RENDERINGS]):
                boost = span.boost * (SECOND_SHARE if rank else 1.0) * _specificity(self.occurs(text) / size)
                forms.append((tuple(t.text for t in analyze(text)), round(boost, 4)))
                if direction == "en-zh":
                    glosses.append((text, span.source))
            unmatched = direction == "en-zh" and not forms and not self.occurs(span.source)
            if forms or unmatched:
                renderings.append(Rendering(span.start, span.end, tuple(forms), drop=unmatched))
        named = sum(1 for s in spans if s.named or _rare(self, s))
        return Translation(tuple(renderings), tuple(dict.fromkeys(glosses)), direction,
                           named / len(spans) if spans else 0.0, len(spans))

    def _named_forms(self, span: _Span) -> set[str]:
        key = span.source
        return self.glossary.expansions(key) | self.names.expansions(key)


def _rare(translator: Translator, span: _Span) -> bool:
    """A span whose best rendering (or, untranslated, the words themselves) occurs in few items."""
    best = span.candidates[0] if span.candidates else span.source
    return 0 < translator.occurs(best) <= RARE_ITEMS


def _agreement(rows: np.ndarray, others: list[_Span], table: dict[str, np.ndarray]) -> int:
    """Number of other spans with a candidate found in some item together with this one."""
    return sum(1 for s in others if any(len(np.intersect1d(rows, table[c], assume_unique=True))
                                        for c in s.candidates[:MAX_CANDIDATES]))


def _specificity(share: float) -> float:
    """Weight factor of a rendering found in ``share`` of the items: 1 when specific, down to 0.1 when general."""
    if share <= GENERAL_SHARE:
        return 1.0
    return max(0.1, 1.0 - (share - GENERAL_SHARE) * 2)


def _join_phrases(translator: Translator, spans: list[_Span], direction: str) -> None:
    """Adjacent single-word spans whose renderings occur joined in the archive become one phrase span."""
    glue = "" if direction == "en-zh" else " "
    i = 0
    while i + 1 < len(spans):
        a, b = spans[i], spans[i + 1]
        joined = [x + glue + y for x in a.candidates[:4] for y in b.candidates[:4]] if a.end == b.start else []
        found = sorted(((translator.occurs(j), j) for j in joined), reverse=True)
        if found and found[0][0] > 0:
            spans[i : i + 2] = [_Span(a.start, b.end, f"{a.source} {b.source}", [j for n, j in found if n > 0],
                                      min(a.boost, b.boost))]
        i += 1


@dataclass
class _Segmenter:
    """Cuts a query's tokens into spans, phrase first, each with its candidate renderings."""

    translator: Translator
    dictionary: Dictionary
    query: str
    tokens: Sequence[Token]
    direction: str

    def spans(self) -> list[_Span]:
        texts = [t.text for t in self.tokens]
        spans, i = [], 0
        while i < len(texts):
            span = self._span_at(texts, i)
            if span is not None:
                spans.append(span)
            i = span.end if span is not None else i + 1
        return spans

    def _span_at(self, texts: list[str], i: int) -> _Span | None:
        for table in (self.translator.glossary, self.translator.names):
            size, _ = table.match(texts, i)
            if size:
                return _Span(i, i + size, term_key(texts[i : i + size]), named=True,
                             boost=NAME_BOOST if table is self.translator.names else TRANSLATED_BOOST)
        if texts[i] in STOP_WORDS or (self.direction == "zh-en") != is_cjk(texts[i]):
            return None
        for end in range(min(len(texts), i + MAX_PHRASE), i, -1):
            candidates = self._candidates(texts[i:end], i)
            if candidates:
                return _Span(i, end, term_key(texts[i:end]), candidates)
        return _Span(i, i + 1, texts[i])

    def _candidates(self, words: list[str], start: int) -> list[str]:
        """Renderings of some words that occur in the archive (proper nouns first for a capitalised word)."""
        if self.direction == "zh-en":
            found = [g for g in self.dictionary.english("".join(words)) if " " not in g or len(g.split()) <= 3]
        else:
            entries = self.dictionary.chinese(" ".join(words))
            capital = self.query[self.tokens[start].start].isupper()
            proper = [z for z, p in entries if p] if capital else []
            found = [z for z, p in entries if p or not proper]
        kept = [c for c in dict.fromkeys(found) if self.translator.occurs(c)]
        words = [c for c in kept if len(c) > 1 or not is_cjk(c)]  # one character: only to join or as a last resort
        return (words + [c for c in kept if c not in words])[:MAX_CANDIDATES]
