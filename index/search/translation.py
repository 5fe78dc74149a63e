"""Query translation in search: the translator of one index, the reading aid, and the query-aware fusion weight.

The translator (:mod:`index.crosslingual.translate`) is made on the first query that needs it (or ahead of it, see
:meth:`QueryTranslator.warm`): the dictionary is mapped from its cache, and the name table read from the build
(mined from the index's items when an older build has none), glossary first. The fusion rule is explainable:
a query that is mostly names or rare terms (at most :data:`NAME_SPANS` spans, half or more of them names or rare)
fuses with the lower ``name_semantic_weight``; every other query with ``semantic_weight``. Each hit carries the
weight used.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from archive.model import Item
from index.crosslingual.dictionary import DictionaryMissing, load_dictionary
from index.crosslingual.names import name_table
from index.crosslingual.translate import Translation, Translator
from index.keyword.analysis import is_cjk, normalize

if TYPE_CHECKING:
    from index.search.engine import Engine

log = logging.getLogger(__name__)

NAME_SPANS = 3  # a query of at most this many spans can be "mostly a name"
NAME_SHARE = 0.5
MAX_GLOSSES = 4


class QueryTranslator:
    """Translates queries for one index; made lazily, thread-safe."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._translator: Translator | None = None
        self._lock = threading.Lock()

    def translate(self, query: str) -> Translation:
        """The query's renderings, reading aid and profile (empty when nothing is translated)."""
        translator = self._get()
        return translator.translate(query) if translator is not None and query.strip() else Translation()

    def warm(self) -> None:
        """Make the translator in the background, so the first query does not wait for it."""
        threading.Thread(target=self._get, name="query-translator", daemon=True).start()

    def _get(self) -> Translator | None:
        with self._lock:
            if self._translator is None:
                try:
                    dictionary = load_dictionary()
                except DictionaryMissing as exc:
                    log.warning("%s", exc)
                    return None
                glossary = self._engine.glossary
                names = name_table(self._engine.name_pairs(dictionary.romanise), glossary)
                self._translator = Translator(self._engine.corpus(), glossary, names, dictionary)
            return self._translator


def semantic_weight(translation: Translation, default: float, for_names: float) -> float:
    """The semantic weight for a query: ``for_names`` when it is mostly names or rare terms, else ``default``.

    A weight of 0 or 1 (one list only) is kept as given, and a name query never weighs semantics more.
    """
    named = 0 < translation.spans <= NAME_SPANS and translation.name_share >= NAME_SHARE
    return min(for_names, default) if named and 0 < default < 1 else default


def gloss(item: Item, translation: Translation) -> str:
    """A short English gloss of the Chinese terms of an English query found in a Chinese item ('' otherwise)."""
    if translation.direction != "en-zh" or item.lang == "en":
        return ""
    text = normalize(f"{item.title}\n{item.text}")
    found = [f"{zh} = {en}" for zh, en in translation.glosses if is_cjk(zh) and normalize(zh) in text]
    return "; ".join(dict.fromkeys(found[:MAX_GLOSSES]))
