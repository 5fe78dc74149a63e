"""Salted secret hashes (passwords, API keys): made and checked with the standard library only.

A hash is one line, ``scrypt:N:R:P:SALT:DIGEST`` (hex salt and digest), safe to keep in an environment
variable, a TOML file or a compose file (no ``$``, no quotes). Only the hash is ever stored; the secret
itself is never written anywhere.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

SCHEME = "scrypt"
_N, _R, _P = 2**14, 8, 1  # about 16 MiB and a few tens of ms per check
_MAX_MEM = 2**28  # scrypt memory (128 * r * n bytes) allowed for a stored hash: 256 MiB
_SALT_BYTES, _DIGEST_BYTES = 16, 32


def hash_secret(secret: str, *, n: int = _N, r: int = _R, p: int = _P) -> str:
    """The salted scrypt hash line of ``secret`` (a fresh random salt each call).

    Args:
        secret: The password or key, as typed.
        n: scrypt's CPU/memory cost (a power of two).
        r: scrypt's block size.
        p: scrypt's parallelism.
    """
    salt = secrets.token_bytes(_SALT_BYTES)
    return ":".join((SCHEME, str(n), str(r), str(p), salt.hex(), _scrypt(secret, salt, n, r, p).hex()))


def verify_secret(secret: str, stored: str) -> bool:
    """Whether ``secret`` matches the hash line ``stored`` (constant-time compare; False if malformed)."""
    parsed = _parse(stored)
    if parsed is None:
        return False
    n, r, p, salt, digest = parsed
    return hmac.compare_digest(_scrypt(secret, salt, n, r, p), digest)


def is_secret_hash(stored: str) -> bool:
    """Whether ``stored`` is a hash line this module can check (e.g. not a plain password by mistake)."""
    return _parse(stored) is not None


def _scrypt(secret: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(secret.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_MAX_MEM + 2**20,
                          dklen=_DIGEST_BYTES)


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    parts = stored.strip().split(":")
    if len(parts) != 6 or parts[0] != SCHEME:
        return None
    try:
        n, r, p = (int(x) for x in parts[1:4])
        salt, digest = bytes.fromhex(parts[4]), bytes.fromhex(parts[5])
    except ValueError:
        return None
    valid = n > 1 and n & (n - 1) == 0 and r > 0 and 0 < p <= 16 and 128 * r * n <= _MAX_MEM and salt and digest
    return (n, r, p, salt, digest) if valid else None
