"""The keyword index: whoosh with our analyzer. The ONLY module of the project that imports whoosh.

Fields: ``id`` (stored, unique, sortable), word fields ``title``/``text``/``speaker``/``speaker_title``/
``section``/``source``/``place`` (our analyzer, sequential positions), a bigram recall field ``grams``
(title and text), exact fields ``kind``/``bulletin``/``lang`` and a sortable ISO ``date``.

Query syntax: plain words, ``"phrases"``, ``AND``/``OR``/``NOT``/``-term``, parentheses and
``field:value``. Plain words are ANDed first (function words
optional); unless the query uses explicit AND/OR, items matching only some words follow, ORed with a bonus for matching more of them (16 judged
queries over the sample bulletin: P@5 0.93 / R@10 1.00 / MRR 1.00, vs OR only 0.89 / 1.00 / 0.97 and
AND only 0.90 / 0.90 / 0.94). Terms are expanded through the bilingual glossary. A query that cannot be parsed
is searched as plain words, with a notice saying so; nothing here raises on user input.

Plain words, quoted phrases and ``textfield:value`` (no operators, no exact fields: nearly all queries) are not
run through whoosh's matcher trees but scored from numpy postings of the same fields (:mod:`index.keyword.postings`,
saved in ``postings/`` beside whoosh's files and kept in step by ``create``/``update``; every word field and the
bigram field keep positions), with the same units, fields, boosts, glossary expansions and AND-then-OR fill;
every other query is run by whoosh. whoosh's searcher is opened only when such a query comes, and its segments
are written as separate files, not one compound file per segment: opening a reader copied every sub-file of a
compound file into memory (about 630 MB at 100k items; now a few MB).

Files are only ever added, renamed or deleted, never changed in place (whoosh: new segment files, deletions
and the segment list in a new ``_MAIN_<n>.toc``; postings: see :mod:`index.keyword.postings`; a hard-linked lock file
is replaced by one of the folder's own), so ``update`` may run on a folder of hard links to another index's files.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from whoosh import fields as wfields
from whoosh import index as windex
from whoosh import qparser
from whoosh import query as wq
from whoosh.analysis import Token as WhooshToken
from whoosh.analysis import Tokenizer

from archive.model import Item
from index.keyword.analysis import DOMAIN_DICTIONARY, USE_ENV_VOCABULARY, Token, analyze, bigrams, is_cjk
from index.keyword.glossary import Glossary, default_glossary, term_key
from index.keyword.postings import Clause, Doc, PostingsIndex, Unit, top_k

log = logging.getLogger(__name__)

ANALYZER_VERSION = 2
INDEX_FORMAT = 3  # 2: numpy postings beside whoosh's files; 3: postings in parts, positional bigrams,
#                  whoosh segments not compound
POSTINGS_DIR = "postings"
ENGINE_ENV = "BULLETINS_KEYWORD_ENGINE"  # "whoosh": run every query through whoosh (comparisons)
META_FILE = "keyword-analysis.json"
_LOCK_FILE = "MAIN_WRITELOCK"  # whoosh's writer lock (index name MAIN)
NOTICE_SYNTAX = "query syntax not understood; searched as plain words"
NOTICE_ONLY_EXCLUDED = "the query only excludes terms; give at least one word to search for"
TEXT_FIELDS = ("title", "text", "speaker", "speaker_title", "section", "source", "place")
EXACT_FIELDS = ("kind", "bulletin", "lang")
_DEFAULT_FIELDS = (("title", 2.0), ("text", 1.0), ("speaker", 1.5), ("speaker_title", 0.5),
                   ("place", 0.5), ("source", 0.5))
_EXPANSION_FIELDS = (("title", 2.0), ("text", 1.0), ("speaker", 1.5))
_GRAMS, _GRAMS_BOOST = "grams", 0.4
_PART = "\x1f"  # separates title and text in the bigram field
_POSTED = {"title": True, "text": True, "speaker": True, "speaker_title": True, "place": True, "source": True,
           "section": True, _GRAMS: True}  # numpy postings: field -> keep positions (for phrases)
_EXPANSION_BOOST = 0.8
_OR_SCALE = 0.9
_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})
_STOP_WORDS = "的 了 在 和 与 及 是 对 把 被 等 也 都 就 而 或 之 于 以 其 中 有 为 将 " \
    "如何 什么 怎么 怎样 哪些 为什么 是否 关于 " \
    "a an the of and or to in on for with by at is are was were be what how who did do does about"
_STOP = frozenset(_STOP_WORDS.split(" "))


class KeywordIndexError(RuntimeError):
    """The keyword index folder is missing, damaged, or was built with another analyzer."""


@dataclass(frozen=True)
class KeywordResult:
    """Ranked keyword hits.

    Attributes:
        hits: (item id, score), best first, at most ``limit`` long.
        total: Number of matching items (within ``allowed``).
        notice: '' or a plain-words remark about how the query was understood.
        terms: Analysed query terms incl. glossary expansions, for highlighting.
        complete: How many leading hits match the whole query (the rest match only some words).
    """

    hits: list[tuple[str, float]]
    total: int
    notice: str = ""
    terms: tuple[str, ...] = ()
    complete: int = 0


@dataclass(frozen=True)
class QueryPlan:
    """A user query turned into whoosh queries, built apart from running them.

    Attributes:
        strict: Plain words ANDed (None when there is nothing to search for).
        loose: Plain words ORed, tried when ``strict`` finds nothing (None when it would be the same).
        notice: '' or a plain-words remark for the user.
        terms: Terms to highlight.
    """

    strict: wq.Query | None
    loose: wq.Query | None
    notice: str = ""
    terms: tuple[str, ...] = ()


# ----------------------------------------------------------------------------- analysis bridge


class AnalysisTokenizer(Tokenizer):
    """whoosh tokenizer over :func:`index.keyword.analysis.analyze` (``kind='words'``) or ``bigrams``."""

    def __init__(self, kind: str = "words") -> None:
        self.kind = kind

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs: object):
        token = WhooshToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, tok in enumerate(self._tokens(value) if tokenize else [_whole(value)]):
            token.text, token.boost, token.stopped = tok.text, 1.0, False
            if keeporiginal:
                token.original = value[tok.start : tok.end]
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar, token.endchar = start_char + tok.start, start_char + tok.end
            yield token


    def _tokens(self, value: str) -> list[Token]:
        return analyze(value) if self.kind == "words" else _gram_tokens(value)


@lru_cache(maxsize=4)
def _gram_tokens(value: str) -> list[Token]:
    """Bigram-field tokens of ``title\x1ftext`` (cached: the postings and whoosh both index each item's)."""
    out, offset = [], 0
    for part in value.split(_PART):  # title and text analysed apart: analyze's cache serves both fields
        out += [Token(t.text, t.start + offset, t.end + offset) for t in bigrams(part)]
        offset += len(part) + 1
    return out


def _whole(value: str) -> Token:
    return Token(value, 0, len(value))


def build_schema() -> wfields.Schema:
    """The whoosh schema of the keyword index."""
    words, grams = AnalysisTokenizer("words"), AnalysisTokenizer("bigrams")
    spec = {name: wfields.TEXT(analyzer=words, phrase=True) for name in TEXT_FIELDS}
    spec[_GRAMS] = wfields.TEXT(analyzer=grams, phrase=True)
    spec |= {name: wfields.ID for name in EXACT_FIELDS}
    spec["id"] = wfields.ID(stored=True, unique=True, sortable=True)
    spec["date"] = wfields.ID(sortable=True)
    return wfields.Schema(**spec)


def _document(item: Item) -> dict[str, str]:
    doc = {name: getattr(item, name) for name in TEXT_FIELDS}
    doc |= {_GRAMS: f"{item.title}{_PART}{item.text}", "id": item.id, "date": item.date}
    doc |= {"kind": item.kind.lower(), "bulletin": item.bulletin_id.lower(), "lang": item.lang.lower()}
    return {key: value for key, value in doc.items() if value}


def _postings_doc(item: Item) -> Doc:
    """The item's tokens in the fields plain-word queries search (same analysis as whoosh's fields)."""
    fields = {name: [t.text for t in analyze(getattr(item, name))] for name in _POSTED if name != _GRAMS}
    fields[_GRAMS] = [t.text for t in _gram_tokens(f"{item.title}{_PART}{item.text}")]
    return Doc(item.id, item.bulletin_id.lower(), fields)


def analysis_fingerprint() -> str:
    """Identifies the analyzer and index format (version + dictionaries); another one means a rebuild."""
    digest = hashlib.sha256(f"{ANALYZER_VERSION}:{INDEX_FORMAT}:{USE_ENV_VOCABULARY}".encode())
    digest.update(DOMAIN_DICTIONARY.read_bytes())
    return digest.hexdigest()[:16]


# ----------------------------------------------------------------------------- query building


_PARSE_FIELDS = ("any", *TEXT_FIELDS, *EXACT_FIELDS, "id", "date")


class _RawPhrase(wq.Phrase):
    """A quoted phrase kept whole by the parser (whoosh would turn a one-word phrase into a Term)."""

    def normalize(self) -> wq.Query:
        return self


def _parser(group: type) -> qparser.QueryParser:
    schema = wfields.Schema(**{name: wfields.ID for name in _PARSE_FIELDS})
    parser = qparser.QueryParser("any", schema, plugins=[], group=group)
    parser.add_plugins([qparser.WhitespacePlugin(), qparser.FieldsPlugin(), qparser.PhrasePlugin(),
                        qparser.GroupPlugin(), qparser.OperatorsPlugin()])
    parser.phraseclass = _RawPhrase
    return parser


_PARSER = _parser(qparser.AndGroup)
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "「": '"', "」": '"', "『": '"', "』": '"'})
_MINUS = re.compile(r"(?:(?<=\s)|^)[-+](?=[^\s\-+])")


