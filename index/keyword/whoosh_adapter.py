"""Every use of whoosh (2.7.4) in the project: its schema and tokenizer, writing and searching its files, parsing
query syntax. A maintained fork (e.g. ``whoosh3``) would replace it here, in one place.

The interface speaks the project's own types: documents are the field texts of :func:`index.keyword.fields.document`,
queries are :mod:`index.keyword.query` trees, hits are (item id, score). Word and bigram fields are analysed by
:mod:`index.keyword.analysis` (sequential positions, so phrases work), not by whoosh's analyzers.

Segments are written as separate files, not one compound file per segment: opening a reader copied every sub-file
of a compound file into memory (about 630 MB at 100k items; now a few MB). Files are only ever added, renamed or
deleted, never changed in place (new segment files, deletions and the segment list in a new ``_MAIN_<n>.toc``; a
hard-linked lock file is replaced by one of the folder's own), so an index may be updated in a folder of hard links
to another index's files.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from whoosh import fields as wfields
from whoosh import index as windex
from whoosh import qparser
from whoosh import query as wq
from whoosh.analysis import Token as WhooshToken
from whoosh.analysis import Tokenizer
from whoosh.searching import Searcher as _WhooshSearcher
from whoosh.writing import IndexWriter

from index.keyword import query as q
from index.keyword.analysis import Token, analyze, word_texts
from index.keyword.fields import EXACT_FIELDS, GRAMS, TEXT_FIELDS, gram_texts, gram_tokens

_LOCK_FILE = "MAIN_WRITELOCK"  # whoosh's writer lock (index name MAIN)
WRITER_MB = 512  # whoosh sorts postings in memory up to this, then in runs on disk (its default: 128)
_PARSE_FIELDS = ("any", *TEXT_FIELDS, *EXACT_FIELDS, "id", "date")

Hits = list[tuple[str, float]]


class QuerySyntaxError(ValueError):
    """whoosh's parser failed on a query text."""


# ----------------------------------------------------------------------------- schema


class AnalysisTokenizer(Tokenizer):
    """whoosh tokenizer over :func:`index.keyword.analysis.analyze` (``kind='words'``) or the bigram field's tokens.

    whoosh pickles the schema, with this class's module and name, into every index's segment list.
    """

    def __init__(self, kind: str = "words") -> None:
        self.kind = kind

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs: object):
        token = WhooshToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if tokenize and not (chars or keeporiginal):  # indexing: texts and positions only (the fast path)
            texts = word_texts(value)[0] if self.kind == "words" else gram_texts(value)
            for pos, text in enumerate(texts, start_pos):
                token.text, token.boost, token.stopped, token.pos = text, 1.0, False, pos
                yield token
            return
        for pos, tok in enumerate(self._tokens(value) if tokenize else [Token(value, 0, len(value))]):
            token.text, token.boost, token.stopped = tok.text, 1.0, False
            if keeporiginal:
                token.original = value[tok.start : tok.end]
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar, token.endchar = start_char + tok.start, start_char + tok.end
            yield token

    def _tokens(self, value: str) -> list[Token]:
        return analyze(value) if self.kind == "words" else gram_tokens(value)


def build_schema() -> wfields.Schema:
    """The whoosh schema of the keyword index."""
    words, grams = AnalysisTokenizer("words"), AnalysisTokenizer("bigrams")
    spec = {name: wfields.TEXT(analyzer=words, phrase=True) for name in TEXT_FIELDS}
    spec[GRAMS] = wfields.TEXT(analyzer=grams, phrase=True)
    spec |= {name: wfields.ID for name in EXACT_FIELDS}
    spec["id"] = wfields.ID(stored=True, unique=True, sortable=True)
    spec["date"] = wfields.ID(sortable=True)
    return wfields.Schema(**spec)


# ----------------------------------------------------------------------------- query syntax and trees


class _RawPhrase(wq.Phrase):
    """A quoted phrase kept whole by the parser (whoosh would turn a one-word phrase into a Term)."""

    def normalize(self) -> wq.Query:
        return self


def _parser() -> qparser.QueryParser:
    schema = wfields.Schema(**{name: wfields.ID for name in _PARSE_FIELDS})
    parser = qparser.QueryParser("any", schema, plugins=[], group=qparser.AndGroup)
    parser.add_plugins([qparser.WhitespacePlugin(), qparser.FieldsPlugin(), qparser.PhrasePlugin(),
                        qparser.GroupPlugin(), qparser.OperatorsPlugin()])
    parser.phraseclass = _RawPhrase
    return parser


_PARSER = _parser()


def parse_tree(text: str) -> q.Node:
    """The query tree of a (prepared) query text: fields as typed, ``any`` for plain words, nothing analysed.

    Raises:
        QuerySyntaxError: whoosh's parser failed (it has no documented error type).
    """
    try:
        tree = _PARSER.parse(text)
    except Exception as exc:  # noqa: BLE001 - any failure of the parser means: not understood
        raise QuerySyntaxError(f"query {text!r} not parsed: {exc!r}") from exc
    return _from_whoosh(tree)


def _from_whoosh(node: wq.Query) -> q.Node:
    if isinstance(node, _RawPhrase):
        return q.Phrase(node.fieldname, tuple(node.words))
    if type(node) is wq.Term:
        return q.Term(node.fieldname, node.text)
    if isinstance(node, wq.And | wq.Or):
        children = tuple(_from_whoosh(c) for c in node.subqueries)
        return q.And(children) if isinstance(node, wq.And) else q.Or(children)
    if isinstance(node, wq.Not):
        return q.Not(_from_whoosh(node.query))
    if isinstance(node, wq.AndNot):
        return q.AndNot(_from_whoosh(node.a), _from_whoosh(node.b))
    if isinstance(node, wq.AndMaybe):
        return q.AndMaybe(_from_whoosh(node.a), _from_whoosh(node.b))
    return q.Unsupported(type(node).__name__)


