"""What a Solr archive stores: items, their passages (with vectors), bulletins and the build's description, as
Solr documents. Keyword fields hold the archive's analyzer's tokens joined by spaces (Solr only splits them), filter
and facet fields the item's values as they are; the records are the archive's JSON, so items read back unchanged."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

import numpy as np

from archive.model import Bulletin, Item
from index.interface.records import BuildInfo
from index.keyword.analysis import word_texts
from index.keyword.fields import EXACT_FIELDS, TEXT_FIELDS, gram_texts, grams_value

ITEM, PASSAGE, BULLETIN, BUILD = "item", "passage", "bulletin", "build"
BUILD_ID = "_build"
FILTERED = ("bulletin_id", "kind", "section", "speaker", "speaker_title", "source", "lang", "place", "duplicate_of")


def item_doc(item: Item, row: int) -> dict:
    """An item: its record, its filter and facet values, its keyword fields."""
    doc = {"id": item.id, "item_id": item.id, "doc_type": ITEM, "row": row,
           "record": json.dumps(item.to_dict(), ensure_ascii=False)}
    doc |= _filtered(item)
    doc |= {f"kw_{name}": " ".join(word_texts(getattr(item, name))[0]) for name in TEXT_FIELDS}
    doc["kw_grams"] = " ".join(gram_texts(grams_value(item)))
    exact = {"kind": item.kind, "bulletin": item.bulletin_id, "lang": item.lang}
    doc |= {f"kw_{name}": exact[name].lower() for name in EXACT_FIELDS if exact[name]}
    doc |= {"kw_id": item.id, **({"kw_date": item.date} if item.date else {})}
    return doc


def passage_docs(item: Item, row: int, texts: Sequence[str], vectors: np.ndarray) -> Iterator[dict]:
    """An item's passages, each with its vector and a copy of the item's filter values (knn is filtered by fq)."""
    for n, (text, vector) in enumerate(zip(texts, vectors, strict=True)):
        yield {"id": f"{item.id}#p{n}", "doc_type": PASSAGE, "item_id": item.id, "row": row, "passage": text,
               "vector": [round(float(x), 7) for x in vector]} | _filtered(item)


def bulletin_doc(bulletin: Bulletin) -> dict:
    return {"id": f"bulletin:{bulletin.id}", "item_id": f"bulletin:{bulletin.id}", "doc_type": BULLETIN,
            "bulletin_id": bulletin.id,
            "record": json.dumps(bulletin.to_dict(), ensure_ascii=False)}


def build_doc(details: dict) -> dict:
    """The build's description (what a local build's manifest records), read back by ``bulletins info``."""
    return {"id": BUILD_ID, "item_id": BUILD_ID, "doc_type": BUILD, "record": json.dumps(details, ensure_ascii=False)}


def item_of(doc: dict) -> Item:
    return Item(**json.loads(doc["record"]))


def bulletin_of(doc: dict) -> Bulletin:
    record = json.loads(doc["record"])
    return Bulletin(**(record | {"notes": tuple(record.get("notes", ()))}))


def build_info_of(details: dict, location: str, collection: str) -> BuildInfo:
    return BuildInfo.from_record(details, engine="solr", location=location, build=collection,
                                 where={"index": location, "collection": collection})


def _filtered(item: Item) -> dict:
    """The item's values that filters and facets read; dates as written (text ranges, as locally) and as dates."""
    doc = {name: getattr(item, name) for name in FILTERED if getattr(item, name)}
    if item.date:
        doc |= {"date_start": item.date, "date_end": item.date_end or item.date, "month": item.date[:7]}
    return doc
