"""The name table: Chinese ↔ English names found in the archive itself, beside the staff-edited glossary.

Sources, in order of trust: the glossary (staff-edited, always first); ``中文（English Name）`` and
``English Name (中文)`` in item texts; bilingual pages (an item with ``translation_of`` and its original: their
speakers and, when both are short, their titles); the speakers of quotes written in Chinese, romanised with the
dictionary's pinyin when they look like Chinese personal names (a known surname + one or two characters).
Pairs already in the glossary are not proposed again; ``bulletins glossary --suggest`` prints the others as
glossary rows for staff to accept.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from archive.model import Item
from index.keyword.analysis import is_cjk
from index.keyword.glossary import Glossary, form_key

_ZH = r"[\u4e00-\u9fff·]{2,12}"
_EN = r"[A-Z][A-Za-z.'\-]*(?: [A-Z][A-Za-z.'\-]*){0,5}"
_ZH_EN = re.compile(rf"({_ZH})\s*[（(]\s*({_EN})\s*[)）]")
_EN_ZH = re.compile(rf"({_EN})\s*[（(]\s*({_ZH})\s*[)）]")
_MAX_TITLE = 40


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
    items = list(items)
    counts: Counter[tuple[str, str, str]] = Counter()
    for item in items:
        for text in (item.title, item.text):
            counts.update((zh, en, "text") for zh, en in _in_text(text))
    counts.update(_bilingual(items))
    if romanise:
        counts.update(_speakers(items, romanise))
    best: dict[tuple[str, str], NamePair] = {}
    for (zh, en, source), n in counts.most_common():
        key = (form_key(zh), form_key(en))
        if key not in best:
            best[key] = NamePair(zh, en, source, n)
    return list(best.values())


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
    for zh, en in _ZH_EN.findall(text or ""):
        yield zh, en.strip()
    for en, zh in _EN_ZH.findall(text or ""):
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


def _speakers(items: list[Item], romanise: Callable[[str], str]) -> Iterable[tuple[str, str, str]]:
    """Chinese speakers' names romanised (Wang Juying); transliterated foreign names are left to the glossary."""
    for name in sorted({item.speaker.strip() for item in items if item.speaker}):
        english = romanise(name) if is_cjk(name) else ""
        if english:
            yield name, english, "speaker"
