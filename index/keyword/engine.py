"""The keyword index of one folder: numpy postings for nearly every query, whoosh for the rest.

Queries of plain words, quoted phrases and ``textfield:value`` (no operators, no exact fields) are scored from the
numpy postings (:mod:`index.keyword.postings`, saved in ``postings/`` beside whoosh's files and kept in step by
``create``/``update``); every other query is run by whoosh (:mod:`index.keyword.whoosh_adapter`), whose searcher
is opened only when such a query comes. Both get the same plan (:mod:`index.keyword.planner`): the same units,
fields, boosts, glossary expansions and AND-then-OR fill, so they rank alike. A query that cannot be parsed is
searched as plain words, with a notice saying so; nothing here raises on user input.

whoosh's files may come after the postings (:meth:`KeywordIndex.create` with ``whoosh=False``, then
:func:`write_whoosh`, which a build runs in its own process once the build is live: whoosh costs ~20x the
postings). Until they are there, a query that needs whoosh is searched as plain words, with a notice saying so.

Files are only ever added, renamed or deleted, never changed in place, so ``update`` may run on a folder of hard
links to another index's files. ``keyword-analysis.json`` records the analyzer's fingerprint: an index built with
another analyzer, dictionary or format is refused with the fix (rebuild).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from archive.model import Item
from index.keyword.analysis import DOMAIN_DICTIONARY, USE_ENV_VOCABULARY, analyze, bigrams, is_cjk
from index.keyword.fields import GRAMS, document, postings_doc
from index.keyword.glossary import Glossary, default_glossary
from index.keyword.indexing import postings_of
from index.keyword.planner import PostingsPlan, QueryPlan, plan_postings, plan_query
from index.keyword.postings import Clause, PostingsIndex, top_k
from index.keyword.query import Rendering
from index.keyword.syntax import plain_words
from index.keyword.whoosh_adapter import AnalysisTokenizer as AnalysisTokenizer  # see below
from index.keyword.whoosh_adapter import WhooshIndex, WhooshSearcher

ANALYZER_VERSION = 2
INDEX_FORMAT = 3  # 2: numpy postings beside whoosh's files; 3: postings in parts, positional bigrams,
#                  whoosh segments not compound
POSTINGS_DIR = "postings"
ENGINE_ENV = "BULLETINS_KEYWORD_ENGINE"  # "whoosh": run every query through whoosh (comparisons)
META_FILE = "keyword-analysis.json"
WHOOSH_TMP = ".tmp-whoosh"  # whoosh's files being written, moved in when complete (copies of the folder skip it)
NOTICE_PENDING = "operators and field searches are still being indexed; searched as plain words for now"
_ROWS_CACHE = 4096  # cached answers of rows_with
_REBUILD = "rebuild it with `bulletins build --rebuild`"
# AnalysisTokenizer is imported above because indexes built before the whoosh adapter existed name it in this
# module (whoosh pickles the schema, tokenizer included, into every segment list): they open as before.


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


def analysis_fingerprint() -> str:
    """Identifies the analyzer and index format (version + dictionaries); another one means a rebuild."""
    digest = hashlib.sha256(f"{ANALYZER_VERSION}:{INDEX_FORMAT}:{USE_ENV_VOCABULARY}".encode())
    digest.update(DOMAIN_DICTIONARY.read_bytes())
    return digest.hexdigest()[:16]


class KeywordIndex:
    """A keyword index of items in one folder: numpy postings, and whoosh opened when a query needs it."""

    def __init__(self, whoosh: WhooshIndex | None, folder: Path, glossary: Glossary | None = None,
                 postings: PostingsIndex | None = None) -> None:
        self._whoosh = whoosh  # None: not opened yet, or not written yet (see whoosh_ready)
        self.folder = folder
        self.glossary = glossary if glossary is not None else default_glossary()
        self._postings = postings if postings is not None else PostingsIndex.load(folder / POSTINGS_DIR)
        # False: every query runs through whoosh (tests, benchmarks: BULLETINS_KEYWORD_ENGINE=whoosh)
        self.use_postings = os.environ.get(ENGINE_ENV, "").strip().lower() != "whoosh"
        self._searcher: WhooshSearcher | None = None  # opened by the first query that needs whoosh
        self._lock = threading.Lock()
        self._rows_cache: dict[str, np.ndarray] = {}

    @classmethod
    def create(cls, folder: Path, items: Iterable[Item], glossary: Glossary | None = None,
               whoosh: bool = True) -> KeywordIndex:
        """Build a new index in ``folder`` (its previous keyword index, if any, is replaced).

        Args:
            folder: Folder to write (created if needed).
            items: Items to index.
            glossary: Query expansions; default: :func:`index.keyword.glossary.default_glossary`.
            whoosh: Also write whoosh's files now (False: the postings only; :func:`write_whoosh` adds them).
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        _remove_whoosh(folder)
        items = list(items)
        postings = postings_of(items)
        postings.save(folder / POSTINGS_DIR)
        tmp = folder / f"{META_FILE}.tmp"
        tmp.unlink(missing_ok=True)
        tmp.write_text(json.dumps({"analysis": analysis_fingerprint()}), encoding="utf-8")
        os.replace(tmp, folder / META_FILE)  # a new file even when the old one is a hard link
        if whoosh:
            write_whoosh(folder, items)
        return cls(None, folder, glossary, postings)

    @classmethod
    def open(cls, folder: Path, glossary: Glossary | None = None) -> KeywordIndex:
        """Open an existing index (the postings; whoosh's files are opened by the first query that needs them).

        Raises:
            KeywordIndexError: Missing, damaged, or built with another analyzer (rebuild to fix).
        """
        folder = Path(folder)
        _check_meta(folder)
        try:
            keyword = cls(None, folder, glossary)
        except Exception as exc:  # PostingsError, OSError, numpy's errors on damaged files
            raise KeywordIndexError(f"keyword index in {folder} is damaged ({exc!r}); {_REBUILD}") from exc
        if keyword.whoosh_ready:
            keyword._open_whoosh()
        return keyword

    @property
    def whoosh_ready(self) -> bool:
        """Whether whoosh's files are written (queries with operators or exact fields need them)."""
        return self._whoosh is not None or whoosh_written(self.folder)

    def update(self, remove_bulletins: Iterable[str], add: Iterable[Item], whoosh: bool = True) -> None:
        """Delete every item of the given bulletins, then add items (in place, adding files only).

        Args:
            remove_bulletins: Bulletin ids whose items are removed.
            add: Items to add (an item whose id exists elsewhere replaces it).
            whoosh: Update whoosh's files too, when they are there (False: remove them, for :func:`write_whoosh`
                to write in full; cheaper than updating for many items).
        """
        remove, add = sorted({b.lower() for b in remove_bulletins}), list(add)
        postings = self._postings
        elsewhere = [it.id for it in add if it.id in postings.row_of and postings.group_of(it.id) not in remove]
        self._release()
        if not whoosh:
            self._whoosh = None
            _remove_whoosh(self.folder)
        elif self.whoosh_ready:
            with self._open_whoosh().writing() as writer:
                if remove or elsewhere:
                    writer.delete(remove, elsewhere)
                for item in add:
                    writer.add(document(item))
        self._postings = postings.updated(remove, [postings_doc(item) for item in add])
        self._rows_cache = {}
        self._postings.save(self.folder / POSTINGS_DIR)

    def search(self, query: str, limit: int, allowed: frozenset[str] | None = None,
               renderings: Sequence[Rendering] = ()) -> KeywordResult:
        """Rank items for a query; ``allowed`` restricts the candidates before ranking.

        Args:
            query: User query (any text; syntax errors fall back to plain words).
            limit: Maximum number of hits.
            allowed: Item ids that may be returned; None = all.
            renderings: Other-language forms of the query's words (query translation; postings path only).

        Returns:
            Hits best first, the number of matches, a notice and the terms to highlight.
        """
        plan = plan_postings(query, self.glossary, renderings) if self.use_postings else None
        if plan is not None:
            return self._search_postings(plan, limit, allowed)
        if not self.whoosh_ready:
            plain = plan_postings(plain_words(query), self.glossary, renderings)
            found = self._search_postings(plain, limit, allowed) if plain else KeywordResult([], 0)
            return replace(found, notice=NOTICE_PENDING)
        return self._search_whoosh(plan_query(query, self.glossary), limit, allowed)

    def rows_with(self, text: str) -> np.ndarray:
        """Rows (increasing) of the items containing a term: a Chinese one anywhere (as a substring), another
        as words in title or text. Cached (query translation asks about the same renderings again and again)."""
        rows = self._rows_cache.get(text)
        if rows is None:
            rows = _rows_containing(self._postings, text)
            if len(self._rows_cache) >= _ROWS_CACHE:
                self._rows_cache.clear()
            self._rows_cache[text] = rows
        return rows

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
        searcher = self._whoosh_searcher()
        docnums = None if allowed is None else searcher.docnums(allowed)
        if docnums == set():
            return KeywordResult([], 0, plan.notice, plan.terms)
        hits, total = searcher.search(plan.strict, limit, docnums) if plan.strict is not None else ([], 0)
        complete = len(hits) if plan.strict is not None else 0
        if len(hits) < limit and plan.loose is not None:
            more, loose_total = searcher.search(plan.loose, limit, docnums)
            hits, total = _fill(hits, more, limit), max(total, loose_total)
        return KeywordResult(hits, total, plan.notice, plan.terms, complete)

    def _pairs(self, rows: np.ndarray, scores: np.ndarray) -> list[tuple[str, float]]:
        ids = self._postings.ids
        return [(ids[row], score) for row, score in zip(rows.tolist(), scores.tolist(), strict=True)]

    def _open_whoosh(self) -> WhooshIndex:
        """whoosh's files, opened once and checked against the postings.

        Raises:
            KeywordIndexError: damaged, or holding other items than the postings.
        """
        if self._whoosh is None:
            try:
                whoosh = WhooshIndex.open(self.folder)
                count = whoosh.doc_count()
            except Exception as exc:  # whoosh raises many types (EOFError, pickle, struct, its own)
                raise KeywordIndexError(f"keyword index in {self.folder} is damaged ({exc!r}); {_REBUILD}") from exc
            if count != len(self._postings):
                raise KeywordIndexError(f"keyword index in {self.folder}: whoosh ({count} items) and "
                                        f"postings ({len(self._postings)}) disagree; {_REBUILD}")
            self._whoosh = whoosh
        return self._whoosh

    def _whoosh_searcher(self) -> WhooshSearcher:
        """whoosh's searcher, opened on first use."""
        with self._lock:
            if self._searcher is None:
                try:
                    self._searcher = self._open_whoosh().searcher()
                except Exception as exc:  # whoosh raises many types; see open()
                    raise KeywordIndexError(f"keyword index in {self.folder} is damaged ({exc!r}); "
                                            f"{_REBUILD}") from exc
            return self._searcher

    def _release(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = None


def _fill(strict: list[tuple[str, float]], loose: list[tuple[str, float]], limit: int) -> list[tuple[str, float]]:
    """Items matching all words first, then items matching some, scaled to score below them."""
    seen = {item for item, _ in strict}
    extra = [(item, score) for item, score in loose if item not in seen][: limit - len(strict)]
    if not strict or not extra:
        return strict + extra
    factor = 0.9 * strict[-1][1] / max(extra[0][1], 1e-9)
    return strict + [(item, score * min(factor, 1.0)) for item, score in extra]


def _rows_containing(postings: PostingsIndex, text: str) -> np.ndarray:
    """Rows whose grams hold a Chinese term as a substring, or whose title or text hold other words in order."""
    if is_cjk(text) and len(text) > 1:
        clauses = [Clause(GRAMS, tuple(t.text for t in bigrams(text)))]
    else:
        tokens = tuple(t.text for t in analyze(text))
        clauses = [Clause(name, tokens) for name in ("title", "text")] if tokens else []
    found = [postings.clause(c)[0] for c in clauses]
    return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)


