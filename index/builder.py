"""Build or update an index folder from a data folder: parse, diff, index, switch atomically."""

from __future__ import annotations

import hashlib
import logging
import shutil
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import archive
from archive.model import Item, ParsedFile
from archive.sidecar import sidecar_path
from index import manifest as manifest_mod
from index.embed_cache import EmbeddingCache
from index.encoders import Encoder, canonical_model_name, load_encoder
from index.keyword import KeywordIndex, analysis_fingerprint
from index.semantic import VectorIndex
from index.store import IndexStore
from index.table import ItemTable

log = logging.getLogger(__name__)

# progress(stage, done, total): stage is 'parse', 'keyword' or 'embed'.
Progress = Callable[[str, int, int], None]


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


def file_hashes(data_dir: Path) -> dict[str, str]:
    """sha256 of every bulletin file (with its sidecar, if any) under the data folder, by relative path."""
    hashes = {}
    for path in archive.discover(data_dir):
        digest = hashlib.sha256(path.read_bytes())
        sidecar = sidecar_path(path)
        if sidecar.is_file():
            digest.update(sidecar.read_bytes())
        hashes[path.relative_to(data_dir).as_posix()] = digest.hexdigest()
    return hashes


def build(
    data_dir: Path, index_root: Path, model: str | None = None, rebuild: bool = False,
    encoder: Encoder | None = None, progress: Progress | None = None,
) -> BuildReport:
    """Bring the index at ``index_root`` up to date with ``data_dir`` (see module doc)."""
    started = time.perf_counter()
    store = IndexStore(index_root)
    with store.lock():
        previous = None if rebuild else _previous(store, model or (encoder.name if encoder else None))
        model = canonical_model_name(model or (previous.model if previous else None) or
                                     (encoder.name if encoder else "usem3"))
        hashes = file_hashes(data_dir)
        if previous and previous.keyword_current and previous.parser_current \
                and previous.manifest["files"] == hashes and previous.manifest["model"] == model:
            still_failing = tuple(archive.ArchiveError(path, reason)
                                  for path, reason in previous.manifest.get("failed_files", {}).items())
            return BuildReport(True, len(hashes), len(previous.table), previous.manifest["counts"]["by_kind"],
                               (), 0, time.perf_counter() - started, still_failing)
        encoder = encoder or load_encoder(model)
        model = encoder.name
        parsed, errors, kept = _parse(data_dir, hashes, previous)
        table = ItemTable([it for f in parsed for it in f.items], [f.bulletin for f in parsed])
        changed = _changed_bulletins(previous.table if previous else None, table)
        tmp = store.new_build()
        try:
            encoded = _write(tmp, table, previous, changed, encoder, store, progress)
            report = BuildReport(False, len(hashes), len(table), dict(Counter(i.kind for i in table.items)),
                                 tuple(sorted(changed)), encoded, time.perf_counter() - started,
                                 tuple(errors), kept)
            manifest_mod.write(tmp, model, encoder.dim, table, hashes, report)
            store.commit(tmp)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return report


@dataclass(frozen=True)
class _Previous:
    folder: Path
    manifest: dict
    table: ItemTable
    model: str

    def parsed_file(self, bulletin_id: str) -> ParsedFile | None:
        """A bulletin of the previous build with its items (duplicate marks cleared, to be recomputed)."""
        bulletin = self.table.bulletins.get(bulletin_id)
        if bulletin is None:
            return None
        items = tuple(replace(it, duplicate_of="") for it in self.by_bulletin.get(bulletin_id, ()))
        return ParsedFile(bulletin, items)

    @cached_property
    def by_bulletin(self) -> dict[str, list[Item]]:
        return _by_bulletin(self.table)

    @property
    def parser_current(self) -> bool:
        """Whether the previous items came from today's parser (else every file is parsed again)."""
        return self.manifest.get("parser") == archive.parser_fingerprint()

    @property
    def keyword_current(self) -> bool:
        """Whether the keyword index was built with today's analyzer (else it is rebuilt in full)."""
        return self.manifest.get("analysis") == analysis_fingerprint()


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
        return _Previous(folder, manifest, ItemTable.load(folder / manifest_mod.ITEMS), manifest["model"])
    except Exception as exc:  # noqa: BLE001 - any damage to the old build means: build from scratch
        log.warning("previous index not reusable (%s): full build", exc)
        return None


def _parse(data_dir: Path, hashes: dict[str, str], previous: _Previous | None
           ) -> tuple[list[ParsedFile], list[archive.ArchiveError], tuple[str, ...]]:
    """Parse new and changed files; reuse the previous items of unchanged ones.

    A file that fails now but was indexed before keeps its previous items (nothing is lost).
    Near-duplicates are then marked across all files.
    """
    paths = archive.discover(data_dir)
    parsed: list[ParsedFile] = []
    errors: list[archive.ArchiveError] = []
    kept: list[str] = []
    for path, bid in archive.assign_bulletin_ids(paths).items():
        rel = path.relative_to(data_dir).as_posix()
        old = previous.parsed_file(bid) if previous else None
        if old and previous.parser_current and previous.manifest["files"].get(rel) == hashes.get(rel):
            parsed.append(old)
            continue
        try:
            parsed.append(archive.read(path, bulletin=bid))
        except archive.ArchiveError as exc:
            errors.append(exc)
            if old:
                parsed.append(old)
                kept.append(bid)
    return archive.mark_duplicates(parsed), errors, tuple(kept)


def _by_bulletin(table: ItemTable) -> dict[str, list[Item]]:
    groups: dict[str, list[Item]] = {}
    for item in table.items:
        groups.setdefault(item.bulletin_id, []).append(item)
    return groups


def _changed_bulletins(old: ItemTable | None, new: ItemTable) -> set[str]:
    """Bulletins whose items differ in any searchable field (added, removed or edited)."""
    new_groups = _by_bulletin(new)
    if old is None:
        return set(new_groups)
    old_groups = _by_bulletin(old)
    return {b for b in set(old_groups) | set(new_groups)
            if [_searchable(i) for i in old_groups.get(b, [])] != [_searchable(i) for i in new_groups.get(b, [])]}


def _searchable(item: Item) -> tuple:
    """An item without the fields that live only in the item table (not in the keyword index)."""
    return (item.id, item.kind, item.title, item.text, item.section, item.date, item.date_end, item.source,
            item.speaker, item.speaker_title, item.place, item.lang, item.bulletin_id)


def _write(tmp: Path, table: ItemTable, previous: _Previous | None, changed: set[str], encoder: Encoder,
           store: IndexStore, progress: Progress | None) -> int:
    """Write items, keyword and vector indexes into the temporary build folder; return passages encoded."""
    table.save(tmp / manifest_mod.ITEMS)
    _write_keyword(tmp / "keyword", table, previous, changed, progress)
    cache = EmbeddingCache(store.cache_dir, encoder.name, encoder.dim)
    counter = {"n": 0}

    def on_embed(done: int, total: int) -> None:
        counter["n"] = done
        if progress:
            progress("embed", done, total)

    VectorIndex.build(table.items, encoder, cache, on_embed).save(tmp)
    cache.save()
    return counter["n"]


def _write_keyword(folder: Path, table: ItemTable, previous: _Previous | None, changed: set[str],
                   progress: Progress | None) -> None:
    if previous is None or not previous.keyword_current:
        KeywordIndex.create(folder, table.items).close()
    else:
        shutil.copytree(previous.folder / "keyword", folder)
        index = KeywordIndex.open(folder)
        index.update(changed, [it for it in table.items if it.bulletin_id in changed])
        index.close()
    if progress:
        progress("keyword", len(table), len(table))
