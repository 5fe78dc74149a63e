"""Stable identifiers for bulletins and items."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from archive.normalize import match_key


def bulletin_id(path: str | Path) -> str:
    """Slug of the file stem: ``data/brigc-2019-11.txt`` -> ``brigc-2019-11``."""
    stem = Path(path).name.split(".")[0] or Path(path).stem
    slug = re.sub(r"[^\w]+", "-", stem.lower()).strip("-_")
    return slug or "bulletin"


def item_id(bulletin: str, kind: str, key_text: str) -> str:
    """An id from the bulletin id and a short hash of the kind and normalised key text.

    Args:
        bulletin: The bulletin id.
        kind: The item kind.
        key_text: Title or head of the text; only this item's own text matters.

    Returns:
        ``{bulletin}-{8 hex digits}``.
    """
    digest = hashlib.sha1(f"{kind}\x1f{match_key(key_text)[:120]}".encode()).hexdigest()[:8]
    return f"{bulletin}-{digest}"


def unique_ids(ids: list[str]) -> list[str]:
    """Make ids unique by suffixing ``-2``, ``-3``... to later repeats, in order."""
    seen: dict[str, int] = {}
    out = []
    for i in ids:
        seen[i] = seen.get(i, 0) + 1
        out.append(i if seen[i] == 1 else f"{i}-{seen[i]}")
    return out
