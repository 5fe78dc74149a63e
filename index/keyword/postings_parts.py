"""The parts of the numpy postings: immutable batches of rows, each a CSR structure per field, and their files.

A part holds, per field, one CSR structure over its own insertion-ordered vocabulary: ``ptr[t]:ptr[t+1]`` indexes
the postings of term ``t`` (``docs``: the part's rows in increasing order, ``tfs``: term frequencies). Positional
fields also keep every occurrence's position (``pos``, postings order; ``occ[t]`` is where term ``t``'s occurrences
start), so a multi-token form is matched as a phrase. Field lengths are kept per row. A part's deleted rows stay
in place (never matching) until the part is rewritten; small trailing parts and parts with many deleted rows are
rewritten by :func:`tidy`.

Files (``.npy`` with ``allow_pickle=False``, JSON): part ``p<k>`` is ``p<k>.json`` (ids, groups, vocabularies)
plus ``p<k>.<field>.<array>.npy``; its deleted rows are ``p<k>.deleted-<n>.npy``. A file is never written over:
an existing one (perhaps a hard link to another index's file) is unlinked first.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MERGE_RATIO = 4  # the last part is merged into the one before it when that one is at most this many times larger
COMPACT_DEAD = 0.25  # a part is rewritten without its deleted rows when they are this share of it
EMPTY_ROWS = np.zeros(0, dtype=np.int32)


class PostingsError(RuntimeError):
    """The postings folder is missing, damaged or of another format."""


@dataclass(frozen=True)
class Doc:
    """One item's analysed fields, as given to :func:`build_part`."""

    id: str
    group: str  # removal key (the bulletin id)
    fields: Mapping[str, Sequence[str]]


class FieldPostings:
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
            return EMPTY_ROWS, EMPTY_ROWS
        a, b = self.ptr[t], self.ptr[t + 1]
        return self.docs[a:b], self.tfs[a:b]

    def positions(self, term: str) -> np.ndarray:
        """Positions of every occurrence of a term, in postings order (by row, then position)."""
        t = self.term_id.get(term)
        return EMPTY_ROWS if t is None or self.pos is None else self.pos[self.occ[t] : self.occ[t + 1]]

    def arrays(self) -> dict[str, np.ndarray]:
        out = {"ptr": self.ptr, "docs": self.docs, "tfs": self.tfs, "lengths": self.lengths}
        return out | ({"pos": self.pos, "occ": self.occ} if self.positional else {})


class PostingsPart:
    """An immutable batch of rows; only its set of deleted rows changes (as a new object)."""

    def __init__(self, name: str, ids: list[str], groups: list[str], fields: dict[str, FieldPostings],
                 deleted: np.ndarray = EMPTY_ROWS, folder: Path | None = None, deleted_file: str | None = None) -> None:
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

    def with_deleted(self, rows: Iterable[int]) -> PostingsPart:
        deleted = np.union1d(self.deleted, np.fromiter(rows, dtype=np.int32)).astype(np.int32)
        if len(deleted) == len(self.deleted):
            return self
        return PostingsPart(self.name, self.ids, self.groups, self.fields, deleted, self.folder, None)


def build_part(name: str, docs: Iterable[Doc], positional: Mapping[str, bool]) -> PostingsPart:
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
    return PostingsPart(name, ids, groups, fields)


def _field_of(vocab: list[str], tids: np.ndarray, lengths: np.ndarray, positional: bool) -> FieldPostings:
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
    return FieldPostings(vocab, ptr, rows[first], tfs, lengths, pos if positional else None, occ)


def _pointers(sorted_tids: np.ndarray, size: int, weights: np.ndarray | None = None) -> np.ndarray:
    counts = np.bincount(sorted_tids, weights=weights, minlength=size)
    return np.concatenate(([0], np.cumsum(counts))).astype(np.int64)


def tidy(parts: list[PostingsPart], counter: int) -> tuple[list[PostingsPart], int]:
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


