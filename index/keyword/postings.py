"""Inverted postings in numpy: BM25 scoring of word and phrase queries without a search engine's matcher trees.

The index is a list of immutable *parts* (like a search engine's segments, :mod:`index.keyword.postings_parts`).
Global rows are the parts' rows one after another; a part's deleted rows stay in place (never matching) until the
part is rewritten.

A query is data: units (:data:`Unit`), each a tuple of :class:`Clause` (a token sequence in one field, with a
weight). A unit matches a row when any of its clauses does; its score is the sum of the matching clauses'
BM25 (whoosh's BM25F per field: ``idf = log(N / (df + 1)) + 1``, B = 0.75, K1 = 1.2, lengths on whoosh's
one-byte scale) times their weights. N, df and the average field length are taken over the live rows of all
parts, so scores equal those of one index built from the live rows.
Callers combine the per-unit matches and scores (AND / OR) and take the top k with :func:`top_k`.

Files: ``postings.json`` lists the parts and their deletion files. :meth:`PostingsIndex.save` never changes an
existing file: it writes new files, then replaces ``postings.json`` by a rename and deletes files no longer
listed, so a folder of hard links to another index's files can be updated without touching that index.
Knows nothing of whoosh or of query syntax.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.keyword.postings_parts import (
    EMPTY_ROWS,
    Doc,
    PostingsError,
    PostingsPart,
    build_part,
    load_part,
    part_files,
    same_folder,
    save_part,
    tidy,
    write_array,
)

FORMAT_VERSION = 2  # 2: parts with deletion files
META_FILE = "postings.json"
B, K1 = 0.75, 1.2
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


class PostingsIndex:
    """Numpy postings of several fields over the same rows (items), kept as parts."""

    def __init__(self, parts: list[PostingsPart], positional: Mapping[str, bool], next_part: int | None = None) -> None:
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
        lengths = np.concatenate([p.fields[name].lengths for p in self.parts]) if self.parts else EMPTY_ROWS
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
        return cls([build_part("p1", docs, positional)], positional, 2)

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
            parts.append(build_part(f"p{counter}", add, self.positional))
            counter += 1
        parts, counter = tidy(parts, counter)
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
            if part.folder is None or not same_folder(part.folder, folder):
                save_part(part, folder)
                part.folder, part.deleted_file = folder, None
            if len(part.deleted) and part.deleted_file is None:
                part.deleted_file = f"{part.name}.deleted-{counter}.npy"
                counter += 1
                write_array(folder / part.deleted_file, part.deleted)
            listed.append({"name": part.name, "rows": len(part), "deleted": part.deleted_file if len(part.deleted)
                           else None})
        self.next_part = counter
        meta = {"format": FORMAT_VERSION, "next": counter, "positional": self.positional, "parts": listed}
        tmp = folder / f"{META_FILE}.tmp"
        tmp.unlink(missing_ok=True)
        tmp.write_text(json.dumps(meta), encoding="utf-8")
        os.replace(tmp, folder / META_FILE)
        keep = {META_FILE} | {name for part in self.parts for name in part_files(part)}
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
            parts = [load_part(folder, spec, positional) for spec in meta["parts"]]
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
            return EMPTY_ROWS, _EMPTY_F
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
            return EMPTY_ROWS, EMPTY_ROWS
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
            return EMPTY_ROWS, EMPTY_ROWS
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
                return EMPTY_ROWS
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
