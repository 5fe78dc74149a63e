"""A fingerprint of the parser's own code: items parsed by other code must be parsed again."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path


@cache
def parser_fingerprint() -> str:
    """sha256 (short) of every module of the archive package; changes whenever the parser changes."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]