def _prepare(text: str) -> str:
    """Normalise query syntax: curly quotes to ", ``-term`` to ``NOT term``, ``+term`` to ``term``."""
    text = text.translate(_QUOTES)
    return _MINUS.sub(lambda m: "NOT " if m.group() == "-" else "", text)


def _malformed(text: str) -> bool:
    """True for queries whose syntax whoosh would silently misread (unbalanced, dangling operators)."""
    if text.count('"') % 2 or text.count("(") != text.count(")"):
        return True
    words = text.replace("(", " ").replace(")", " ").split()
    if not words:
        return False
    binary = [w in _OPERATORS - {"NOT"} for w in words]
    if binary[0] or binary[-1] or words[-1] == "NOT":
        return True
    return any((a or w == "NOT") and b for a, w, b in zip(binary, words, binary[1:], strict=False))


def _plain_words(text: str) -> str:
    cleaned = re.sub(r'["()]', " ", text)
    return " ".join(w for w in cleaned.split() if w not in _OPERATORS)


@dataclass
class _Compiler:
    """Turns a parsed (raw) whoosh query tree into a query over the real fields."""

    glossary: Glossary
    strict: bool  # True: plain words ANDed (minus function words); False: ORed with a coordination bonus
    terms: list[str] = field(default_factory=list)
    multi: bool = False  # a plain group had several units (so AND and OR differ)

    def compile(self, node: wq.Query, positive: bool = True) -> wq.Query | None:
        if isinstance(node, wq.And | wq.Or) and not isinstance(node, _RawPhrase):
            return self._group(node.subqueries, isinstance(node, wq.And), positive)
        if isinstance(node, wq.Not):
            return self._group([node], True, positive)
        if isinstance(node, wq.AndNot):
            return self._andnot(self.compile(node.a, positive), self.compile(node.b, False))
        if isinstance(node, wq.AndMaybe):
            a, b = self.compile(node.a, positive), self.compile(node.b, positive)
            return wq.AndMaybe(a, b) if a and b else a
        if isinstance(node, wq.Term | _RawPhrase):
            return self._group([node], True, positive)
        return None

    def _group(self, children: Sequence[wq.Query], conjunctive: bool, positive: bool) -> wq.Query | None:
        negatives = [c.query for c in children if isinstance(c, wq.Not)]
        plain = [c.text for c in children if _is_plain(c)]
        others = [c for c in children if not (_is_plain(c) or isinstance(c, wq.Not))]
        units = self._units([t for word in plain for t in _token_texts(word)], positive)
        self.multi |= len(units) > 1
        words = [self._unit(u) for u in _required(units)]
        subs = [q for q in (self._leaf(c, positive) for c in others) if q is not None]
        if conjunctive and not self.strict and len(words) > 1:
            words = [wq.Or(words, scale=_OR_SCALE)]  # loose: plain words relaxed, field:value still required
        excluded = [q for q in (self.compile(c, False) for c in negatives) if q is not None]
        return self._andnot(_combine(words + subs, conjunctive), wq.Or(excluded) if excluded else None)

    def _andnot(self, pos: wq.Query | None, neg: wq.Query | None) -> wq.Query | None:
        return wq.AndNot(pos, neg) if pos is not None and neg is not None else pos

    def _leaf(self, node: wq.Query, positive: bool) -> wq.Query | None:
        if not isinstance(node, wq.Term | _RawPhrase):
            return self.compile(node, positive)
        name = node.fieldname
        raw = " ".join(node.words) if isinstance(node, _RawPhrase) else node.text
        if name in EXACT_FIELDS:
            return wq.Term(name, raw.strip().lower())
        if name == "id":
            return wq.Term("id", raw.strip())
        if name == "date":
            return wq.Prefix("date", raw.strip())
        tokens = _token_texts(raw)
        fields = _DEFAULT_FIELDS if name == "any" else ((name, 1.0),)
        exact = isinstance(node, _RawPhrase)
        return self._unit(self._expand(tokens, positive), fields, exact) if tokens else None

    def _units(self, tokens: list[str], positive: bool) -> list[tuple[tuple[str, ...], ...]]:
        """Group tokens into units: a glossary form (with its alternatives) or a single token."""
        units, i = [], 0
        while i < len(tokens):
            size, _ = self.glossary.match(tokens, i)
            size = max(size, 1)
            units.append(self._expand(tokens[i : i + size], positive))
            i += size
        return units

    def _expand(self, tokens: Sequence[str], positive: bool) -> tuple[tuple[str, ...], ...]:
        forms = [tuple(tokens)]
        size, alternatives = self.glossary.match(tokens, 0)
        if size == len(tokens):
            forms += sorted({tuple(_token_texts(a)) for a in alternatives} - {tuple(tokens)})
        if positive:
            self.terms.extend(term_key(f) for f in forms if term_key(f) not in self.terms)
        key = term_key(tokens)
        return tuple(f for i, f in enumerate(forms) if i == 0 or not _contains(f, tokens, key))

    def _unit(self, forms: tuple[tuple[str, ...], ...], fields=_DEFAULT_FIELDS, exact: bool = False) -> wq.Query:
        """Any form of a unit; glossary alternatives are boosted lower and searched in fewer fields."""
        others = _EXPANSION_FIELDS if fields is _DEFAULT_FIELDS else fields
        alts = [_form_query(forms[0], fields, 1.0, exact)]
        alts += [_form_query(form, others, _EXPANSION_BOOST, exact) for form in forms[1:]]
        return alts[0] if len(alts) == 1 else wq.Or(alts)


