"""The local engine: an index folder's build (items, whoosh + numpy keyword index, vectors) behind the search
interface. ``engine.py`` (``LocalEngine``), ``parts.py`` (immutable, hard-linked parts), ``manifest.py`` (what a
build folder records)."""
