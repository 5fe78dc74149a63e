"""Inverted postings in numpy: BM25 scoring of word and phrase queries without a search engine's matcher trees.

The index is a list of immutable *parts* (like a search engine's segments). A part holds, per field, one CSR
structure over its own insertion-ordered vocabulary: ``ptr[t]:ptr[t+1]`` indexes the postings of term ``t``
(``docs``: the part's rows in increasing order, ``tfs``: term frequencies). Positional fields also keep every
occurrence's position (``pos``, postings order; ``occ[t]`` is where term ``t``'s occurrences start), so a
multi-token form is matched as a phrase. Field lengths are kept per row. Global rows are the parts' rows one
after another; a part's deleted rows stay in place (never matching) until the part is rewritten.

A query is data: units (:data:`Unit`), each a tuple of :class:`Clause` (a token sequence in one field, with a
weight). A unit matches a row when any of its clauses does; its score is the sum of the matching clauses'
BM25 (whoosh's BM25F per field: ``idf = log(N / (df + 1)) + 1``, B = 0.75, K1 = 1.2, lengths on whoosh's
one-byte scale) times their weights. N, df and the average field length are taken over the live rows of all
parts, so scores equal those of one index built from the live rows.
Callers combine the per-unit matches and scores (AND / OR) and take the top k with :func:`top_k`.

Files (``.npy`` with ``allow_pickle=False``, JSON): ``postings.json`` lists the parts and their deletion files;
part ``p<k>`` is ``p<k>.json`` (ids, groups, vocabularies) plus ``p<k>.<field>.<array>.npy``; deleted rows are
``p<k>.deleted-<n>.npy``. :meth:`PostingsIndex.save` never changes an existing file: it writes new files, then
replaces ``postings.json`` by a rename and deletes files no longer listed, so a folder of hard links to another
index's files can be updated without touching that index. Knows nothing of whoosh or of query syntax.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

FORMAT_VERSION = 2  # 2: parts with deletion files
META_FILE = "postings.json"
B, K1 = 0.75, 1.2
MERGE_RATIO = 4  # the last part is merged into the one before it when that one is at most this many times larger
COMPACT_DEAD = 0.25  # a part is rewritten without its deleted rows when they are this share of it
_ARRAYS = ("ptr", "docs", "tfs", "lengths")
_EMPTY_I = np.zeros(0, dtype=np.int32)
_EMPTY_F = np.zeros(0, dtype=np.float32)
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
    """Postings of one field in one part, rows local to the part (arrays may be memory-mapped)."""

    def __init__(self, vocab: list[str], ptr: np.ndarray, docs: np.ndarray, tfs: np.ndarray,
                 lengths: np.ndarray, pos: np.ndarray | None = None, occ: np.ndarray | None = None) -> None:
        self.vocab, self.ptr, self.docs, self.tfs, self.lengths = vocab, ptr, docs, tfs, lengths
        self.pos, self.occ = pos, occ
        self.term_id = {term: n for n, term in enumerate(vocab)}

    @property
    def positional(self) -> bool:
        return self.pos is not None

    def postings(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        t = self.term_id.get(term)
        if t is None:
            return _EMPTY_I, _EMPTY_I
        a, b = self.ptr[t], self.ptr[t + 1]
        return self.docs[a:b], self.tfs[a:b]

    def positions(self, term: str) -> np.ndarray:
        """Positions of every occurrence of a term, in postings order (by row, then position)."""
        t = self.term_id.get(term)
        return _EMPTY_I if t is None or self.pos is None else self.pos[self.occ[t] : self.occ[t + 1]]

    def arrays(self) -> dict[str, np.ndarray]:
        out = {"ptr": self.ptr, "docs": self.docs, "tfs": self.tfs, "lengths": self.lengths}
        return out | ({"pos": self.pos, "occ": self.occ} if self.positional else {})


class _Part:
    """An immutable batch of rows; only its set of deleted rows changes (as a new object)."""

    def __init__(self, name: str, ids: list[str], groups: list[str], fields: dict[str, _Field],
                 deleted: np.ndarray = _EMPTY_I, folder: Path | None = None, deleted_file: str | None = None) -> None:
        self.name, self.ids, self.groups, self.fields = name, ids, groups, fields
        self.deleted = deleted  # sorted local rows
        self.folder = folder  # where the part's files are (None: not saved yet)
        self.deleted_file = deleted_file  # file of ``deleted`` in ``folder`` (None: none or not saved yet)

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def live(self) -> int:
        return len(self.ids) - len(self.deleted)

    def alive(self) -> np.ndarray:
        keep = np.ones(len(self.ids), dtype=bool)
        keep[self.deleted] = False
        return keep

    def with_deleted(self, rows: Iterable[int]) -> _Part:
        deleted = np.union1d(self.deleted, np.fromiter(rows, dtype=np.int32)).astype(np.int32)
        if len(deleted) == len(self.deleted):
            return self
        return _Part(self.name, self.ids, self.groups, self.fields, deleted, self.folder, None)


class PostingsIndex:
    """Numpy postings of several fields over the same rows (items), kept as parts."""

    def __init__(self, parts: list[_Part], positional: Mapping[str, bool], next_part: int | None = None) -> None:
        self.parts, self.positional = list(parts), dict(positional)
        self.next_part = next_part if next_part is not None else len(parts) + 1
        self.starts = np.cumsum([0] + [len(p) for p in self.parts])
        self.ids: list[str] = [i for p in self.parts for i in p.ids]  # global row -> item id (deleted rows too)
        self.alive = np.ones(len(self.ids), dtype=bool)
        for part, start in zip(self.parts, self.starts.tolist(), strict=False):
            self.alive[part.deleted + start] = False
        self._deletions = not self.alive.all()
        live = self.alive.tolist()
        self.row_of = {item_id: row for row, item_id in enumerate(self.ids) if live[row]}
        self._n = len(self.row_of)
        self._norm = {name: self._norms(name) for name in self.positional}

    def __len__(self) -> int:
        """Number of live rows (items)."""
        return self._n

    def group_of(self, item_id: str) -> str | None:
        """The group (bulletin id) of a live item, None when absent."""
        row = self.row_of.get(item_id)
        if row is None:
            return None
        part = int(np.searchsorted(self.starts, row, side="right")) - 1
        return self.parts[part].groups[row - int(self.starts[part])]

    def _norms(self, name: str) -> np.ndarray:
        """BM25 length normalisation per global row, with the average length of the live rows."""
        lengths = np.concatenate([p.fields[name].lengths for p in self.parts]) if self.parts else _EMPTY_I
        live = lengths[self.alive] if self._deletions else lengths
        avg = float(live.sum()) / max(len(live), 1) or 1.0
        stored = _LENGTH_STEPS[np.minimum(np.searchsorted(_LENGTH_STEPS, lengths), 255)]
        return (K1 * ((1 - B) + B * stored.astype(np.float32) / np.float32(avg))).astype(np.float32)

    # -- building ------------------------------------------------------------------------------------

    @classmethod
    def build(cls, docs: Iterable[Doc], positional: Mapping[str, bool]) -> PostingsIndex:
        """Index analysed documents.

        Args:
            docs: Documents in row order.
            positional: Field name -> keep positions (needed for phrases in that field).
        """
        return cls([_build_part("p1", docs, positional)], positional, 2)

    def updated(self, remove_groups: Iterable[str], add: Iterable[Doc]) -> PostingsIndex:
        """A new index without the rows of the given groups (and of re-added ids), plus new documents.

        The parts of this index are shared, not copied: the new documents become a new part, deleted rows are
        recorded per part, and small trailing parts (or parts with many deleted rows) are rewritten.

        Args:
            remove_groups: Group keys (bulletin ids) whose rows are removed.
            add: Documents appended after the kept rows (an id already present replaces that row).
        """
        add, gone = list(add), set(remove_groups)
        dead = {self.row_of[d.id] for d in add if d.id in self.row_of}
        if gone:
            live = self.alive.tolist()
            for part, start in zip(self.parts, self.starts.tolist(), strict=False):
                dead.update(start + r for r, g in enumerate(part.groups) if g in gone and live[start + r])
        parts, counter = [], self.next_part
        for part, start, end in zip(self.parts, self.starts[:-1].tolist(), self.starts[1:].tolist(), strict=True):
            rows = [r - start for r in dead if start <= r < end]
            parts.append(part.with_deleted(rows) if rows else part)
        if add:
            parts.append(_build_part(f"p{counter}", add, self.positional))
            counter += 1
        parts, counter = _tidy(parts, counter)
        return PostingsIndex(parts, self.positional, counter)

    # -- files ---------------------------------------------------------------------------------------

    def save(self, folder: Path) -> None:
        """Write the index into ``folder``: new files only, then ``postings.json`` replaced, then stale files deleted.

        Parts already saved in ``folder`` are not written again, so saving after :meth:`updated` writes only
        the new parts and deletion files.
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        counter, listed = self.next_part, []
        for part in self.parts:
            if part.folder is None or not _same(part.folder, folder):
                _save_part(part, folder)
                part.folder, part.deleted_file = folder, None
            if len(part.deleted) and part.deleted_file is None:
                part.deleted_file = f"{part.name}.deleted-{counter}.npy"
                counter += 1
                _write_array(folder / part.deleted_file, part.deleted)
            listed.append({"name": part.name, "rows": len(part), "deleted": part.deleted_file if len(part.deleted)
                           else None})
        self.next_part = counter
        meta = {"format": FORMAT_VERSION, "next": counter, "positional": self.positional, "parts": listed}
        tmp = folder / f"{META_FILE}.tmp"
        tmp.unlink(missing_ok=True)
        tmp.write_text(json.dumps(meta), encoding="utf-8")
        os.replace(tmp, folder / META_FILE)
        keep = {META_FILE} | {name for part in self.parts for name in _part_files(part)}
        for path in folder.iterdir():
            if path.name not in keep and path.is_file():
                path.unlink()

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
            positional = {name: bool(keep) for name, keep in meta["positional"].items()}
            parts = [_load_part(folder, spec, positional) for spec in meta["parts"]]
            return cls(parts, positional, int(meta["next"]))
        except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
            raise PostingsError(f"postings in {folder} are missing or damaged ({exc!r})") from exc

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
            (scores float32 (U, N), matches bool (U, N)), N = ``len(self.ids)`` (deleted rows never match).
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
        if clause.field not in self.positional or not clause.tokens:
            return _EMPTY_I, _EMPTY_F
        postings = [self.postings(clause.field, t) for t in clause.tokens]
        docs = postings[0][0]
        for other, _ in postings[1:]:
            docs = np.intersect1d(docs, other, assume_unique=True) if len(docs) else docs
        if len(docs) and len(postings) > 1 and clause.phrase and self.positional[clause.field]:
            docs = self._phrase_rows(clause.field, clause.tokens, docs)
        score = np.zeros(len(docs), dtype=np.float32)
        for term_docs, tfs in postings:
            if len(docs):
                at = np.searchsorted(term_docs, docs) if len(postings) > 1 else slice(None)
                score += self._bm25(clause.field, docs, tfs[at], len(term_docs))
        return docs, score * np.float32(clause.weight)

    def postings(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(global rows, term frequencies) of a term's live postings, rows increasing."""
        docs, tfs = [], []
        for part, start in zip(self.parts, self.starts.tolist(), strict=False):
            d, t = part.fields[field].postings(term)
            if len(d):
                docs.append(d + np.int32(start) if start else d)
                tfs.append(t)
        if not docs:
            return _EMPTY_I, _EMPTY_I
        docs, tfs = (docs[0], tfs[0]) if len(docs) == 1 else (np.concatenate(docs), np.concatenate(tfs))
        if self._deletions:
            keep = self.alive[docs]
            docs, tfs = docs[keep], tfs[keep]
        return docs, tfs

    def _occurrences(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(global row, position) of every occurrence of a term (deleted rows included)."""
        rows, pos = [], []
        for part, start in zip(self.parts, self.starts.tolist(), strict=False):
            f = part.fields[field]
            d, t = f.postings(term)
            if len(d):
                rows.append(np.repeat(d + np.int32(start), t))
                pos.append(f.positions(term))
        if not rows:
            return _EMPTY_I, _EMPTY_I
        return np.concatenate(rows), np.concatenate(pos)

    def _bm25(self, field: str, docs: np.ndarray, tfs: np.ndarray, df: int) -> np.ndarray:
        """BM25 of a term in the given rows (``df``: its number of live rows)."""
        idf = np.float32(np.log(self._n / (df + 1)) + 1)
        tf = tfs.astype(np.float32)
        return idf * tf * np.float32(K1 + 1) / (tf + self._norm[field][docs])

    def _phrase_rows(self, field: str, tokens: Sequence[str], candidates: np.ndarray) -> np.ndarray:
        """Candidate rows in which the tokens occur adjacent and in order."""
        wanted = np.zeros(len(self.ids), dtype=bool)
        wanted[candidates] = True
        keys = None
        for offset, token in enumerate(tokens):
            rows, pos = self._occurrences(field, token)
            sel = wanted[rows] & (pos >= offset)
            key = (rows[sel].astype(np.int64) << 32) | (pos[sel] - offset).astype(np.int64)
            keys = key if keys is None else np.intersect1d(keys, key, assume_unique=True)
            if not len(keys):
                return _EMPTY_I
        return np.unique(keys >> 32).astype(np.int32)


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


# ----------------------------------------------------------------------------- parts: build, merge, files


def _build_part(name: str, docs: Iterable[Doc], positional: Mapping[str, bool]) -> _Part:
    """A part of analysed documents: term ids per field in document order, sorted into CSR arrays."""
    vocabs: dict[str, dict[str, int]] = {field: {} for field in positional}
    tids: dict[str, list[int]] = {field: [] for field in positional}
    lengths: dict[str, list[int]] = {field: [] for field in positional}
    ids, groups = [], []
    for doc in docs:
        ids.append(doc.id)
        groups.append(doc.group)
        for field, vocab in vocabs.items():
            tokens = doc.fields.get(field, ())
            tids[field].extend([vocab.setdefault(t, len(vocab)) for t in tokens])
            lengths[field].append(len(tokens))
    fields = {field: _field_of(list(vocabs[field]), np.asarray(tids[field], dtype=np.int32),
                               np.asarray(lengths[field], dtype=np.int32), keep)
              for field, keep in positional.items()}
    return _Part(name, ids, groups, fields)


def _field_of(vocab: list[str], tids: np.ndarray, lengths: np.ndarray, positional: bool) -> _Field:
    """CSR postings of a token stream (term ids of row 0's tokens, then row 1's...)."""
    rows = np.repeat(np.arange(len(lengths), dtype=np.int32), lengths)
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


def _pointers(sorted_tids: np.ndarray, size: int, weights: np.ndarray | None = None) -> np.ndarray:
    counts = np.bincount(sorted_tids, weights=weights, minlength=size)
    return np.concatenate(([0], np.cumsum(counts))).astype(np.int64)


def _tidy(parts: list[_Part], counter: int) -> tuple[list[_Part], int]:
    """Drop empty parts, rewrite parts with many deleted rows, merge small trailing parts (order kept)."""
    out = []
    for part in parts:
        if not part.live:
            continue
        if len(part.deleted) >= COMPACT_DEAD * len(part):
            part, counter = _merge([part], f"p{counter}"), counter + 1
        out.append(part)
        while len(out) > 1 and out[-2].live <= MERGE_RATIO * out[-1].live:
            out[-2:], counter = [_merge(out[-2:], f"p{counter}")], counter + 1
    return out, counter


def _merge(parts: Sequence[_Part], name: str) -> _Part:
    """One part of the live rows of several parts, in order."""
    alive = [p.alive() for p in parts]
    ids = [i for p, keep in zip(parts, alive, strict=True) for i, k in zip(p.ids, keep.tolist(), strict=True) if k]
    groups = [g for p, keep in zip(parts, alive, strict=True)
              for g, k in zip(p.groups, keep.tolist(), strict=True) if k]
    fields = {field: _merge_field([p.fields[field] for p in parts], alive) for field in parts[0].fields}
    return _Part(name, ids, groups, fields)


def _merge_field(fields: Sequence[_Field], alive: Sequence[np.ndarray]) -> _Field:
    """Postings of the kept rows of several parts' fields, renumbered; terms no longer used are dropped."""
    vocab: dict[str, int] = {}
    tids, docs, tfs, pos, lengths, base = [], [], [], [], [], 0
    for f, keep in zip(fields, alive, strict=True):
        term_map = np.fromiter((vocab.setdefault(t, len(vocab)) for t in f.vocab), dtype=np.int32,
                               count=len(f.vocab))
        remap = (np.cumsum(keep) - 1 + base).astype(np.int32)
        kept = keep[f.docs]
        tids.append(np.repeat(term_map, np.diff(f.ptr))[kept])
        docs.append(remap[f.docs[kept]])
        tfs.append(np.asarray(f.tfs)[kept])
        if f.positional:
            pos.append(np.asarray(f.pos)[np.repeat(kept, f.tfs)])
        lengths.append(np.asarray(f.lengths)[keep])
        base += int(keep.sum())
    tids, docs, tfs = np.concatenate(tids), np.concatenate(docs), np.concatenate(tfs)
    used = np.bincount(tids, minlength=len(vocab)) > 0
    words = [t for t, u in zip(vocab, used.tolist(), strict=True) if u]
    tids = (np.cumsum(used) - 1).astype(np.int32)[tids]
    order = np.argsort(tids, kind="stable")  # earlier parts (lower rows) first within a term
    ptr = _pointers(tids[order], len(words))
    out_lengths = np.concatenate(lengths).astype(np.int32)
    if not pos:
        return _Field(words, ptr, docs[order], tfs[order], out_lengths)
    starts = np.cumsum(tfs) - tfs
    lens = tfs[order]
    gather = np.repeat(starts[order] - (np.cumsum(lens) - lens), lens) + np.arange(int(lens.sum()))
    occ = _pointers(tids[order], len(words), lens)
    return _Field(words, ptr, docs[order], lens, out_lengths, np.concatenate(pos)[gather].astype(np.int32), occ)


def _part_files(part: _Part) -> list[str]:
    names = [f"{part.name}.json"]
    for field, f in part.fields.items():
        names += [f"{part.name}.{field}.{key}.npy" for key in f.arrays()]
    return names + ([part.deleted_file] if part.deleted_file and len(part.deleted) else [])


def _save_part(part: _Part, folder: Path) -> None:
    for field, f in part.fields.items():
        for key, array in f.arrays().items():
            _write_array(folder / f"{part.name}.{field}.{key}.npy", array)
    meta = {"ids": part.ids, "groups": part.groups, "vocab": {field: f.vocab for field, f in part.fields.items()}}
    path = folder / f"{part.name}.json"
    path.unlink(missing_ok=True)  # never write into an existing file: it may be a hard link to another index's
    path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def _write_array(path: Path, array: np.ndarray) -> None:
    path.unlink(missing_ok=True)  # a new file, never an existing one written over (see the module doc)
    np.save(path, np.ascontiguousarray(array), allow_pickle=False)


def _load_part(folder: Path, spec: dict, positional: Mapping[str, bool]) -> _Part:
    name = spec["name"]
    meta = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
    ids, groups = list(meta["ids"]), list(meta["groups"])

    def array(field: str, key: str, mmap: bool = True) -> np.ndarray:
        return np.load(folder / f"{name}.{field}.{key}.npy", mmap_mode="r" if mmap else None, allow_pickle=False)

    fields = {}
    for field, keep in positional.items():
        vocab = list(meta["vocab"][field])
        f = _Field(vocab, array(field, "ptr", False), array(field, "docs"), array(field, "tfs"),
                   array(field, "lengths", False), array(field, "pos") if keep else None,
                   array(field, "occ", False) if keep else None)
        if len(f.lengths) != len(ids) or len(f.ptr) != len(vocab) + 1 or len(groups) != len(ids):
            raise PostingsError(f"postings in {folder}: field {field} of part {name} does not fit its item list")
        fields[field] = f
    deleted = _EMPTY_I
    if spec.get("deleted"):
        deleted = np.load(folder / spec["deleted"], allow_pickle=False).astype(np.int32)
        if len(deleted) and (deleted.min() < 0 or deleted.max() >= len(ids)):
            raise PostingsError(f"postings in {folder}: deleted rows of part {name} out of range")
    return _Part(name, ids, groups, fields, deleted, folder, spec.get("deleted"))


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False