def _merge(parts: Sequence[PostingsPart], name: str) -> PostingsPart:
    """One part of the live rows of several parts, in order."""
    alive = [p.alive() for p in parts]
    ids = [i for p, keep in zip(parts, alive, strict=True) for i, k in zip(p.ids, keep.tolist(), strict=True) if k]
    groups = [g for p, keep in zip(parts, alive, strict=True)
              for g, k in zip(p.groups, keep.tolist(), strict=True) if k]
    fields = {field: _merge_field([p.fields[field] for p in parts], alive) for field in parts[0].fields}
    return PostingsPart(name, ids, groups, fields)


def _merge_field(fields: Sequence[FieldPostings], alive: Sequence[np.ndarray]) -> FieldPostings:
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
        return FieldPostings(words, ptr, docs[order], tfs[order], out_lengths)
    starts = np.cumsum(tfs) - tfs
    lens = tfs[order]
    gather = np.repeat(starts[order] - (np.cumsum(lens) - lens), lens) + np.arange(int(lens.sum()))
    occ = _pointers(tids[order], len(words), lens)
    return FieldPostings(words, ptr, docs[order], lens, out_lengths, np.concatenate(pos)[gather].astype(np.int32), occ)


def part_files(part: PostingsPart) -> list[str]:
    """Names of the files of a saved part (its deletion file included)."""
    names = [f"{part.name}.json"]
    for field, f in part.fields.items():
        names += [f"{part.name}.{field}.{key}.npy" for key in f.arrays()]
    return names + ([part.deleted_file] if part.deleted_file and len(part.deleted) else [])


def save_part(part: PostingsPart, folder: Path) -> None:
    """Write a part's arrays and JSON (not its deletion file) into ``folder``, as new files."""
    for field, f in part.fields.items():
        for key, array in f.arrays().items():
            write_array(folder / f"{part.name}.{field}.{key}.npy", array)
    meta = {"ids": part.ids, "groups": part.groups, "vocab": {field: f.vocab for field, f in part.fields.items()}}
    path = folder / f"{part.name}.json"
    path.unlink(missing_ok=True)  # never write into an existing file: it may be a hard link to another index's
    path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def write_array(path: Path, array: np.ndarray) -> None:
    """Save an array as a new ``.npy`` file (no pickles)."""
    path.unlink(missing_ok=True)  # a new file, never an existing one written over (see the module doc)
    np.save(path, np.ascontiguousarray(array), allow_pickle=False)


def load_part(folder: Path, spec: dict, positional: Mapping[str, bool]) -> PostingsPart:
    """Read a part listed in ``postings.json`` (``spec``: its name and deletion file), large arrays memory-mapped.

    Raises:
        PostingsError: Its arrays do not fit its item list, or its deleted rows are out of range.
    """
    name = spec["name"]
    meta = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
    ids, groups = list(meta["ids"]), list(meta["groups"])

    def array(field: str, key: str, mmap: bool = True) -> np.ndarray:
        return np.load(folder / f"{name}.{field}.{key}.npy", mmap_mode="r" if mmap else None, allow_pickle=False)

    fields = {}
    for field, keep in positional.items():
        vocab = list(meta["vocab"][field])
        f = FieldPostings(vocab, array(field, "ptr", False), array(field, "docs"), array(field, "tfs"),
                          array(field, "lengths", False), array(field, "pos") if keep else None,
                          array(field, "occ", False) if keep else None)
        if len(f.lengths) != len(ids) or len(f.ptr) != len(vocab) + 1 or len(groups) != len(ids):
            raise PostingsError(f"postings in {folder}: field {field} of part {name} does not fit its item list")
        fields[field] = f
    deleted = EMPTY_ROWS
    if spec.get("deleted"):
        deleted = np.load(folder / spec["deleted"], allow_pickle=False).astype(np.int32)
        if len(deleted) and (deleted.min() < 0 or deleted.max() >= len(ids)):
            raise PostingsError(f"postings in {folder}: deleted rows of part {name} out of range")
    return PostingsPart(name, ids, groups, fields, deleted, folder, spec.get("deleted"))


def same_folder(a: Path, b: Path) -> bool:
    """Whether two paths name the same folder (False when either cannot be resolved)."""
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False
