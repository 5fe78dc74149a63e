"""The house rules, checked by tools rather than memory: layers point down (import-linter contracts in
pyproject.toml), no import cycles between modules, small modules, small folders, a thin app.py."""

from __future__ import annotations

import itertools
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

from tests.paths import ROOT

PACKAGES = ("archive", "index", "service", "api", "cli", "ui")
MAX_MODULE_LINES = 450
MAX_MODULES_PER_FOLDER = 15
MAX_APP_LINES = 150


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    return subprocess.run([exe, "--no-cache"], cwd=cwd, capture_output=True, text=True)


def test_layer_contracts_are_kept() -> None:
    proc = _lint_imports(ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "BROKEN" not in proc.stdout and "0 broken" in proc.stdout


BREACHES = [  # (module, the import added to it, the chain import-linter must report)
    ("index/search/fusion.py", "import streamlit", "index.search.fusion -> streamlit"),
    ("ui/components/cards.py", "from index.store.table import ItemTable", "ui.components.cards -> index.store.table"),
    ("api/routes_items.py", "import numpy", "api.routes_items -> numpy"),
    ("cli/search.py", "from index.keyword.engine import KeywordIndex", "cli.search -> index.keyword.engine"),
    ("ui/queries.py", "from index.search.searcher import Searcher", "ui.queries -> index.search.searcher"),
    ("index/interface/records.py", "from index.local.engine import LocalEngine",
     "index.interface.records -> index.local.engine"),
    ("index/store/table.py", "from index.vectors.engine import VectorIndex", "index.store.table -> index.vectors.engine"),
    ("index/search/searcher.py", "import api.app", "index.search.searcher -> api.app"),
]


@pytest.mark.parametrize(("module", "line", "chain"), BREACHES, ids=[b[0] for b in BREACHES])
def test_layer_contracts_fail_on_a_breach(tmp_path: Path, module: str, line: str, chain: str) -> None:
    """The contracts are not vacuous: a copy of the tree with one forbidden import breaks them."""
    for name in (*PACKAGES, "pyproject.toml"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(src, tmp_path / name)
    target = tmp_path / module
    target.write_text(line + "\n" + target.read_text(encoding="utf-8"), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, '.'); "
                           "from importlinter.cli import lint_imports_command; lint_imports_command()",
                           "--no-cache"], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode != 0
    assert chain in proc.stdout


def _graph() -> grimp.ImportGraph:
    return grimp.build_graph(*PACKAGES, cache_dir=None)


def test_no_import_cycles_between_modules() -> None:
    graph = _graph()
    modules = sorted(m for m in graph.modules if not m.endswith("__init__") and graph.find_children(m) == set())
    cycles = []
    for a, b in itertools.combinations(modules, 2):
        if graph.direct_import_exists(importer=a, imported=b) and graph.find_shortest_chain(b, a):
            cycles.append(f"{a} -> {b} -> ... -> {a}")
        elif graph.direct_import_exists(importer=b, imported=a) and graph.find_shortest_chain(a, b):
            cycles.append(f"{b} -> {a} -> ... -> {b}")
    assert not cycles, "\n".join(cycles)


def _modules() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_module_is_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.relative_to(ROOT)} has {lines} lines; split it by concern"


def test_folders_are_small() -> None:
    folders = {p.parent for p in _modules()}
    crowded = {f: n for f in folders if (n := len(list(f.glob("*.py")))) > MAX_MODULES_PER_FOLDER}
    assert not crowded, crowded


def test_app_entry_is_thin() -> None:
    lines = len((ROOT / "app.py").read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_APP_LINES, f"app.py has {lines} lines: pages and components belong in ui/"