def _contains(form: tuple[str, ...], tokens: Sequence[str], key: str) -> bool:
    """True when every match of ``form`` is also a match of the original (Erik Solheim ⊃ Solheim)."""
    if is_cjk(key):
        return key in term_key(form)
    size = len(tokens)
    return any(list(form[i : i + size]) == list(tokens) for i in range(len(form) - size + 1))


def _is_plain(node: wq.Query) -> bool:
    return type(node) is wq.Term and node.fieldname == "any"


def _token_texts(text: str) -> list[str]:
    return [t.text for t in analyze(text)]


def _required(units: list) -> list:
    """Function words (的, the, 如何...) are dropped unless nothing else is left (they match everything)."""
    content = [u for u in units if not (len(u[0]) == 1 and u[0][0] in _STOP)]
    return content or units


def _combine(subs: list[wq.Query], conjunctive: bool) -> wq.Query | None:
    if not subs:
        return None
    if len(subs) == 1:
        return subs[0]
    return wq.And(subs) if conjunctive else wq.Or(subs, scale=_OR_SCALE)


def _form_query(tokens: tuple[str, ...], fields, boost: float, exact: bool) -> wq.Query:
    """One form (token sequence) in each field: a term or a phrase.

    A Chinese form is also sought in the bigram field, so it is found inside longer words (多样性 in
    生物多样性): as a phrase of bigrams when ``exact`` (quoted), else as their conjunction (much cheaper).
    """
    subs = [_sequence(name, tokens, weight * boost) for name, weight in fields]
    joined = term_key(tokens)
    if is_cjk(joined) and len(joined) > 1 and {"title", "text"} & {name for name, _ in fields}:
        grams = [t.text for t in bigrams(joined)]
        if exact or len(grams) == 1:
            subs.append(_sequence(_GRAMS, grams, _GRAMS_BOOST * boost))
        else:
            subs.append(wq.And([wq.Term(_GRAMS, g) for g in grams], boost=_GRAMS_BOOST * boost))
    return subs[0] if len(subs) == 1 else wq.Or(subs)


