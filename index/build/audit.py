"""The audit log of writes to an archive: one JSON line per file anyone tried to add, append-only.

The log is ``audit.jsonl`` in the index folder. Each record says who (the API key's name or the admin
page's user), when (ISO 8601, UTC), which file (name, size and sha256), how many items it added, and the
outcome (``added``, ``unchanged``, ``rejected``, ``failed``, ``error``) with the reason.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

AUDIT_FILE = "audit.jsonl"


@dataclass(frozen=True)
class AuditRecord:
    """One write attempt."""

    actor: str
    file: str
    sha256: str
    size: int
    outcome: str
    items: int = 0
    bulletin: str = ""
    reason: str = ""
    at: str = ""


def audit_path(index_root: Path) -> Path:
    """Where the index at ``index_root`` keeps its audit log."""
    return Path(index_root) / AUDIT_FILE


def record(index_root: Path, actor: str, name: str, data: bytes, outcome: str, *, items: int = 0,
           bulletin: str = "", reason: str = "") -> AuditRecord:
    """Append one record to the audit log (created with the index folder if missing) and return it.

    Args:
        index_root: The index folder holding ``audit.jsonl``.
        actor: Who wrote: an API key's name, or the admin page's signed-in user.
        name: The uploaded file's name.
        data: The uploaded bytes (hashed, not stored).
        outcome: ``added``, ``unchanged``, ``rejected``, ``failed`` or ``error``.
        items: Items the file added to the archive.
        bulletin: The bulletin id the file became, if parsed.
        reason: Why it was refused or failed.
    """
    entry = AuditRecord(actor, name, hashlib.sha256(data).hexdigest(), len(data), outcome, items, bulletin,
                        reason, datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"))
    line = (json.dumps(asdict(entry), ensure_ascii=False) + "\n").encode("utf-8")
    path = audit_path(index_root)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # one whole line per write, even across processes
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)
    return entry


def read(index_root: Path) -> list[dict]:
    """Every record of the audit log, oldest first (an empty list when nothing was written yet)."""
    try:
        text = audit_path(index_root).read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return [json.loads(line) for line in text.splitlines() if line.strip()]
