"""Paths the tests share: the project root, the sample bulletin, fixtures and the second corpus."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
SAMPLE = ROOT / "data" / "bulletins" / "brigc-2019-11.txt"
FIXTURES = TESTS / "fixtures"
CORPUS = TESTS / "corpus"