def _sequence(name: str, tokens: Sequence[str], boost: float) -> wq.Query:
    if len(tokens) == 1:
        return wq.Term(name, tokens[0], boost=boost)
    return wq.Phrase(name, list(tokens), boost=boost)


def _parse(text: str) -> tuple[str, wq.Query, str]:
    """(prepared text, raw parse tree, notice); malformed syntax is parsed as plain words."""
    prepared, notice = _prepare(text or ""), ""
    if _malformed(prepared):
        prepared, notice = _plain_words(prepared), NOTICE_SYNTAX
    try:
        tree = _PARSER.parse(prepared)
    except Exception:  # whoosh's parser has no documented error type; any failure means "plain words"
        log.debug("query %r not parsed", text, exc_info=True)
        prepared, notice = _plain_words(prepared), NOTICE_SYNTAX
        tree = _PARSER.parse(prepared)
    return prepared, tree, notice


@dataclass(frozen=True)
class PostingsPlan:
    """A query of plain words, quoted phrases and ``textfield:value`` as numpy postings clauses.

    Attributes:
        units: Plain-word units (a word or glossary form with its alternatives), each as clauses over fields;
            all are required first, then any (like whoosh's strict and loose queries).
        required: Phrases and ``textfield:value`` leaves, always required (also when words are relaxed).
        notice: '' or a plain-words remark for the user.
        terms: Terms to highlight.
    """

    units: tuple[Unit, ...]
    required: tuple[Unit, ...] = ()
    notice: str = ""
    terms: tuple[str, ...] = ()


