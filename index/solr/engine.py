"""The Solr engine: a SolrCloud collection (behind an alias) as :class:`index.search.engine.Engine`.

Items, their passages (with vectors) and bulletins are documents of one collection (``doc_type``). Keyword search
runs the planner's query trees (the same trees the local engine gives whoosh) as Lucene syntax over the
pre-analysed ``kw_*`` fields with BM25: all words first, then items matching some of them. Semantic search asks
``{!knn}`` for passages within the filters (``fq``, applied before top-k) and keeps each item's best passage, as
the local engine does. Counts are Solr's JSON facets over the items the query matches.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np

from archive.model import Bulletin, Item
from index.crosslingual.names import NamePair, mine_pairs
from index.errors import IndexMissing, ItemNotFound
from index.interface.filters import Filters
from index.interface.records import BuildInfo, Location
from index.keyword.analysis import word_texts
from index.keyword.engine import KeywordResult
from index.keyword.glossary import Glossary, default_glossary
from index.keyword.planner import PostingsPlan, QueryPlan, plan_postings, plan_query
from index.search.engine import KeywordRanking, Match, SemanticMatch
from index.solr import collections as solr_collections
from index.solr import documents
from index.solr.client import SolrClient
from index.solr.location import parse
from index.solr.query import filter_queries, lucene, postings_lucene, quoted

ROWS = 1000  # documents per page when the engine reads many
ITEMS_ONLY = f"doc_type:{documents.ITEM}"
PASSAGES_ONLY = f"doc_type:{documents.PASSAGE}"


def read_build(client: SolrClient, alias: str) -> dict | None:
    """The description of the build behind ``alias`` (None when there is no build yet)."""
    if solr_collections.alias_target(client, alias) is None:
        return None
    found = client.get(f"/{alias}/select", {"q": f"id:{quoted(documents.BUILD_ID)}", "fl": "record", "rows": 1})
    docs = found["response"]["docs"]
    return json.loads(docs[0]["record"]) if docs else None


class SolrEngine:
    """The build behind a Solr alias, opened (the collection it pointed at when opened: a newer build does not
    change what this engine answers)."""

    def __init__(self, client: SolrClient, alias: str, collection: str, details: dict, location: str) -> None:
        self.client, self.alias, self.collection = client, alias, collection
        self.info: BuildInfo = documents.build_info_of(details, location, collection)
        self.glossary: Glossary = default_glossary()
        self._items: dict[str, Item] = {}

    @classmethod
    def open(cls, location: Location) -> SolrEngine:
        where = parse(location)
        client = SolrClient(where.base)
        collection = solr_collections.alias_target(client, where.name)
        if collection is None:
            raise IndexMissing(f"{location}: no build yet; build it with 'bulletins build --index {location}'")
        details = read_build(client, where.name)
        if details is None:
            raise IndexMissing(f"{location}: the collection {collection} holds no finished build; "
                               f"run 'bulletins build --rebuild --index {location}'")
        return cls(client, where.name, collection, details, str(location))

    def close(self) -> None:
        self.client.close()

    def latest_build(self) -> str | None:
        return solr_collections.alias_target(self.client, self.alias)

    def health(self) -> str:
        return solr_collections.degraded(solr_collections.cluster_health(self.client, self.collection))

    def _select(self, params: dict | list) -> dict:
        return self.client.post(f"/{self.collection}/select", {"params": params})

    # -- ranking --------------------------------------------------------------------------------------

    def keyword(self, query: str, k: int, filters: Filters, renderings: tuple = ()) -> KeywordRanking:
        plan: PostingsPlan | QueryPlan | None = plan_postings(query, self.glossary, renderings)
        if plan is not None:  # plain words, phrases and text fields: with the query's translations
            strict, loose = postings_lucene(plan)
        else:  # operators and exact fields: the trees whoosh runs locally
            plan = plan_query(query, self.glossary)
            strict, loose = lucene(plan.strict), lucene(plan.loose)
        if k <= 0 or not (strict or loose):
            return KeywordResult([], 0, plan.notice, plan.terms)
        fq = [ITEMS_ONLY, *filter_queries(filters)]
        hits, total = self._ranked(strict, fq, k) if strict else ([], 0)
        complete = len(hits) if strict else 0
        if len(hits) < k and loose:
            more, loose_total = self._ranked(loose, fq, k)
            seen = {item_id for item_id, _ in hits}
            hits += [h for h in more if h[0] not in seen][: k - len(hits)]
            total = max(total, loose_total)
        return KeywordResult(hits, total, plan.notice, plan.terms, complete)

    def _ranked(self, q: str, fq: list[str], k: int) -> tuple[list[tuple[str, float]], int]:
        found = self._select({"q": q, "fq": fq, "fl": "id,score", "rows": k, "sort": "score desc,row asc"})
        response = found["response"]
        return [(d["id"], float(d["score"])) for d in response["docs"]], int(response["numFound"])

    def semantic(self, vector: np.ndarray, k: int, filters: Filters) -> list[SemanticMatch]:
        return self._nearest(vector, k, filter_queries(filters))

    def _nearest(self, vector: np.ndarray, k: int, fq: list[str]) -> list[SemanticMatch]:
        """The ``k`` items whose best passage is nearest ``vector`` (more passages are asked for until ``k`` items
        are found, or every passage was)."""
        values = ",".join(f"{float(x):.7g}" for x in vector)
        top = max(4 * k, 20)
        while True:
            found = self._select({"q": f"{{!knn f=vector topK={top}}}[{values}]", "fq": [PASSAGES_ONLY, *fq],
                                  "fl": "item_id,passage,score", "rows": top})
            best: dict[str, SemanticMatch] = {}
            for doc in found["response"]["docs"]:
                # dot_product scores are (1 + cosine) / 2 in Lucene: back to the cosine the local engine reports
                match = SemanticMatch(doc["item_id"], 2 * float(doc["score"]) - 1, doc.get("passage", ""))
                if match.item_id not in best or match.score > best[match.item_id].score:
                    best[match.item_id] = match
            if len(best) >= k or len(found["response"]["docs"]) < top:
                return sorted(best.values(), key=lambda m: -m.score)[:k]
            top *= 4

    def similar(self, item_id: str, k: int, filters: Filters) -> list[SemanticMatch]:
        item = self.items([item_id])[0]
        if item is None:
            raise ItemNotFound(f"no item '{item_id}' in the index")
        vectors = self._vectors(item_id)
        mean = vectors.mean(axis=0)
        mean /= np.linalg.norm(mean) or 1.0
        family = [quoted(x) for x in {item.id, item.duplicate_of} - {""}]
        fq = [*filter_queries(filters), f"-item_id:({' OR '.join(family)})",
              f"-duplicate_of:({' OR '.join(family)})"]
        return self._nearest(mean, k, fq)

    def _vectors(self, item_id: str) -> np.ndarray:
        found = self._select({"q": f"item_id:{quoted(item_id)}", "fq": PASSAGES_ONLY, "fl": "vector", "rows": ROWS})
        return np.array([d["vector"] for d in found["response"]["docs"]], dtype=np.float32)

    # -- counting and browsing ------------------------------------------------------------------------

    def counts(self, match: Match, filters: Filters, attrs: tuple[str, ...]) -> Counter:
        fq = [ITEMS_ONLY, *filter_queries(filters)]
        q, extra = self._match_query(match)
        facet = _pivot(attrs)
        found = self._select({"q": q, "fq": fq, "rows": 0, "json.facet": json.dumps(facet), **extra})
        out: Counter = Counter()
        _collect(found.get("facets", {}), attrs, (), out)  # items without a value count under ''
        return out

    def _match_query(self, match: Match) -> tuple[str, dict[str, str]]:
        """Every item the query matches — its keyword side (all or some words) or its semantic side (an item whose
        passages come near enough: passages live on their item's shard, so the join stays within a shard) — and
        the parameters that query refers to."""
        if not (match.keyword or match.semantic):
            return "*:*", {}
        sides, extra = [], {}
        if match.keyword:
            postings = plan_postings(match.query, self.glossary, match.renderings())
            if postings is not None:
                strict, loose = postings_lucene(postings)
            else:
                plan = plan_query(match.query, self.glossary)
                strict, loose = lucene(plan.strict), lucene(plan.loose)
            sides += [s for s in (loose or strict,) if s]
        if match.semantic and match.vector is not None:
            values = ",".join(f"{float(x):.7g}" for x in match.vector())
            threshold = (1 + match.min_similarity) / 2  # Lucene's dot-product score of that cosine
            extra["near"] = f"{{!vectorSimilarity f=vector minReturn={threshold:.6f}}}[{values}]"
            sides.append("{!join from=item_id to=id v=$near}")
        return (" OR ".join(f"({s})" for s in sides) if sides else "-*:*"), extra

    def browse(self, filters: Filters, k: int, offset: int = 0) -> tuple[list[Item], int]:
        fq = [ITEMS_ONLY, *filter_queries(filters)]
        found = self._select({"q": "*:*", "fq": fq, "fl": "record", "sort": "row asc", "rows": min(k, 10**6),
                              "start": offset})
        response = found["response"]
        return [documents.item_of(d) for d in response["docs"]], int(response["numFound"])

    # -- stored records -------------------------------------------------------------------------------

    def items(self, ids: Sequence[str]) -> list[Item | None]:
        wanted = [i for i in dict.fromkeys(ids) if i not in self._items]
        for start in range(0, len(wanted), ROWS):
            chunk = wanted[start : start + ROWS]
            found = self._select({"q": f"id:({' OR '.join(quoted(i) for i in chunk)})", "fq": ITEMS_ONLY,
                                  "fl": "record", "rows": len(chunk)})
            for doc in found["response"]["docs"]:
                item = documents.item_of(doc)
                self._items[item.id] = item
        return [self._items.get(i) for i in ids]

    def bulletins(self) -> list[Bulletin]:
        found = self._select({"q": f"doc_type:{documents.BULLETIN}", "fl": "record", "rows": 10**6})
        return [documents.bulletin_of(d) for d in found["response"]["docs"]]

    def dates(self) -> set[str]:
        facet = {"starts": {"type": "terms", "field": "date_start", "limit": -1},
                 "ends": {"type": "terms", "field": "date_end", "limit": -1}}
        found = self._select({"q": ITEMS_ONLY, "rows": 0, "json.facet": json.dumps(facet)})
        facets = found.get("facets", {})
        return {b["val"] for name in ("starts", "ends") for b in facets.get(name, {}).get("buckets", [])}

    def corpus(self) -> SolrCorpus:
        return SolrCorpus(self)

    def name_pairs(self, romanise: Callable[[str], str] | None) -> list[NamePair]:
        items, _ = self.browse(Filters(), 10**6)
        return mine_pairs(items, romanise)


class SolrCorpus:
    """Which items hold a term (as rows: the items' ``row`` numbers), for choosing query translations."""

    def __init__(self, engine: SolrEngine) -> None:
        self._engine = engine
        self._rows: dict[str, np.ndarray] = {}

    def rows_with(self, text: str) -> np.ndarray:
        if text not in self._rows:
            tokens = " ".join(word_texts(text)[0])
            if not tokens:
                return np.zeros(0, dtype=np.int64)
            q = f"kw_title:{quoted(tokens)} OR kw_text:{quoted(tokens)}"
            found = self._engine._select({"q": q, "fq": ITEMS_ONLY, "fl": "row", "rows": 10**6})
            self._rows[text] = np.array(sorted(d["row"] for d in found["response"]["docs"]), dtype=np.int64)
        return self._rows[text]

    def doc_count(self) -> int:
        return self._engine.info.items


def _pivot(attrs: tuple[str, ...]) -> dict:
    """A JSON facet counting ``attrs`` (nested for several), every value."""
    facet: dict = {}
    for attr in reversed(attrs):
        facet = {"x": {"type": "terms", "field": attr, "limit": -1, "missing": True} | ({"facet": facet} if facet else {})}
    return facet


def _collect(node: dict, attrs: tuple[str, ...], prefix: tuple[str, ...], out: Counter) -> None:
    bucket_set = node.get("x", {})
    for bucket in bucket_set.get("buckets", []):
        key = (*prefix, str(bucket["val"]))
        if len(attrs) == 1:
            out[key[-1] if len(key) == 1 else key] += int(bucket["count"])
        else:
            _collect(bucket, attrs[1:], key, out)
    missing = bucket_set.get("missing", {})
    if missing.get("count"):
        key = (*prefix, "")
        if len(attrs) == 1:
            out[key[-1] if len(key) == 1 else key] += int(missing["count"])
        else:
            _collect(missing, attrs[1:], key, out)


def latest_build(location: Location) -> str | None:
    """The collection the location's alias points at (None: no build yet)."""
    where = parse(location)
    client = SolrClient(where.base)
    try:
        return solr_collections.alias_target(client, where.name)
    finally:
        client.close()


def describe(location: Location) -> BuildInfo:
    """The build behind the location's alias, from its build record. Raises IndexProblem."""
    engine = SolrEngine.open(location)
    engine.close()
    return engine.info
