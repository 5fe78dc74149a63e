"""The archive's queries in Solr's syntax: filters as ``fq`` clauses (from :class:`Criteria`, as the local engine's
mask), keyword query trees (``index.keyword.planner``, the same trees whoosh runs locally) as Lucene syntax over
the pre-analysed ``kw_*`` fields."""

from __future__ import annotations

import re

from index.interface.criteria import Criteria, inclusive_end
from index.interface.filters import Filters
from index.keyword import query as q
from index.keyword.planner import PostingsPlan
from index.keyword.postings import Clause

_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/\s])')


def quoted(value: str) -> str:
    """A value as one quoted Solr term (backslashes and quotes escaped)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def escaped(value: str) -> str:
    """A value with Solr's query syntax characters escaped (for wildcard and prefix terms)."""
    return _SPECIAL.sub(r"\\\1", value)


def filter_queries(filters: Filters) -> list[str]:
    """``fq`` clauses that keep exactly the items (and their passages) the filters allow."""
    return criteria_queries(filters.criteria())


def criteria_queries(criteria: Criteria) -> list[str]:
    out = [f"{attr}:({' OR '.join(quoted(v) for v in values)})" for attr, values in criteria.allowed if values]
    if criteria.speaker_title_has:
        out.append(f"speaker_title:*{escaped(criteria.speaker_title_has)}*")
    if criteria.since or criteria.until:
        out.append("date_start:[* TO *]")
        if criteria.since:
            out.append(f"date_end:[{quoted(criteria.since)} TO *]")
        if criteria.until:
            out.append(f"date_start:[* TO {quoted(inclusive_end(criteria.until))}]")
    return out


def lucene(node: q.Node | None) -> str | None:
    """A query tree in Lucene syntax (None: it asks for nothing)."""
    match node:
        case None | q.Unsupported():
            return None
        case q.Term(field=f, text=text, boost=boost):
            return _boosted(f"{_field(f)}:{quoted(text)}", boost)
        case q.Phrase(field=f, words=words, boost=boost):
            return _boosted(f"{_field(f)}:{quoted(' '.join(words))}", boost)
        case q.Prefix(field=f, text=text):
            return f"{_field(f)}:{escaped(text)}*"
        case q.And(children=children, boost=boost):
            parts = [p for p in (lucene(c) for c in children) if p]
            return _boosted("(" + " ".join(f"+{p}" for p in parts) + ")", boost) if parts else None
        case q.Or(children=children):
            parts = [p for p in (lucene(c) for c in children) if p]
            return "(" + " ".join(parts) + ")" if parts else None
        case q.Not(child=child):
            inner = lucene(child)
            return f"(*:* -{inner})" if inner else None
        case q.AndNot(positive=positive, negative=negative):
            pos, neg = lucene(positive), lucene(negative)
            return pos if pos is None or neg is None else f"(+{pos} -{neg})"
        case q.AndMaybe(required=required, optional=optional):
            req, opt = lucene(required), lucene(optional)
            return req if req is None or opt is None else f"(+{req} {opt})"
    raise TypeError(f"not a query node: {node!r}")


def postings_lucene(plan: PostingsPlan) -> tuple[str | None, str | None]:
    """A plain-word plan (the local engine's postings plan, with the query's translations) as the strict query
    (every unit, and every phrase or field leaf) and the loose one (any unit, every phrase or leaf; None when it
    would be the strict one). A unit's score is the sum of its clauses', as the local engine scores it."""
    units = [u for u in (_unit(unit) for unit in plan.units) if u]
    required = [f"+{r}" for r in (_unit(unit) for unit in plan.required) if r]
    if not (units or required):
        return None, None
    strict = " ".join([*(f"+{u}" for u in units), *required])
    loose = " ".join([f"+({' '.join(units)})", *required]) if len(units) > 1 else None
    return f"({strict})", (f"({loose})" if loose else None)


def _unit(clauses: tuple[Clause, ...]) -> str | None:
    parts = [_clause(c) for c in clauses if c.tokens]
    return "(" + " ".join(parts) + ")" if parts else None


def _clause(clause: Clause) -> str:
    if len(clause.tokens) == 1 or clause.phrase:
        return _boosted(f"{_field(clause.field)}:{quoted(' '.join(clause.tokens))}", clause.weight)
    every = " ".join(f"+{_field(clause.field)}:{quoted(t)}" for t in clause.tokens)
    return _boosted(f"({every})", clause.weight)


def _field(name: str) -> str:
    return f"kw_{name}"


def _boosted(text: str, boost: float) -> str:
    return text if boost == 1.0 else f"{text}^{boost:g}"
