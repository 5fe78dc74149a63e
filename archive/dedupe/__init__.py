"""Near-duplicate items across bulletins: full marking and incremental marking against saved state.

Modules, each importing only those listed after it:

- ``incremental``: :func:`mark_appended`, added files against a saved :class:`DedupeState`.
- ``marking``: :func:`mark_duplicates`, all files at once.
- ``join``: the in-memory exact set-similarity join behind both (earliest earlier match per item).
- ``shingle_index``: all items' shingles as integer sets with prefixes and signatures, for ``join``.
- ``state``: :class:`DedupeState`, the saved per-part state: save, load, metadata and its validation.
- ``storage``: the part's arrays file, saved strings and inverted-index segments; :class:`DedupeStateError`.
- ``signatures``: shingles of many keys as integer arrays, stable 32-bit tokens, bit signatures.
- ``keys``: the matching rule: shingles, :func:`similarity`, the exact check, dedupe order.
"""

from archive.dedupe.incremental import mark_appended
from archive.dedupe.keys import THRESHOLD, shingles, similarity
from archive.dedupe.marking import mark_duplicates
from archive.dedupe.state import DedupeState
from archive.dedupe.storage import DedupeStateError

__all__ = ["THRESHOLD", "DedupeState", "DedupeStateError", "mark_appended", "mark_duplicates", "shingles",
           "similarity"]
