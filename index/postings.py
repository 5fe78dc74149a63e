"""Inverted postings in numpy: BM25 scoring of plain-word queries without a search engine's matcher trees.

Per field, one CSR structure over an insertion-ordered vocabulary: ``ptr[t]:ptr[t+1]`` indexes the postings
of term ``t`` (``docs``: rows in increasing order, ``tfs``: term frequencies). Positional fields also keep every
occurrence's position (``pos``, postings order; ``occ[t]`` is where term ``t``'s occurrences start), so a
multi-token form is matched as a phrase. Field lengths are kept per row. Rows are item ids (``ids``).

A query is data: units (:data:`Unit`), each a tuple of :class:`Clause` (a token sequence in one field, with a
weight). A unit matches a row when any of its clauses does; its score is the sum of the matching clauses'
BM25 (whoosh's BM25F per field: ``idf = log(N / (df + 1)) + 1``, B = 0.75, K1 = 1.2, lengths on
whoosh's one-byte scale) times their weights.
Callers combine the per-unit matches and scores (AND / OR) and take the top k with :func:`top_k`.

Saved as ``.npy`` files (``allow_pickle=False``) plus ``postings.json`` (vocabularies, ids, counts).
Knows nothing of whoosh or of query syntax.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
META_FILE = "postings.json"
B, K1 = 0.75, 1.2
_EMPTY_I = np.zeros(0, dtype=np.int32)
# Field lengths as whoosh 2.7 stores them (one byte, log scale, rounded up): scoring with the same lengths
# keeps the ranks of the two paths equal (exact lengths moved near-ties in judged queries).
_LENGTH_STEPS = np.array([
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 16, 17, 18, 20, 21, 23, 25, 26, 28, 30, 32, 34, 36,
    38, 40, 42, 45, 47, 49, 52, 54, 57, 60, 63, 66, 69, 72, 75, 79, 82, 86, 89, 93, 97, 101, 106, 110,
    114, 119, 124, 129, 134, 139, 145, 150, 156, 162, 169, 175, 182, 189, 196, 203, 211, 219, 227, 235,
    244, 253, 262, 271, 281, 291, 302, 313, 324, 336, 348, 360, 373, 386, 399, 414, 428, 443, 459, 475,
    491, 508, 526, 544, 563, 583, 603, 623, 645, 667, 690, 714, 738, 763, 789, 816, 844, 873, 903, 933,
    965, 998, 1032, 1066, 1103, 1140, 1178, 1218, 1259, 1302, 1345, 1391, 1438, 1486, 1536, 1587, 1641,
    1696, 1753, 1811, 1872, 1935, 1999, 2066, 2135, 2207, 2280, 2356, 2435, 2516, 2600, 2687, 2777,
    2869, 2965, 3063, 3165, 3271, 3380, 3492, 3608, 3728, 3852, 3980, 4112, 4249, 4390, 4536, 4686,
    4842, 5002, 5168, 5340, 5517, 5700, 5889, 6084, 6286, 6494, 6709, 6932, 7161, 7398, 7643, 7897,
    8158, 8428, 8707, 8995, 9293, 9601, 9918, 10247, 10586, 10936, 11298, 11671, 12057, 12456, 12868,
    13294, 13733, 14187, 14656, 15141, 15641, 16159, 16693, 17244, 17814, 18403, 19011, 19640, 20289,
    20959, 21652, 22367, 23106, 23869, 24658, 25472, 26314, 27183, 28081, 29009, 29967, 30957, 31979,
    33035, 34126, 35254, 36418, 37620, 38863, 40146, 41472, 42841, 44256, 45717, 47227, 48786, 50397,
    52061, 53780, 55556, 57390, 59285, 61242, 63264, 65352, 67510, 69739, 72041, 74419, 76876, 79414,
    82035, 84743, 87541, 90430, 93416, 96499, 99684, 102975, 106374,
], dtype=np.int64)


class PostingsError(RuntimeError):
    """The postings folder is missing, damaged or of another format."""


@dataclass(frozen=True)
class Clause:
    """A token sequence sought in one field.

    Attributes:
        field: Field name.
        tokens: Analysed tokens; one token is a term, several a phrase (or a conjunction, see ``phrase``).
        weight: Multiplies the clause's BM25 score.
        phrase: Several tokens must be adjacent and in order (else: all present anywhere in the field).
    """

    field: str
    tokens: tuple[str, ...]
    weight: float = 1.0
    phrase: bool = True


Unit = tuple[Clause, ...]


@dataclass(frozen=True)
class Doc:
    """One item's analysed fields, as given to :meth:`PostingsIndex.build`."""

    id: str
    group: str  # removal key (the bulletin id)
    fields: Mapping[str, Sequence[str]]


