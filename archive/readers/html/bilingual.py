"""Bilingual pages: a Chinese and an English stream of blocks, and the links between their items.

A page is bilingual when it holds Chinese and English paragraphs in comparable numbers and the English text
is about as long as a translation of the Chinese would be (paragraph by paragraph alternating, or a
Chinese block then an English block: both give the same two streams). Each stream is read on its own;
the n-th English item translates the n-th Chinese item.

Direction, everywhere: Chinese is the original. The English item's ``translation_of`` is the Chinese
item's id; the Chinese item's ``translation_of`` stays ''. Both carry the same date, source and section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from archive.ids import unique_ids
from archive.lang import detect_lang
from archive.model import Item
from archive.normalize import cjk_count
from archive.readers.html.extract import Block

ORIGINAL, TRANSLATION = "zh", "en"
SHARED = ("date", "date_end", "source", "section")
MIN_RATIO = 0.5  # fewer paragraphs in one language than half the other's: quotes, not a translation
EN_PER_ZH = (0.8, 8.0)  # English characters per Chinese character of a translation


@dataclass(frozen=True)
class Stream:
    """The blocks of one language; ``lang`` is '' for a page that is not bilingual."""

    lang: str
    blocks: tuple[Block, ...]


def block_lang(text: str) -> str:
    """``zh`` or ``en``; '' for a block of no clear language (numbers, names of both scripts)."""
    if not cjk_count(text) and not re.search(r"[A-Za-z]{2,}", text):
        return ""
    lang = detect_lang(text)
    return lang if lang in (ORIGINAL, TRANSLATION) else ""


def _langs(blocks: list[Block] | tuple[Block, ...]) -> list[str]:
    """Each block's language; a block of no clear language goes with the block before it (or after it)."""
    langs = [block_lang(b.text) for b in blocks]
    for i in range(1, len(langs)):
        langs[i] = langs[i] or langs[i - 1]
    for i in range(len(langs) - 2, -1, -1):
        langs[i] = langs[i] or langs[i + 1]
    return langs


def is_bilingual(blocks: list[Block] | tuple[Block, ...], langs: list[str]) -> bool:
    """Whether the paragraphs are Chinese and English in comparable numbers and lengths."""
    paras = [(b, lang) for b, lang in zip(blocks, langs, strict=True) if b.level == 0]
    zh = [b.text for b, lang in paras if lang == ORIGINAL]
    en = [b.text for b, lang in paras if lang == TRANSLATION]
    if not zh or not en or min(len(zh), len(en)) < MIN_RATIO * max(len(zh), len(en)):
        return False
    ratio = sum(map(len, en)) / max(sum(map(len, zh)), 1)
    return EN_PER_ZH[0] <= ratio <= EN_PER_ZH[1]


def split_languages(blocks: tuple[Block, ...]) -> tuple[Stream, ...]:
    """One stream (``lang`` '') for a monolingual page; a Chinese and an English stream for a bilingual one."""
    langs = _langs(blocks)
    if not is_bilingual(blocks, langs):
        return (Stream("", blocks),)
    return tuple(
        Stream(lang, tuple(b for b, mine in zip(blocks, langs, strict=True) if mine == lang))
        for lang in (ORIGINAL, TRANSLATION)
    )


def _unique(streams: list[list[Item]]) -> list[list[Item]]:
    """Ids unique across streams (later repeats get ``-2``…), parent links renamed along with them."""
    flat = [it for items in streams for it in items]
    new_ids = iter(unique_ids([it.id for it in flat]))
    out: list[list[Item]] = []
    for items in streams:
        renamed = {it.id: next(new_ids) for it in items}
        out.append([replace(it, id=renamed[it.id], parent_id=renamed.get(it.parent_id, it.parent_id)) for it in items])
    return out


def link_translations(original: list[Item], translated: list[Item]) -> tuple[list[Item], bool]:
    """Pair the n-th translated item with the n-th original one.

    Args:
        original: Items of the Chinese stream, in order.
        translated: Items of the English stream, in order.

    Returns:
        The items (each translation right after its original, positions renumbered) and whether they were
        paired; streams with different numbers of items are returned one after the other, unlinked.
    """
    original, translated = _unique([original, translated])
    if len(original) != len(translated):
        return _numbered(original + translated), False
    out: list[Item] = []
    for zh, en in zip(original, translated, strict=True):
        shared = {name: getattr(zh, name) or getattr(en, name) for name in SHARED}
        out += [replace(zh, **shared), replace(en, **shared, translation_of=zh.id)]
    return _numbered(out), True


def _numbered(items: list[Item]) -> list[Item]:
    return [replace(it, position=n) for n, it in enumerate(items)]
