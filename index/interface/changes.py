"""What a new build changed for readers, from the records of the build before and after it (:class:`BuildInfo`).

The watcher (:mod:`service.watch`) reports it on each arrival, and the app's pages show the same notice
(through :meth:`index.interface.protocol.Archive.changes_since`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from archive.errors import ArchiveError, BadRecord
from index.interface.records import BuildInfo


@dataclass(frozen=True)
class Change:
    """What a new build changed for readers, compared with the build before it.

    Attributes:
        added: Bulletins the index did not have.
        updated: Bulletins indexed again because their file (or its sidecar) changed.
        items: Items of the added and updated bulletins in the new build.
        failed: Every file (or record, with its ``line``) that newly failed, with the reason.
    """

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    items: int = 0
    failed: tuple[ArchiveError, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.updated or self.failed)

    def summary(self) -> str:
        """'1 new bulletin (brigc-2020-06), 20 items' in plain words (the failures are listed apart)."""
        parts = []
        if self.added:
            parts.append(f"{_count(len(self.added), 'new bulletin')} ({', '.join(self.added)})")
        if self.updated:
            parts.append(f"{_count(len(self.updated), 'bulletin')} updated ({', '.join(self.updated)})")
        if parts:
            parts.append(_count(self.items, "item"))
        if self.failed:
            parts.append(f"{_count(len(self.failed), 'file')} failed")
        return ", ".join(parts) or "no new items"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def diff_builds(old: BuildInfo | None, new: BuildInfo, items_of: Callable[[set[str]], int]) -> Change:
    """What ``new`` changed since ``old`` (None: the index was empty).

    Args:
        old: The build before.
        new: The new build.
        items_of: How many items the new build holds of these bulletins (asked only if some changed).
    """
    old_files, old_failed = (old.files, old.failed_files) if old else ({}, {})
    before, after = set(_indexed(old).values()) if old else set(), _indexed(new)
    changed = {rel for rel, digest in new.files.items() if old_files.get(rel) != digest}
    added = sorted(set(after.values()) - before)
    updated = sorted({bid for rel, bid in after.items() if rel in changed and bid in before})
    failed = tuple(_error(where, reason) for where, reason in new.failed_files.items()
                   if old_failed.get(where) != reason or _file_of(where, new.files) in changed)
    items = items_of(set(added) | set(updated)) if added or updated else 0
    return Change(tuple(added), tuple(updated), items, failed)


def _indexed(build: BuildInfo) -> dict[str, str]:
    """Bulletin id per input file that was read (files that failed as a whole are left out)."""
    failing = {_file_of(where, build.files) for where in build.failed_files if not _is_record(where)}
    return {rel: bid for rel, bid in build.bulletin_ids.items() if rel not in failing}


def _error(where: str, reason: str) -> ArchiveError:
    """A failure as the manifest records it: ``path`` (a file) or ``path:line`` (a record)."""
    if _is_record(where):
        path, _, line = where.rpartition(":")
        return BadRecord(path, reason, int(line))
    return ArchiveError(where, reason)


def _is_record(where: str) -> bool:
    """Whether a ``failed_files`` key names a bad record (``path:line``) rather than a whole file."""
    path, _, line = where.rpartition(":")
    return bool(path) and line.isdigit()


def _file_of(where: str, files: Iterable[str]) -> str | None:
    """The input file (relative path) a ``failed_files`` key is about; the key holds the path as read."""
    path = where.rpartition(":")[0] if _is_record(where) else where
    return next((rel for rel in files if path == rel or path.endswith("/" + rel)), None)