def whoosh_written(folder: Path) -> bool:
    """Whether a keyword index folder holds whoosh's files."""
    return WhooshIndex.exists(folder)


def write_whoosh(folder: Path, items: Iterable[Item]) -> None:
    """Write whoosh's files of these items (those of the folder's postings) beside the postings.

    They are written in a folder of their own and moved in when complete, the segment list last, so a reader sees
    all of them or none (and an interrupted writer leaves only that folder, replaced by the next one).
    """
    folder = Path(folder)
    work = folder / WHOOSH_TMP
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    with WhooshIndex.create(work).writing() as writer:
        for item in items:
            writer.add(document(item))
    WhooshIndex.move(work, folder)
    work.rmdir()


def _remove_whoosh(folder: Path) -> None:
    """Remove whoosh's files from a keyword folder, and any left half-written."""
    WhooshIndex.remove(folder)
    shutil.rmtree(folder / WHOOSH_TMP, ignore_errors=True)


def _check_meta(folder: Path) -> None:
    if not (folder / POSTINGS_DIR).is_dir() and not WhooshIndex.exists(folder):
        raise KeywordIndexError(f"no keyword index in {folder}; build it with `bulletins build`")
    try:
        meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise KeywordIndexError(f"keyword index in {folder} has no readable {META_FILE}; {_REBUILD}") from exc
    if meta.get("analysis") != analysis_fingerprint():
        raise KeywordIndexError(f"keyword index in {folder} was built with another analyzer or dictionary; "
                                f"{_REBUILD}")
