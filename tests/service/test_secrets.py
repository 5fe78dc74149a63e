"""Salted secret hashes: a hash checks its own secret only, and a malformed stored value never matches."""

from __future__ import annotations

import pytest

from service.secrets import hash_secret, is_secret_hash, verify_secret


def test_a_hash_verifies_its_secret_only_and_is_salted() -> None:
    first, second = hash_secret("绿色丝路 password"), hash_secret("绿色丝路 password")
    assert first != second and first.startswith("scrypt:16384:8:1:")
    assert verify_secret("绿色丝路 password", first) and verify_secret("绿色丝路 password", second)
    assert not verify_secret("绿色丝路 passwore", first) and not verify_secret("", first)
    assert "password" not in first and is_secret_hash(first) and is_secret_hash(f"  {first}\n")


def test_cost_parameters_travel_with_the_hash() -> None:
    cheap = hash_secret("key", n=2**10, r=4, p=2)
    assert cheap.split(":")[1:4] == ["1024", "4", "2"] and verify_secret("key", cheap)


@pytest.mark.parametrize("stored", [
    "", "hunter22hunter", "scrypt:16384:8:1:00ff", "bcrypt:16384:8:1:00:00", "scrypt:1000:8:1:00:00",
    "scrypt:16384:8:1:zz:00", "scrypt:4194304:8:1:00:00", "scrypt:16384:8:1::00",
])
def test_a_malformed_stored_value_is_not_a_hash_and_never_matches(stored: str) -> None:
    assert not is_secret_hash(stored) and not verify_secret(stored, stored)
