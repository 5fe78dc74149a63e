"""API keys: kept only as salted scrypt hashes, in a TOML file or the environment, never in the index folder.

A keys file lists entries::

    [[keys]]
    name = "newsroom"
    role = "editor"          # or "reader"
    hash = "scrypt:16384:8:1:<salt hex>:<hash hex>"

``BULLETINS_EDITOR_KEY_HASH`` and ``BULLETINS_READ_KEY_HASH`` each add one key (named ``editor`` and
``reader``). Reading is open unless a reader key exists; writing always needs an editor key. An editor key
also reads.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import threading
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from service.secrets import hash_secret, is_secret_hash, verify_secret

ROLES = ("reader", "editor")
ENV_HASHES = {"BULLETINS_EDITOR_KEY_HASH": ("editor", "editor"), "BULLETINS_READ_KEY_HASH": ("reader", "reader")}
_SHA256 = re.compile(r"sha256:[0-9a-fA-F]{64}")


class KeyConfigError(ValueError):
    """The keys file or a key hash is not usable (the message names what is wrong)."""


def hash_key(key: str) -> str:
    """The storable form of a key: the salted scrypt line of :func:`service.secrets.hash_secret`."""
    if not key:
        raise KeyConfigError("an empty key cannot be hashed")
    return hash_secret(key)


def verify(key: str, stored: str) -> bool:
    """Whether ``key`` matches a stored hash (``scrypt:…``, or ``sha256:<hex>`` for long random keys), in
    constant time."""
    if _SHA256.fullmatch(stored):
        return hmac.compare_digest(hashlib.sha256(key.encode("utf-8")).hexdigest(), stored[7:].lower())
    return verify_secret(key, stored)


def _check_hash(stored: str, where: str) -> str:
    if not (_SHA256.fullmatch(stored) or is_secret_hash(stored)):
        raise KeyConfigError(f"{where}: not a key hash (make one with 'bulletins keys hash')")
    return stored


@dataclass(frozen=True)
class ApiKey:
    name: str
    role: str
    hash: str


@dataclass
class Keyring:
    """The configured keys, and who a presented key is (verified keys are remembered, so scrypt runs once)."""

    keys: tuple[ApiKey, ...] = ()
    _known: dict[bytes, ApiKey | None] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def read_restricted(self) -> bool:
        """Reading needs a key once any reader key is configured."""
        return any(k.role == "reader" for k in self.keys)

    def identify(self, presented: str) -> ApiKey | None:
        """The key ``presented`` is, or None when it matches none."""
        memo = hashlib.sha256(presented.encode("utf-8")).digest()
        with self._lock:
            if memo in self._known:
                return self._known[memo]
        found = next((k for k in self.keys if verify(presented, k.hash)), None)
        with self._lock:
            if len(self._known) > 1024:
                self._known.clear()
            self._known[memo] = found
        return found


def load_keys(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Keyring:
    """Keys from a TOML file (if given) and the environment.

    Raises:
        KeyConfigError: the file is unreadable, or an entry lacks a name, a known role or a valid hash.
    """
    environ = os.environ if environ is None else environ
    keys: list[ApiKey] = list(_file_keys(path)) if path else []
    for var, (name, role) in ENV_HASHES.items():
        if environ.get(var):
            keys.append(ApiKey(name, role, _check_hash(environ[var].strip(), f"${var}")))
    return Keyring(tuple(keys))


def _file_keys(path: Path) -> Sequence[ApiKey]:
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8")).get("keys", [])
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise KeyConfigError(f"cannot read keys from {path}: {exc}") from exc
    if not isinstance(entries, list):
        raise KeyConfigError(f"{path}: 'keys' must be a list of [[keys]] tables")
    out = []
    for n, entry in enumerate(entries, start=1):
        where = f"{path}: key {n}"
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"]:
            raise KeyConfigError(f"{where}: needs a name")
        if entry.get("role") not in ROLES:
            raise KeyConfigError(f"{where} ({entry['name']}): role must be 'reader' or 'editor'")
        out.append(ApiKey(entry["name"], entry["role"], _check_hash(str(entry.get("hash", "")), where)))
    return out