def plan_postings(text: str, glossary: Glossary) -> PostingsPlan | None:
    """The postings plan of a query; None when it needs whoosh (operators, exact fields such as ``kind:``).

    The units, fields, boosts and glossary expansions are those :func:`plan_query` gives whoosh (its
    ``_Compiler._group`` and ``_leaf``), in the same order, so the highlighted terms are the same too.
    """
    prepared, tree, notice = _parse(text)
    if _OPERATORS & set(prepared.replace("(", " ").replace(")", " ").split()):
        return None
    children = [tree] if _is_leaf(tree) else list(tree.subqueries) if type(tree) is wq.And else []
    if not children or not all(_is_leaf(c) for c in children):
        return None
    compiler = _Compiler(glossary, True)
    units = compiler._units([t for c in children if _is_plain(c) for t in _token_texts(c.text)], True)
    required = [_leaf_clauses(c, compiler) for c in children if not _is_plain(c)]
    return PostingsPlan(tuple(_unit_clauses(u) for u in _required(units)), tuple(r for r in required if r),
                        notice, tuple(compiler.terms))


def _is_leaf(node: wq.Query) -> bool:
    """A node the postings can run: a plain word, a quoted phrase, or a word or phrase in a text field."""
    if isinstance(node, _RawPhrase) or type(node) is wq.Term:
        return node.fieldname == "any" or node.fieldname in _POSTED and node.fieldname != _GRAMS
    return False


def _leaf_clauses(node: wq.Query, compiler: _Compiler) -> Unit:
    """The clauses of :meth:`_Compiler._leaf` for a phrase or ``textfield:value`` (empty: nothing to seek)."""
    exact = isinstance(node, _RawPhrase)
    tokens = _token_texts(" ".join(node.words) if exact else node.text)
    if not tokens:
        return ()
    fields = _DEFAULT_FIELDS if node.fieldname == "any" else ((node.fieldname, 1.0),)
    return _unit_clauses(compiler._expand(tokens, True), fields, exact)


