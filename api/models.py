"""The shapes the API answers with, for the OpenAPI document (and so for clients and schemathesis).

Hits are exactly ``bulletins search --json`` lines (:meth:`index.interface.records.Hit.to_dict`); the models
name their fields and allow none to be missing.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ItemOut(BaseModel):
    """One item, with the fields of :class:`archive.model.Item`."""

    model_config = ConfigDict(extra="allow")

    id: str
    bulletin_id: str
    kind: str
    title: str
    text: str
    section: str
    date: str
    date_end: str
    source: str
    speaker: str
    speaker_title: str
    place: str
    lang: str
    position: int
    duplicate_of: str
    parent_id: str
    url: str


class HitOut(ItemOut):
    """One ranked item: the item's fields plus why it ranks (as ``bulletins search --json``)."""

    rank: int
    score: float
    snippet: str
    passage: str
    keyword_rank: int | None
    semantic_rank: int | None
    keyword_score: float | None
    semantic_score: float | None
    duplicates: list[str]


class SearchOut(BaseModel):
    query: str
    mode: str
    took_ms: float
    total: int
    notice: str = ""
    filters: str = ""
    hits: list[HitOut]
    facets: dict[str, dict[str, int]] | None = None


class SpeakerOut(BaseModel):
    speaker: str
    titles: list[str]
    quotes: int


class QuotesOut(SearchOut):
    speakers: list[SpeakerOut]


class SimilarOut(BaseModel):
    item: str
    hits: list[HitOut]


class BulletinOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str
    title: str
    publisher: str
    date: str
    language: str
    source_file: str
    issue: str


class BulletinSummaryOut(BaseModel):
    bulletin: BulletinOut
    items: int
    by_section: dict[str, int]
    by_kind: dict[str, int]


class BulletinsOut(BaseModel):
    total: int
    bulletins: list[BulletinSummaryOut]


class BulletinDetailOut(BaseModel):
    bulletin: BulletinOut
    items: list[ItemOut]


class IngestOut(BaseModel):
    file: str
    status: str
    bulletin: str
    items: int
    by_kind: dict[str, int]
    build: str


class HealthOut(BaseModel):
    status: str


class ReadyOut(BaseModel):
    status: str  # ready, or degraded (still answering; ``degraded`` says what)
    build: str = ""
    items: int = 0
    model: str = ""
    degraded: str = ""


class ErrorOut(BaseModel):
    detail: str


def errors(*codes: int) -> dict[int | str, dict]:
    """OpenAPI entries for error answers (all ``{"detail": "..."}``), by status code."""
    text = {400: "bad parameter", 401: "a key is needed", 403: "the key is not good enough",
            404: "no such id in the index", 409: "already in the archive", 413: "file too large",
            415: "unsupported file type", 422: "invalid parameters or unreadable file",
            503: "the index is not ready"}
    return {code: {"model": ErrorOut, "description": text[code]} for code in codes}


READ_ERRORS = errors(400, 401, 403, 422, 503)
