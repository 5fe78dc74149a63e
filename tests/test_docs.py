"""The README's two commands exist, and CI runs exactly the README's test command."""

from __future__ import annotations

import re

from tests.paths import ROOT


def _bash_blocks(text: str) -> list[str]:
    return [b.strip() for b in re.findall(r"```bash\n(.*?)```", text, flags=re.S)]


def test_readme_has_run_and_test_commands() -> None:
    blocks = _bash_blocks((ROOT / "README.md").read_text(encoding="utf-8"))
    assert "pip install -e . && bulletins app" in blocks
    assert any("pytest" in b and "[test]" in b for b in blocks)


def test_ci_runs_the_readme_test_command() -> None:
    blocks = _bash_blocks((ROOT / "README.md").read_text(encoding="utf-8"))
    test_cmd = next(b for b in blocks if "pytest" in b and "[test]" in b)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_cmd in ci.splitlines()