def _unit_clauses(forms: tuple[tuple[str, ...], ...], fields=_DEFAULT_FIELDS, exact: bool = False) -> Unit:
    """The clauses of :meth:`_Compiler._unit` (first form in ``fields``, alternatives lower, in fewer fields)."""
    others = _EXPANSION_FIELDS if fields is _DEFAULT_FIELDS else fields
    clauses = _form_clauses(forms[0], fields, 1.0, exact)
    for form in forms[1:]:
        clauses += _form_clauses(form, others, _EXPANSION_BOOST, exact)
    return tuple(clauses)


def _form_clauses(tokens: tuple[str, ...], fields, boost: float, exact: bool) -> list[Clause]:
    """The clauses of :func:`_form_query`: a term or phrase per field; bigrams as a phrase or a conjunction."""
    out = [Clause(name, tokens, weight * boost) for name, weight in fields]
    joined = term_key(tokens)
    if is_cjk(joined) and len(joined) > 1 and {"title", "text"} & {name for name, _ in fields}:
        grams = tuple(t.text for t in bigrams(joined))
        out.append(Clause(_GRAMS, grams, _GRAMS_BOOST * boost, phrase=exact))
    return out


def plan_query(text: str, glossary: Glossary) -> QueryPlan:
    """Build the whoosh queries for a user query (never raises on user input).

    Args:
        text: What the user typed.
        glossary: Expansions for names and terms.

    Returns:
        The strict (AND) and loose (OR) queries, a notice and the terms to highlight.
    """
    prepared, tree, notice = _parse(text)
    strict = _Compiler(glossary, True)
    strict_q = strict.compile(tree)
    explicit = {"AND", "OR"} & set(prepared.replace("(", " ").replace(")", " ").split())
    loose_q = _Compiler(glossary, False).compile(tree) if strict.multi and not explicit else None
    if strict_q is None and loose_q is None and "NOT" in prepared.split():
        notice = notice or NOTICE_ONLY_EXCLUDED
    return QueryPlan(strict_q, loose_q, notice, tuple(strict.terms))


# ----------------------------------------------------------------------------- the index


