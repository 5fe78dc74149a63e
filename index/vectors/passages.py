"""Split items into passages for embedding: the title, then sentence groups of bounded length."""

from __future__ import annotations

import hashlib
import re
from typing import NamedTuple

from archive.model import Item

MAX_CHARS = 160
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|(?<=\.)\s+|\n+")


class Passage(NamedTuple):
    item_id: str
    text: str


def split_sentences(text: str) -> list[str]:
    """Sentences of Chinese or English text (kept verbatim, stripped)."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def _chunk(sentence: str, limit: int) -> list[str]:
    return [sentence[i : i + limit] for i in range(0, len(sentence), limit)]


def group_sentences(sentences: list[str], limit: int = MAX_CHARS) -> list[str]:
    """Greedily join consecutive sentences into passages of at most ``limit`` characters."""
    passages: list[str] = []
    current = ""
    for sentence in sentences:
        for piece in _chunk(sentence, limit):
            joiner = " " if current and current[-1].isascii() and piece[0].isascii() else ""
            if current and len(current) + len(joiner) + len(piece) > limit:
                passages.append(current)
                current = piece
            else:
                current = f"{current}{joiner}{piece}"
    if current:
        passages.append(current)
    return passages


def item_passages(item: Item, limit: int = MAX_CHARS) -> list[Passage]:
    """The passages of one item, in order: its title first (if not just the text's head), then its text."""
    body = group_sentences(split_sentences(item.text), limit)
    texts = ([item.title] if item.title and not item.text.startswith(item.title) else []) + body
    seen: set[str] = set()
    unique = [t for t in texts if not (t in seen or seen.add(t))]
    return [Passage(item.id, t) for t in unique] or [Passage(item.id, item.title or item.id)]


def text_key(text: str) -> str:
    """Content hash of a passage, the embedding cache key (with the model name)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]
