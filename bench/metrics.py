"""Ranking metrics and the mapping from judged text snippets to item ids.

All functions are pure. Gains are graded relevance (2 = squarely answers, 1 = partial);
an id missing from ``gains`` has gain 0. nDCG uses linear gains (as trec_eval does):
``DCG@k = sum(gain_i / log2(i + 1))`` over ranks ``i = 1..k``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

_SPACE = re.compile(r"\s+")


class ResolveError(ValueError):
    """A judged ``match`` substring found no item (the judgment or the parser is wrong)."""


def dcg_at_k(ranked_ids: Sequence[str], gains: Mapping[str, float], k: int) -> float:
    """Discounted cumulative gain of the first ``k`` ranked ids."""
    return sum(gains.get(doc, 0) / math.log2(rank + 1) for rank, doc in enumerate(ranked_ids[:k], start=1))


def ndcg_at_k(ranked_ids: Sequence[str], gains: Mapping[str, float], k: int = 10) -> float:
    """nDCG@k: DCG of the ranking divided by the DCG of the ideal ranking (0.0 when nothing is relevant).

    Duplicate ids in ``ranked_ids`` count once (at their best rank).
    """
    ideal = sorted((g for g in gains.values() if g > 0), reverse=True)
    idcg = sum(g / math.log2(rank + 1) for rank, g in enumerate(ideal[:k], start=1))
    if idcg == 0:
        return 0.0
    return dcg_at_k(_dedupe(ranked_ids), gains, k) / idcg


def recall_at_k(ranked_ids: Sequence[str], gains: Mapping[str, float], k: int = 10) -> float:
    """Share of the relevant ids (gain > 0) found in the first ``k`` (0.0 when nothing is relevant)."""
    relevant = {doc for doc, g in gains.items() if g > 0}
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranked_ids[:k])) / len(relevant)


def mrr(ranked_ids: Sequence[str], gains: Mapping[str, float], k: int | None = None) -> float:
    """Reciprocal rank of the first relevant id within the first ``k`` (all if None); 0.0 if none.

    This is one query's reciprocal rank; the mean over queries (``mean``) gives MRR.
    """
    for rank, doc in enumerate(ranked_ids[:k] if k else ranked_ids, start=1):
        if gains.get(doc, 0) > 0:
            return 1.0 / rank
    return 0.0


def mean(values: Iterable[float]) -> float:
    """Arithmetic mean; NaN for an empty sequence (a table shows it as n/a)."""
    vals = list(values)
    return sum(vals) / len(vals) if vals else math.nan


def median(values: Iterable[float]) -> float:
    """Median; NaN for an empty sequence."""
    vals = sorted(values)
    if not vals:
        return math.nan
    mid = len(vals) // 2
    return vals[mid] if len(vals) % 2 else (vals[mid - 1] + vals[mid]) / 2


def squash(text: str) -> str:
    """The form in which judged snippets are compared: NFKC, all whitespace removed."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or ""))


def resolve(
    relevant: Sequence[Mapping[str, Any]], items: Sequence[Mapping[str, Any]], query: str = "?"
) -> dict[str, int]:
    """Map judged ``{"match": substring, "grade": g}`` entries to ``{item_id: grade}``.

    A match selects every item whose text or title contains it, once both are squashed
    (NFKC, whitespace and line breaks removed). An item selected by several matches keeps
    the highest grade.

    Args:
        relevant: The judged entries of one query.
        items: Items as dicts with at least ``id``, ``title`` and ``text``.
        query: The query id or text, named in errors.

    Raises:
        ResolveError: A match selects no item.
    """
    haystacks = [(str(it["id"]), squash(it.get("title", "")), squash(it.get("text", ""))) for it in items]
    gains: dict[str, int] = {}
    for entry in relevant:
        needle = squash(entry["match"])
        hits = [doc for doc, title, text in haystacks if needle and (needle in text or needle in title)]
        if not hits:
            raise ResolveError(f"query {query}: judged match {entry['match']!r} is in no item's title or text")
        for doc in hits:
            gains[doc] = max(gains.get(doc, 0), int(entry["grade"]))
    return gains


def ambiguous_matches(
    relevant: Sequence[Mapping[str, Any]], items: Sequence[Mapping[str, Any]]
) -> dict[str, list[str]]:
    """Matches that select more than one item (worth a warning: a duplicate or a too-short snippet)."""
    out: dict[str, list[str]] = {}
    for entry in relevant:
        try:
            one = resolve([entry], items)
        except ResolveError:
            continue
        if len(one) > 1:
            out[entry["match"]] = sorted(one)
    return out


def _dedupe(ids: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    return [d for d in ids if not (d in seen or seen.add(d))]
