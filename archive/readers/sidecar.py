"""Bulletin metadata given beside the document: ``NAME.meta.toml`` or Markdown front matter.

Recognised keys: ``title``, ``publisher``, ``date`` (ISO), ``period`` (``YYYY-MM``), ``issue``,
``language``, ``url``. Unknown keys are ignored.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from archive.errors import UnreadableFile
from archive.model import Meta

SIDECAR_SUFFIX = ".meta.toml"
_FRONT = re.compile(r"\A\ufeff?(?:---|\+\+\+)\s*\n(?P<body>.*?)\n(?:---|\+\+\+)\s*(?:\n|\Z)", re.S)


def sidecar_path(path: Path) -> Path:
    """``data/x.txt`` -> ``data/x.meta.toml``."""
    return path.with_name(path.name.split(".")[0] + SIDECAR_SUFFIX)


def is_sidecar(path: Path) -> bool:
    """Whether ``path`` is a sidecar file rather than a bulletin."""
    return path.name.endswith(SIDECAR_SUFFIX)


def read_sidecar(path: Path) -> Meta:
    """Metadata from the sidecar of ``path`` (empty when there is none).

    Raises:
        UnreadableFile: The sidecar exists but is not valid TOML.
    """
    side = sidecar_path(path)
    if not side.is_file():
        return Meta()
    try:
        return Meta.from_mapping(tomllib.loads(side.read_text(encoding="utf-8")))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, TypeError) as exc:
        raise UnreadableFile(str(path), f"its sidecar {side.name} is not valid TOML ({exc})") from exc


def split_front_matter(text: str) -> tuple[Meta, str]:
    """Split ``---``/``+++`` front matter (``key: value`` or TOML lines) off a document.

    Args:
        text: Document text.

    Returns:
        (metadata, text without front matter; the removed lines become blank to keep line numbers).
    """
    m = _FRONT.match(text)
    if not m:
        return Meta(), text
    data = {}
    for line in m.group("body").splitlines():
        key, sep, value = _kv(line)
        if sep:
            data[key.strip().lower()] = value.strip().strip("\"'")
    return Meta.from_mapping(data), "\n" * m.group(0).count("\n") + text[m.end():]


def _kv(line: str) -> tuple[str, str, str]:
    m = re.match(r"\s*([A-Za-z_]+)\s*([:=])\s*(.*)$", line)
    return (m.group(1), m.group(2), m.group(3)) if m else ("", "", "")


def merge(first: Meta, second: Meta) -> Meta:
    """Fields of ``first`` where set, else those of ``second``."""
    return Meta(**{k: getattr(first, k) or getattr(second, k) for k in Meta.__dataclass_fields__})
