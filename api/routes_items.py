"""Browsing: one item, items like it, the bulletins, one bulletin's items in printed order."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query

from api.deps import ArchiveDep, Reader
from api.models import READ_ERRORS, BulletinDetailOut, BulletinsOut, ItemOut, SimilarOut, errors
from api.params import MAX_K, FiltersDep
from index.interface import Bulletin, ItemNotFound

router = APIRouter(tags=["browse"], responses=READ_ERRORS)
_NOT_FOUND = errors(404)
ItemId = Annotated[str, Path(max_length=300, description="item id, as in a hit's 'id'")]
BulletinId = Annotated[str, Path(max_length=300, description="bulletin id, as in a hit's 'bulletin_id'")]


def bulletin_dict(bulletin: Bulletin) -> dict:
    """A bulletin's record, its source file named without the server's folders."""
    out = bulletin.to_dict()
    out["source_file"] = out["source_file"].replace("\\", "/").rsplit("/", 1)[-1]
    return out


@router.get("/items/{item_id}", response_model=ItemOut, responses=_NOT_FOUND, summary="One item")
def item(archive: ArchiveDep, _: Reader, item_id: ItemId) -> dict:
    """All fields of one item."""
    found = archive.item(item_id)
    if found is None:
        raise HTTPException(404, "no item with this id in the index")
    return found.to_dict()


@router.get("/items/{item_id}/similar", response_model=SimilarOut, responses=_NOT_FOUND,
            summary="Items like this one")
def similar(archive: ArchiveDep, _: Reader, item_id: ItemId, filters: FiltersDep,
            k: Annotated[int, Query(ge=1, le=MAX_K)] = 10) -> dict:
    """The items closest in meaning (near-duplicates of the item left out), within the filters."""
    try:
        hits = archive.similar(item_id, k, filters)
    except ItemNotFound:
        raise HTTPException(404, "no item with this id in the index") from None
    return {"item": item_id, "hits": [h.to_dict() for h in hits]}


@router.get("/bulletins", response_model=BulletinsOut, summary="Every bulletin, newest first")
def bulletins(archive: ArchiveDep, _: Reader) -> dict:
    """Each bulletin with its item counts by section and kind."""
    summaries = archive.bulletins()
    return {"total": len(summaries), "bulletins": [
        {"bulletin": bulletin_dict(s.bulletin), "items": s.items, "by_section": s.by_section, "by_kind": s.by_kind}
        for s in summaries]}


@router.get("/bulletins/{bulletin_id}", response_model=BulletinDetailOut, responses=_NOT_FOUND,
            summary="One bulletin and its items")
def bulletin(archive: ArchiveDep, _: Reader, bulletin_id: BulletinId) -> dict:
    """A bulletin's record and its items in printed order."""
    record = archive.bulletin(bulletin_id)
    if record is None:
        raise HTTPException(404, "no bulletin with this id in the index")
    return {"bulletin": bulletin_dict(record), "items": [i.to_dict() for i in archive.bulletin_items(bulletin_id)]}