class KeywordIndex:
    """A keyword index of items in one folder: numpy postings, and whoosh opened when a query needs it."""

    def __init__(self, index: windex.Index, folder: Path, glossary: Glossary | None = None,
                 postings: PostingsIndex | None = None) -> None:
        self._index = index
        self.folder = folder
        self.glossary = glossary if glossary is not None else default_glossary()
        self._postings = postings if postings is not None else PostingsIndex.load(folder / POSTINGS_DIR)
        # False: every query runs through whoosh (tests, benchmarks: BULLETINS_KEYWORD_ENGINE=whoosh)
        self.use_postings = os.environ.get(ENGINE_ENV, "").strip().lower() != "whoosh"
        self._searcher = None  # opened by the first query that needs whoosh
        self._lock = threading.Lock()
        self._ids: list[str | None] | None = None
        self._docnums: dict[str, int] | None = None

    @classmethod
    def create(cls, folder: Path, items: Iterable[Item], glossary: Glossary | None = None) -> KeywordIndex:
        """Build a new index in ``folder`` (its previous keyword index, if any, is replaced).

        Args:
            folder: Folder to write (created if needed).
            items: Items to index.
            glossary: Query expansions; default: :func:`index.keyword.glossary.default_glossary`.
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        index = windex.create_in(str(folder), build_schema())
        writer = _writer(index, folder)
        docs = []
        for item in items:
            docs.append(_postings_doc(item))  # analysed once: whoosh's tokenizer below hits analyze's cache
            writer.add_document(**_document(item))
        writer.commit()
        postings = PostingsIndex.build(docs, _POSTED)
        postings.save(folder / POSTINGS_DIR)
        tmp = folder / f"{META_FILE}.tmp"
        tmp.unlink(missing_ok=True)
        tmp.write_text(json.dumps({"analysis": analysis_fingerprint()}), encoding="utf-8")
        os.replace(tmp, folder / META_FILE)  # a new file even when the old one is a hard link
        return cls(index, folder, glossary, postings)

    @classmethod
    def open(cls, folder: Path, glossary: Glossary | None = None) -> KeywordIndex:
        """Open an existing index (whoosh's segment list and the postings; whoosh's searcher comes later).

        Raises:
            KeywordIndexError: Missing, damaged, or built with another analyzer (rebuild to fix).
        """
        folder = Path(folder)
        _check_meta(folder)
        try:
            index = windex.open_dir(str(folder))
            whoosh_count = index.doc_count()
            keyword = cls(index, folder, glossary)
        except Exception as exc:  # whoosh raises many types (EOFError, pickle, struct, its own); PostingsError
            raise KeywordIndexError(f"keyword index in {folder} is damaged ({exc!r}); rebuild it "
                                    "with `bulletins build --rebuild`") from exc
        if whoosh_count != len(keyword._postings):
            raise KeywordIndexError(f"keyword index in {folder}: whoosh ({whoosh_count} items) and "
                                    f"postings ({len(keyword._postings)}) disagree; rebuild it "
                                    "with `bulletins build --rebuild`")
        return keyword

    def update(self, remove_bulletins: Iterable[str], add: Iterable[Item]) -> None:
        """Delete every item of the given bulletins, then add items (in place, adding files only).

        Args:
            remove_bulletins: Bulletin ids whose items are removed.
            add: Items to add (an item whose id exists elsewhere replaces it).
        """
        remove, add = sorted({b.lower() for b in remove_bulletins}), list(add)
        postings = self._postings
        elsewhere = [it.id for it in add if it.id in postings.row_of and postings.group_of(it.id) not in remove]
        self._release()
        writer = _writer(self._index, self.folder)
        try:
            if remove or elsewhere:
                with writer.searcher() as searcher:  # one reader for all deletions
                    for bulletin in remove:
                        writer.delete_by_term("bulletin", bulletin, searcher=searcher)
                    for item_id in elsewhere:
                        writer.delete_by_term("id", item_id, searcher=searcher)
            for item in add:
                writer.add_document(**_document(item))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()  # whoosh's default policy: merges small segments, leaves the big one
        self._postings = postings.updated(remove, [_postings_doc(item) for item in add])
        self._postings.save(self.folder / POSTINGS_DIR)

    def search(self, query: str, limit: int, allowed: frozenset[str] | None = None) -> KeywordResult:
        """Rank items for a query; ``allowed`` restricts the candidates before ranking.

        Args:
            query: User query (any text; syntax errors fall back to plain words).
            limit: Maximum number of hits.
            allowed: Item ids that may be returned; None = all.

        Returns:
            Hits best first, the number of matches, a notice and the terms to highlight.
        """
        plan = plan_postings(query, self.glossary) if self.use_postings else None
        if plan is not None:
            return self._search_postings(plan, limit, allowed)
        return self._search_whoosh(plan_query(query, self.glossary), limit, allowed)

    def doc_count(self) -> int:
        """Number of (live) items in the index."""
        return len(self._postings)

    def close(self) -> None:
        """Release whoosh's searcher and its files (if it was opened)."""
        self._release()

    def __enter__(self) -> KeywordIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _search_postings(self, plan: PostingsPlan, limit: int, allowed: frozenset[str] | None) -> KeywordResult:
        """All units first (AND); if fewer than ``limit`` match, items matching some follow (OR), below them.

        Phrases and field leaves (``plan.required``) are required in both.
        """
        postings = self._postings
        mask = None if allowed is None else postings.mask_of(allowed)
        if not (plan.units or plan.required) or limit <= 0 or mask is not None and not mask.any():
            return KeywordResult([], 0, plan.notice, plan.terms)
        scores, matches = postings.score_units(plan.units + plan.required)
        score = scores.sum(axis=0)
        words, required = matches[: len(plan.units)], matches[len(plan.units) :]
        base = required.all(axis=0) if mask is None else required.all(axis=0) & mask
        strict = words.all(axis=0) & base
        hits = self._pairs(*top_k(score, strict, limit))
        total, complete = int(strict.sum()), len(hits)
        if complete < limit and len(plan.units) > 1:
            loose = words.any(axis=0) & base & ~strict
            hits = _fill(hits, self._pairs(*top_k(score, loose, limit - complete)), limit)
            total += int(loose.sum())
        return KeywordResult(hits, total, plan.notice, plan.terms, complete)

    def _search_whoosh(self, plan: QueryPlan, limit: int, allowed: frozenset[str] | None) -> KeywordResult:
        if plan.strict is None and plan.loose is None or limit <= 0 or allowed is not None and not allowed:
            return KeywordResult([], 0, plan.notice, plan.terms)
        docnums = None if allowed is None else self._allowed_docnums(allowed)
        if docnums == set():
            return KeywordResult([], 0, plan.notice, plan.terms)
        hits, total = self._run(plan.strict, limit, docnums)
        complete = len(hits) if plan.strict is not None else 0
        if len(hits) < limit and plan.loose is not None:
            more, loose_total = self._run(plan.loose, limit, docnums)
            hits, total = _fill(hits, more, limit), max(total, loose_total)
        return KeywordResult(hits, total, plan.notice, plan.terms, complete)

    def _pairs(self, rows, scores) -> list[tuple[str, float]]:
        ids = self._postings.ids
        return [(ids[row], score) for row, score in zip(rows.tolist(), scores.tolist(), strict=True)]

    def _whoosh(self):
        """whoosh's searcher, opened on first use."""
        with self._lock:
            if self._searcher is None:
                try:
                    self._searcher = self._index.searcher()
                except Exception as exc:  # whoosh raises many types; see open()
                    raise KeywordIndexError(f"keyword index in {self.folder} is damaged ({exc!r}); rebuild it "
                                            "with `bulletins build --rebuild`") from exc
            return self._searcher

    def _release(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher, self._ids, self._docnums = None, None, None

    def _run(self, q: wq.Query | None, limit: int, docnums: set[int] | None) -> tuple[list[tuple[str, float]], int]:
        if q is None:
            return [], 0
        results = self._whoosh().search(q, limit=limit, filter=docnums)
        ids = self._id_list()
        return [(ids[docnum], float(score)) for score, docnum in results.top_n], len(results)

    def _allowed_docnums(self, allowed: Iterable[str]) -> set[int]:
        docnums = self._id_map()
        return {docnums[i] for i in allowed if i in docnums}

    def _id_map(self) -> dict[str, int]:
        if self._docnums is None:
            ids = self._id_list()
            reader = self._whoosh().reader()
            self._docnums = {ids[n]: n for n in reader.all_doc_ids()}
        return self._docnums

    def _id_list(self) -> list[str | None]:
        if self._ids is None:
            self._ids = list(self._whoosh().reader().column_reader("id"))
        return self._ids


def _writer(index: windex.Index, folder: Path):
    """A whoosh writer of separate (not compound) segment files, locking a lock file of this folder's own."""
    lock = folder / _LOCK_FILE
    if lock.exists() and lock.stat().st_nlink > 1:  # hard-linked from another index's folder
        lock.unlink()
    return index.writer(compound=False)


def _fill(strict: list[tuple[str, float]], loose: list[tuple[str, float]], limit: int) -> list[tuple[str, float]]:
    """Items matching all words first, then items matching some, scaled to score below them."""
    seen = {item for item, _ in strict}
    extra = [(item, score) for item, score in loose if item not in seen][: limit - len(strict)]
    if not strict or not extra:
        return strict + extra
    factor = 0.9 * strict[-1][1] / max(extra[0][1], 1e-9)
    return strict + [(item, score * min(factor, 1.0)) for item, score in extra]


def _check_meta(folder: Path) -> None:
    if not folder.is_dir() or not any(folder.glob("*.toc")):
        raise KeywordIndexError(f"no keyword index in {folder}; build it with `bulletins build`")
    try:
        meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise KeywordIndexError(f"keyword index in {folder} has no readable {META_FILE}; rebuild it "
                                "with `bulletins build --rebuild`") from exc
    if meta.get("analysis") != analysis_fingerprint():
        raise KeywordIndexError(f"keyword index in {folder} was built with another analyzer or dictionary; "
                                "rebuild it with `bulletins build --rebuild`")
