"""The fields of the keyword index: which item attributes are indexed, and how, by whoosh and by the postings.

Word fields ``title``/``text``/``speaker``/``speaker_title``/``section``/``source``/``place`` hold our analyzer's
tokens (:func:`index.keyword.analysis.analyze`, sequential positions); the bigram recall field ``grams`` holds
the character bigrams of title and text; ``kind``/``bulletin``/``lang`` are exact (lowercased) values, ``id``
is the item id and ``date`` its ISO date. whoosh indexes all of them (:func:`document`), the numpy postings the
word and bigram fields (:func:`postings_doc`), with the same tokens.
"""

from __future__ import annotations

from functools import lru_cache

from archive.model import Item
from index.keyword.analysis import Token, bigrams, word_texts
from index.keyword.postings_parts import Doc

TEXT_FIELDS = ("title", "text", "speaker", "speaker_title", "section", "source", "place")
EXACT_FIELDS = ("kind", "bulletin", "lang")
GRAMS = "grams"
PART = "\x1f"  # separates title and text in the bigram field
POSTED = {"title": True, "text": True, "speaker": True, "speaker_title": True, "place": True, "source": True,
          "section": True, GRAMS: True}  # numpy postings: field -> keep positions (for phrases)


@lru_cache(maxsize=4)
def gram_tokens(value: str) -> list[Token]:
    """Bigram-field tokens of ``title\\x1ftext`` (cached: the postings and whoosh both index each item's)."""
    out, offset = [], 0
    for part in value.split(PART):  # title and text analysed apart: analyze's cache serves both fields
        out += [Token(t.text, t.start + offset, t.end + offset) for t in bigrams(part)]
        offset += len(part) + 1
    return out


def gram_texts(value: str) -> list[str]:
    """The texts of :func:`gram_tokens` (no offsets: for indexing)."""
    return [gram for part in value.split(PART) for gram in word_texts(part)[1]]


def grams_value(item: Item) -> str:
    """The text of the item's bigram field."""
    return f"{item.title}{PART}{item.text}"


def document(item: Item) -> dict[str, str]:
    """The item as whoosh indexes it: field -> text, empty fields left out."""
    doc = {name: getattr(item, name) for name in TEXT_FIELDS}
    doc |= {GRAMS: grams_value(item), "id": item.id, "date": item.date}
    doc |= {"kind": item.kind.lower(), "bulletin": item.bulletin_id.lower(), "lang": item.lang.lower()}
    return {key: value for key, value in doc.items() if value}


def postings_doc(item: Item) -> Doc:
    """The item's tokens in the fields plain-word queries search (the same tokens as whoosh's fields)."""
    fields = {name: list(word_texts(getattr(item, name))[0]) for name in POSTED if name != GRAMS}
    fields[GRAMS] = gram_texts(grams_value(item))
    return Doc(item.id, item.bulletin_id.lower(), fields)