def to_whoosh(node: q.Node) -> wq.Query:
    """The whoosh query of a planned query tree."""
    match node:
        case q.Term(field, text, boost):
            return wq.Term(field, text, boost=boost)
        case q.Phrase(field, words, boost):
            return wq.Phrase(field, list(words), boost=boost)
        case q.Prefix(field, text):
            return wq.Prefix(field, text)
        case q.And(children, boost):
            return wq.And([to_whoosh(c) for c in children], boost=boost)
        case q.Or(children, scale):
            return wq.Or([to_whoosh(c) for c in children], scale=scale)
        case q.AndNot(positive, negative):
            return wq.AndNot(to_whoosh(positive), to_whoosh(negative))
        case q.AndMaybe(required, optional):
            return wq.AndMaybe(to_whoosh(required), to_whoosh(optional))
    raise ValueError(f"no whoosh query for {node!r}")


# ----------------------------------------------------------------------------- files


class WhooshWriter:
    """Deletions and additions of one commit (see :meth:`WhooshIndex.writing`)."""

    def __init__(self, writer: IndexWriter) -> None:
        self._writer = writer

    def delete(self, bulletins: Iterable[str], ids: Iterable[str]) -> None:
        """Delete the documents of these bulletins (lowercased ids) and items."""
        with self._writer.searcher() as searcher:  # one reader for all deletions
            for bulletin in bulletins:
                self._writer.delete_by_term("bulletin", bulletin, searcher=searcher)
            for item_id in ids:
                self._writer.delete_by_term("id", item_id, searcher=searcher)

    def add(self, document: Mapping[str, str]) -> None:
        """Add a document (field -> text)."""
        self._writer.add_document(**document)


class WhooshIndex:
    """whoosh's files of a keyword index folder."""

    def __init__(self, index: windex.Index, folder: Path) -> None:
        self._index, self.folder = index, folder

    @staticmethod
    def exists(folder: Path) -> bool:
        """Whether ``folder`` holds a whoosh index (its segment list)."""
        return folder.is_dir() and any(folder.glob("*.toc"))

    @staticmethod
    def remove(folder: Path) -> None:
        """Remove whoosh's files from a folder, the segment lists first (readers then see no index)."""
        for pattern in ("_MAIN_*.toc", "MAIN_*"):
            for file in folder.glob(pattern):
                file.unlink()

    @staticmethod
    def move(source: Path, target: Path) -> None:
        """Move a finished index's files from ``source`` into ``target``, the segment list last (readers of
        ``target`` then see all of them or none)."""
        for file in sorted(source.iterdir(), key=lambda f: f.suffix == ".toc"):
            os.replace(file, target / file.name)

    @classmethod
    def create(cls, folder: Path) -> WhooshIndex:
        """An empty index in ``folder`` (replacing whoosh's files there, if any)."""
        return cls(windex.create_in(str(folder), build_schema()), folder)

    @classmethod
    def open(cls, folder: Path) -> WhooshIndex:
        """The index in ``folder``; raises whatever whoosh raises on missing or damaged files."""
        return cls(windex.open_dir(str(folder)), folder)

    def doc_count(self) -> int:
        """Number of (live) documents."""
        return self._index.doc_count()

    @contextlib.contextmanager
    def writing(self, limitmb: int = WRITER_MB, procs: int = 1) -> Iterator[WhooshWriter]:
        """A writer of separate (not compound) segment files, committed at the end, cancelled on error.

        ``limitmb``: memory for sorting postings before they spill to disk; ``procs`` > 1: that many writer
        processes, one segment each (see bench/keyword_build.py for what each option costs). Its lock is a file
        of this folder's own (a lock hard-linked from another index's folder is replaced).
        """
        lock = self.folder / _LOCK_FILE
        if lock.exists() and lock.stat().st_nlink > 1:
            lock.unlink()
        options = {"procs": procs, "multisegment": True} if procs > 1 else {}
        writer = self._index.writer(compound=False, limitmb=limitmb, **options)
        try:
            yield WhooshWriter(writer)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()  # whoosh's default policy: merges small segments, leaves the big one

    def searcher(self) -> WhooshSearcher:
        """A searcher over the current segments (open until closed); raises whatever whoosh raises."""
        return WhooshSearcher(self._index.searcher())


class WhooshSearcher:
    """An open whoosh searcher; item ids and document numbers are read once, on first use."""

    def __init__(self, searcher: _WhooshSearcher) -> None:
        self._searcher = searcher
        self._ids: list[str | None] | None = None
        self._docnums: dict[str, int] | None = None

    def search(self, node: q.Node, limit: int, docnums: set[int] | None = None) -> tuple[Hits, int]:
        """(item id, score) of the best ``limit`` documents (within ``docnums`` if given), and how many match."""
        results = self._searcher.search(to_whoosh(node), limit=limit, filter=docnums)
        ids = self._id_list()
        return [(ids[docnum], float(score)) for score, docnum in results.top_n], len(results)

    def docnums(self, ids: Iterable[str]) -> set[int]:
        """Document numbers of the given item ids (unknown ids ignored), for :meth:`search`."""
        docnums = self._id_map()
        return {docnums[i] for i in ids if i in docnums}

    def close(self) -> None:
        self._searcher.close()

    def _id_map(self) -> dict[str, int]:
        if self._docnums is None:
            ids = self._id_list()
            self._docnums = {ids[n]: n for n in self._searcher.reader().all_doc_ids()}
        return self._docnums

    def _id_list(self) -> list[str | None]:
        if self._ids is None:
            self._ids = list(self._searcher.reader().column_reader("id"))
        return self._ids