class _Field:
    """Postings of one field (arrays may be memory-mapped)."""

    def __init__(self, vocab: list[str], ptr: np.ndarray, docs: np.ndarray, tfs: np.ndarray,
                 lengths: np.ndarray, pos: np.ndarray | None = None, occ: np.ndarray | None = None) -> None:
        self.vocab, self.ptr, self.docs, self.tfs, self.lengths = vocab, ptr, docs, tfs, lengths
        self.pos, self.occ = pos, occ
        self.term_id = {term: n for n, term in enumerate(vocab)}
        avg = float(lengths.sum()) / max(len(lengths), 1) or 1.0
        stored = _LENGTH_STEPS[np.minimum(np.searchsorted(_LENGTH_STEPS, lengths), 255)]
        self.norm = (K1 * ((1 - B) + B * stored.astype(np.float32) / np.float32(avg))).astype(np.float32)

    @property
    def positional(self) -> bool:
        return self.pos is not None

    def postings(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        t = self.term_id.get(term)
        if t is None:
            return _EMPTY_I, _EMPTY_I
        a, b = self.ptr[t], self.ptr[t + 1]
        return self.docs[a:b], self.tfs[a:b]

    def occurrences(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(row, position) of every occurrence of a term, by row then position."""
        t = self.term_id.get(term)
        if t is None or self.pos is None:
            return _EMPTY_I, _EMPTY_I
        docs, tfs = self.postings(term)
        return np.repeat(docs, tfs), self.pos[self.occ[t] : self.occ[t + 1]]

    def bm25(self, docs: np.ndarray, tfs: np.ndarray, n_docs: int, df: int | None = None) -> np.ndarray:
        """BM25 of a term in the given rows (``df``: its document frequency, default ``len(docs)``)."""
        idf = np.float32(np.log(n_docs / ((len(docs) if df is None else df) + 1)) + 1)
        tf = tfs.astype(np.float32)
        return idf * tf * np.float32(K1 + 1) / (tf + self.norm[docs])


class PostingsIndex:
    """Numpy postings of several fields over the same rows (items)."""

    def __init__(self, ids: list[str], groups: list[str], fields: dict[str, _Field]) -> None:
        self.ids, self.groups, self.fields = ids, groups, fields
        self.row_of = {item_id: row for row, item_id in enumerate(ids)}

    def __len__(self) -> int:
        return len(self.ids)

    # -- building ------------------------------------------------------------------------------------

    @classmethod
    def build(cls, docs: Iterable[Doc], positional: Mapping[str, bool]) -> PostingsIndex:
        """Index analysed documents.

        Args:
            docs: Documents in row order.
            positional: Field name -> keep positions (needed for phrases in that field).
        """
        builder = _Builder({name: [] for name in positional})
        for doc in docs:
            builder.add(doc)
        return cls(builder.ids, builder.groups,
                   {name: builder.field(name, keep, [], 0) for name, keep in positional.items()})

    def updated(self, remove_groups: Iterable[str], add: Iterable[Doc]) -> PostingsIndex:
        """A new index without the rows of the given groups (and of re-added ids), plus new documents.

        Args:
            remove_groups: Group keys (bulletin ids) whose rows are removed.
            add: Documents appended after the kept rows (an id already present replaces that row).
        """
        add = list(add)
        gone = set(remove_groups)
        replaced = {doc.id for doc in add}
        keep = np.fromiter((g not in gone and i not in replaced for i, g in zip(self.ids, self.groups,
                                                                              strict=True)),
                           dtype=bool, count=len(self.ids))
        builder = _Builder({name: list(f.vocab) for name, f in self.fields.items()})
        for doc in add:
            builder.add(doc)
        ids = [i for i, k in zip(self.ids, keep.tolist(), strict=True) if k] + builder.ids
        groups = [g for g, k in zip(self.groups, keep.tolist(), strict=True) if k] + builder.groups
        fields = {name: _merge(f, keep, builder.field(name, f.positional, f.vocab, int(keep.sum())))
                  for name, f in self.fields.items()}
        return PostingsIndex(ids, groups, fields)

    # -- files ---------------------------------------------------------------------------------------

    def save(self, folder: Path) -> None:
        """Write the index into ``folder`` (replaced as a whole: written aside, then renamed)."""
        folder = Path(folder)
        tmp = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        meta = {"format": FORMAT_VERSION, "ids": self.ids, "groups": self.groups, "fields": {}}
        for name, f in self.fields.items():
            arrays = {"ptr": f.ptr, "docs": f.docs, "tfs": f.tfs, "lengths": f.lengths}
            if f.positional:
                arrays |= {"pos": f.pos, "occ": f.occ}
            for key, array in arrays.items():
                np.save(tmp / f"{name}.{key}.npy", np.ascontiguousarray(array), allow_pickle=False)
            meta["fields"][name] = {"vocab": f.vocab, "positional": f.positional}
        (tmp / META_FILE).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        if folder.exists():
            shutil.rmtree(folder)
        tmp.rename(folder)

    @classmethod
    def load(cls, folder: Path) -> PostingsIndex:
        """Read an index written by :meth:`save` (large arrays memory-mapped).

        Raises:
            PostingsError: Missing, damaged or of another format.
        """
        folder = Path(folder)
        try:
            meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
            if meta.get("format") != FORMAT_VERSION:
                raise PostingsError(f"postings in {folder} have format {meta.get('format')}, "
                                    f"expected {FORMAT_VERSION}")
            fields = {name: _load_field(folder, name, spec) for name, spec in meta["fields"].items()}
            index = cls(meta["ids"], meta["groups"], fields)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise PostingsError(f"postings in {folder} are missing or damaged ({exc!r})") from exc
        for name, f in fields.items():
            if len(f.lengths) != len(index.ids) or len(f.ptr) != len(f.vocab) + 1:
                raise PostingsError(f"postings in {folder}: field {name} does not fit the item list")
        return index

    # -- searching -----------------------------------------------------------------------------------

    def mask_of(self, ids: Iterable[str]) -> np.ndarray:
        """Boolean rows of the given item ids (unknown ids ignored)."""
        row_of = self.row_of
        rows = np.fromiter((row_of[i] for i in ids if i in row_of), dtype=np.int64)
        mask = np.zeros(len(self.ids), dtype=bool)
        mask[rows] = True
        return mask

    def score_units(self, units: Sequence[Unit]) -> tuple[np.ndarray, np.ndarray]:
        """Per-unit BM25 scores and matches.

        Args:
            units: Query units; a unit matches when any clause matches.

        Returns:
            (scores float32 (U, N), matches bool (U, N)).
        """
        n = len(self.ids)
        scores = np.zeros((len(units), n), dtype=np.float32)
        matches = np.zeros((len(units), n), dtype=bool)
        for u, unit in enumerate(units):
            for clause in unit:
                docs, score = self.clause(clause)
                if len(docs):
                    scores[u, docs] += score
                    matches[u, docs] = True
        return scores, matches

    def clause(self, clause: Clause) -> tuple[np.ndarray, np.ndarray]:
        """Rows matching one clause (increasing, unique) and their weighted BM25 scores."""
        f = self.fields.get(clause.field)
        if f is None or not clause.tokens:
            return _EMPTY_I, np.zeros(0, dtype=np.float32)
        n = len(self.ids)
        if len(clause.tokens) == 1:
            docs, tfs = f.postings(clause.tokens[0])
            return docs, f.bm25(docs, tfs, n) * np.float32(clause.weight)
        postings = [f.postings(t) for t in clause.tokens]
        docs = postings[0][0]
        for other, _ in postings[1:]:
            docs = np.intersect1d(docs, other, assume_unique=True) if len(docs) else docs
        if len(docs) and clause.phrase:
            docs = _phrase_rows(f, clause.tokens, docs, n)
        score = np.zeros(len(docs), dtype=np.float32)
        for term_docs, tfs in postings:
            if len(docs):
                at = np.searchsorted(term_docs, docs)
                score += f.bm25(docs, tfs[at], n, len(term_docs))
        return docs, score * np.float32(clause.weight)


def top_k(scores: np.ndarray, mask: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k best rows within a mask, best first (ties: lower row first).

    Args:
        scores: float (N,).
        mask: bool (N,) of candidate rows.
        k: How many rows.

    Returns:
        (rows, scores).
    """
    rows = np.flatnonzero(mask)
    if k <= 0 or not len(rows):
        return rows[:0], scores[rows[:0]]
    if len(rows) > k:
        part = np.argpartition(-scores[rows], k - 1)[:k]
        cut = scores[rows[part]].min()
        rows = rows[scores[rows] >= cut]  # keep ties at the cut, so the order below is by row
    order = np.lexsort((rows, -scores[rows]))[:k]
    return rows[order], scores[rows[order]]


def _phrase_rows(f: _Field, tokens: Sequence[str], candidates: np.ndarray, n: int) -> np.ndarray:
    """Candidate rows in which the tokens occur adjacent and in order."""
    if not f.positional:
        return candidates
    wanted = np.zeros(n, dtype=bool)
    wanted[candidates] = True
    keys = None
    for offset, token in enumerate(tokens):
        rows, pos = f.occurrences(token)
        sel = wanted[rows] & (pos >= offset)
        key = (rows[sel].astype(np.int64) << 32) | (pos[sel] - offset).astype(np.int64)
        keys = key if keys is None else np.intersect1d(keys, key, assume_unique=True)
        if not len(keys):
            return _EMPTY_I
    return np.unique(keys >> 32).astype(np.int32)


class _Builder:
    """Collects analysed documents: term ids per field in document order."""

    def __init__(self, vocabs: dict[str, list[str]]) -> None:
        self.vocab_ids = {name: {t: n for n, t in enumerate(vocab)} for name, vocab in vocabs.items()}
        self.tids: dict[str, list[int]] = {name: [] for name in vocabs}
        self.lengths: dict[str, list[int]] = {name: [] for name in vocabs}
        self.ids: list[str] = []
        self.groups: list[str] = []

    def add(self, doc: Doc) -> None:
        self.ids.append(doc.id)
        self.groups.append(doc.group)
        for name, ids in self.vocab_ids.items():
            tokens = doc.fields.get(name, ())
            self.tids[name].extend([ids.setdefault(t, len(ids)) for t in tokens])
            self.lengths[name].append(len(tokens))

    def field(self, name: str, positional: bool, old_vocab: list[str], first_row: int) -> _Field:
        """Postings of the collected documents (rows from ``first_row``); the vocabulary extends ``old_vocab``."""
        ids = self.vocab_ids[name]
        vocab = list(old_vocab) + list(ids)[len(old_vocab) :]
        tids = np.asarray(self.tids[name], dtype=np.int32)
        lengths = np.asarray(self.lengths[name], dtype=np.int32)
        rows = np.repeat(np.arange(first_row, first_row + len(lengths), dtype=np.int32), lengths)
        starts = np.cumsum(lengths) - lengths
        pos = np.arange(len(tids), dtype=np.int32) - np.repeat(starts, lengths).astype(np.int32)
        order = np.argsort(tids, kind="stable")  # by term, then row, then position
        tids, rows, pos = tids[order], rows[order], pos[order]
        new = np.ones(len(tids), dtype=bool)
        new[1:] = (tids[1:] != tids[:-1]) | (rows[1:] != rows[:-1])
        first = np.flatnonzero(new)
        tfs = np.diff(np.append(first, len(tids))).astype(np.int32)
        ptr = _pointers(tids[first], len(vocab))
        occ = _pointers(tids, len(vocab)) if positional else None
        return _Field(vocab, ptr, rows[first], tfs, lengths, pos if positional else None, occ)


def _pointers(sorted_tids: np.ndarray, size: int) -> np.ndarray:
    counts = np.bincount(sorted_tids, minlength=size)
    return np.concatenate(([0], np.cumsum(counts))).astype(np.int64)


def _merge(old: _Field, keep: np.ndarray, new: _Field) -> _Field:
    """Old postings of kept rows (renumbered) followed, term by term, by the new rows' postings."""
    remap = (np.cumsum(keep) - 1).astype(np.int32)
    old_tid = np.repeat(np.arange(len(old.vocab), dtype=np.int32), np.diff(old.ptr))
    kept = keep[old.docs]
    tids = np.concatenate((old_tid[kept], np.repeat(np.arange(len(new.vocab), dtype=np.int32),
                                                    np.diff(new.ptr))))
    docs = np.concatenate((remap[old.docs[kept]], new.docs))
    tfs = np.concatenate((old.tfs[kept], new.tfs))
    order = np.argsort(tids, kind="stable")  # old rows precede new rows within a term
    ptr = _pointers(tids[order], len(new.vocab))
    lengths = np.concatenate((old.lengths[keep], new.lengths))
    if not old.positional:
        return _Field(new.vocab, ptr, docs[order], tfs[order], lengths)
    pos = np.concatenate((old.pos[np.repeat(kept, old.tfs)], new.pos))
    starts = np.cumsum(tfs) - tfs
    lens = tfs[order]
    gather = np.repeat(starts[order] - (np.cumsum(lens) - lens), lens) + np.arange(int(lens.sum()))
    occ = np.concatenate(([0], np.cumsum(np.bincount(tids[order], weights=lens, minlength=len(new.vocab)))))
    return _Field(new.vocab, ptr, docs[order], lens, lengths, pos[gather], occ.astype(np.int64))


def _load_field(folder: Path, name: str, spec: dict) -> _Field:
    def array(key: str, mmap: bool = True) -> np.ndarray:
        return np.load(folder / f"{name}.{key}.npy", mmap_mode="r" if mmap else None, allow_pickle=False)

    positional = bool(spec["positional"])
    return _Field(list(spec["vocab"]), array("ptr", False), array("docs"), array("tfs"), array("lengths", False),
                  array("pos") if positional else None, array("occ", False) if positional else None)
