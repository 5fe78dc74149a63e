"""The name table: Chinese ↔ English names found in the archive itself, beside the staff-edited glossary.

Sources, in order of trust: the glossary (staff-edited, always first); ``中文（English Name）`` and
``English Name (中文)`` in item texts; bilingual pages (an item with ``translation_of`` and its original: their
speakers and, when both are short, their titles); the speakers of quotes written in Chinese, romanised with the
dictionary's pinyin when they look like Chinese personal names (a known surname + one or two characters).
Pairs already in the glossary are not proposed again; ``bulletins glossary --suggest`` prints the others as
glossary rows for staff to accept.

Mining reads every item (seconds at 100k items), so a build stores what it found beside its other files
(:data:`NAMES_FILE`: the counts per source and the Chinese speakers, see :class:`NameCounts`), an appended build
adds what its new items show, and the searcher only reads the file: :func:`write_names` and :func:`read_names`.
The stored counts give the very pairs mining would (romanisation and the glossary are applied when read, so
neither is frozen into a build); an older build without the file, or one written by other mining rules, is
mined again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from archive.model import Item
from index.keyword.analysis import is_cjk
from index.keyword.glossary import Glossary, form_key

_ZH = r"[\u4e00-\u9fff·]{2,12}"
_EN = r"[A-Z][A-Za-z.'\-]*(?: [A-Z][A-Za-z.'\-]*){0,5}"
_ZH_EN = re.compile(rf"({_ZH})\s*[（(]\s*({_EN})\s*[)）]")
_EN_ZH = re.compile(rf"({_EN})\s*[（(]\s*({_ZH})\s*[)）]")
_MAX_TITLE = 40
NAMES_FILE = "names.json"
FINGERPRINT = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]  # the mining rules, as of this file

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NamePair:
    """A Chinese and an English form of one name, where it was found and how often.

    Attributes:
        zh: The Chinese form.
        en: The English form.
        source: ``text``, ``bilingual`` or ``speaker``.
        count: Number of times seen.
    """

    zh: str
    en: str
    source: str
    count: int = 1

    def row(self) -> str:
        """The pair as a glossary CSV row (``zh,en,variants,note``)."""
        return f'{self.zh},{self.en},,"suggested: {self.source}, seen {self.count}x"'


def mine_pairs(items: Iterable[Item], romanise: Callable[[str], str] | None = None) -> list[NamePair]:
    """Every name pair the archive shows, most frequent first.

    Args:
        items: The archive's items.
        romanise: Optional Chinese personal name -> its pinyin form ('' when it is not one), for speakers.

    Returns:
        Distinct pairs (by Chinese and English key), most seen first.
    """
    return NameCounts.mine(items).pairs(romanise)


@dataclass
class NameCounts:
    """What mining finds in items, before the pairs are chosen: what a build stores.

    Attributes:
        text: (Chinese, English) -> times seen in item texts and titles, in the order first seen.
        bilingual: The same for an item and its translation (speakers, short titles).
        speakers: Distinct speakers' names in Chinese script (romanised when the pairs are chosen).
    """

    text: Counter[tuple[str, str]] = field(default_factory=Counter)
    bilingual: Counter[tuple[str, str]] = field(default_factory=Counter)
    speakers: set[str] = field(default_factory=set)

    @classmethod
    def mine(cls, items: Iterable[Item]) -> NameCounts:
        """The counts of some items (an item's translation counts when it is among them)."""
        items = list(items)
        text: Counter[tuple[str, str]] = Counter()
        for item in items:
            for field_text in (item.title, item.text):
                text.update(_in_text(field_text))
        bilingual = Counter((zh, en) for zh, en, _ in _bilingual(items))
        speakers = {name for name in (item.speaker.strip() for item in items if item.speaker) if is_cjk(name)}
        return cls(text, bilingual, speakers)

    def merged(self, later: NameCounts) -> NameCounts:
        """These counts and those of later items, as if mined over both (earlier first)."""
        text, bilingual = Counter(self.text), Counter(self.bilingual)
        text.update(later.text)
        bilingual.update(later.bilingual)
        return NameCounts(text, bilingual, self.speakers | later.speakers)

    def pairs(self, romanise: Callable[[str], str] | None = None) -> list[NamePair]:
        """Distinct pairs (by Chinese and English key), most seen first; speakers only with ``romanise``."""
        counts: Counter[tuple[str, str, str]] = Counter()
        counts.update({(zh, en, "text"): n for (zh, en), n in self.text.items()})
        counts.update({(zh, en, "bilingual"): n for (zh, en), n in self.bilingual.items()})
        if romanise:
            counts.update((name, english, "speaker") for name in sorted(self.speakers) if (english := romanise(name)))
        best: dict[tuple[str, str], NamePair] = {}
        for (zh, en, source), n in counts.most_common():
            key = (form_key(zh), form_key(en))
            if key not in best:
                best[key] = NamePair(zh, en, source, n)
        return list(best.values())

    def to_json(self) -> dict:
        return {"fingerprint": FINGERPRINT, "text": [[zh, en, n] for (zh, en), n in self.text.items()],
                "bilingual": [[zh, en, n] for (zh, en), n in self.bilingual.items()],
                "speakers": sorted(self.speakers)}

    @classmethod
    def from_json(cls, data: dict) -> NameCounts:
        return cls(Counter({(zh, en): int(n) for zh, en, n in data["text"]}),
                   Counter({(zh, en): int(n) for zh, en, n in data["bilingual"]}), set(data["speakers"]))


def write_names(folder: Path, items: Iterable[Item], previous: Path | None = None) -> None:
    """Store the name counts of a build in ``folder`` (the builder's one call).

    Args:
        folder: The build being written.
        items: Its items (a full build), or only the items it adds to ``previous`` (an appended build).
        previous: The build appended to: its stored counts are carried over. When it has none (an older build),
            nothing is written and the searcher mines the items instead.
    """
    counts = NameCounts.mine(items)
    if previous is not None:
        before = read_names(previous)
        if before is None:
            return
        counts = before.merged(counts)
    tmp = folder / f"{NAMES_FILE}.tmp"
    tmp.write_text(json.dumps(counts.to_json(), ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, folder / NAMES_FILE)


def read_names(folder: Path) -> NameCounts | None:
    """The name counts a build stored; None when it has none usable (older, other mining rules, damaged)."""
    try:
        data = json.loads((folder / NAMES_FILE).read_text(encoding="utf-8"))
        if data.get("fingerprint") != FINGERPRINT:
            log.info("%s: name table of other mining rules: mined again", folder)
            return None
        return NameCounts.from_json(data)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("%s: name table unreadable (%s): mined again", folder / NAMES_FILE, exc)
        return None


def load_pairs(folder: Path, items: Iterable[Item], romanise: Callable[[str], str] | None = None) -> list[NamePair]:
    """A build's name pairs: from its stored counts, else mined from its items (as :func:`mine_pairs`)."""
    counts = read_names(folder)
    return (counts if counts is not None else NameCounts.mine(items)).pairs(romanise)


def name_table(pairs: Iterable[NamePair], glossary: Glossary) -> Glossary:
    """The pairs the glossary does not know yet, as a glossary of their own (the glossary keeps precedence)."""
    fresh = [p for p in pairs if not glossary.expansions(p.zh) and not glossary.expansions(p.en)]
    return Glossary(tuple((p.zh, p.en) for p in fresh), source="archive")


def suggestions(items: Iterable[Item], glossary: Glossary, romanise: Callable[[str], str] | None = None) -> list[NamePair]:
    """Pairs found in the archive that are not in the glossary, for staff to accept."""
    pairs = mine_pairs(items, romanise)
    known = set(name_table(pairs, glossary).groups)
    return [p for p in pairs if (p.zh, p.en) in known]


def _in_text(text: str) -> Iterable[tuple[str, str]]:
    if not text or ("(" not in text and "（" not in text):  # both patterns need one; the scan is the slow part
        return
    for zh, en in _ZH_EN.findall(text):
        yield zh, en.strip()
    for en, zh in _EN_ZH.findall(text):
        yield zh, en.strip()


def _bilingual(items: list[Item]) -> Iterable[tuple[str, str, str]]:
    """Speakers (and short titles) of an item and its translation, Chinese side first."""
    by_id = {item.id: item for item in items}
    for item in items:
        other = by_id.get(item.translation_of) if item.translation_of else None
        if other is None:
            continue
        for a, b in ((item.speaker, other.speaker), (item.title, other.title)):
            if a and b and len(a) <= _MAX_TITLE and len(b) <= _MAX_TITLE and is_cjk(a) != is_cjk(b):
                yield (a, b, "bilingual") if is_cjk(a) else (b, a, "bilingual")
