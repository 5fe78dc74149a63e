"""Where the project's own files are (the bundled glossary, the sample)."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
