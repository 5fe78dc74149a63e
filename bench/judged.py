"""Judged query files (JSON lines): loading and validation.

One object per line::

    {"id": "q01", "query": "绿色航运", "type": "zh", "filters": {"kind": ["quote"]},
     "relevant": [{"match": "建议关注绿色港口、绿色航", "grade": 2}], "note": "why"}

``filters`` uses the CLI option names: list values for the repeatable options
(section, kind, bulletin), strings for the others. A ``match`` is copied from one line of the
bulletin: 8-20 characters, or up to 40 when it has no Chinese character (English items).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

QUERY_TYPES: tuple[str, ...] = ("zh", "en", "cross", "quote", "name", "org", "topic", "zh-en")
LIST_FILTERS: tuple[str, ...] = ("section", "kind", "bulletin")
TEXT_FILTERS: tuple[str, ...] = ("speaker", "source", "lang", "since", "until")
GRADES: tuple[int, ...] = (1, 2)
MATCH_LEN: tuple[int, int] = (8, 20)  # characters; a match without any CJK character may be up to 40
MATCH_LEN_LATIN = 40
_CJK = re.compile(r"[\u3400-\u9fff]")


class JudgedFileError(ValueError):
    """A judged query file is malformed (the message names the line and the problem)."""


@dataclass(frozen=True)
class Judgment:
    match: str
    grade: int


@dataclass(frozen=True)
class JudgedQuery:
    id: str
    query: str
    type: str
    relevant: tuple[Judgment, ...]
    filters: dict[str, Any] = field(default_factory=dict)
    note: str = ""

    def relevant_dicts(self) -> list[dict[str, Any]]:
        return [{"match": j.match, "grade": j.grade} for j in self.relevant]

    def filter_key(self) -> str:
        """A canonical string for grouping queries that share the same filters."""
        return json.dumps(self.filters, sort_keys=True, ensure_ascii=False)


def problems(obj: Any) -> list[str]:
    """Everything wrong with one judged query object (empty list when well-formed)."""
    if not isinstance(obj, dict):
        return ["not a JSON object"]
    out = [f"field {name!r} must be a non-empty string" for name in ("id", "query", "note")
           if not (isinstance(obj.get(name), str) and obj[name].strip())]
    if "\n" in str(obj.get("query", "")):
        out.append("query contains a line break")
    if obj.get("type") not in QUERY_TYPES:
        out.append(f"type {obj.get('type')!r} not in {QUERY_TYPES}")
    out += _filter_problems(obj.get("filters"))
    out += _relevant_problems(obj.get("relevant"))
    unknown = set(obj) - {"id", "query", "type", "filters", "relevant", "note"}
    if unknown:
        out.append(f"unknown fields {sorted(unknown)}")
    return out


def _filter_problems(filters: Any) -> list[str]:
    if not isinstance(filters, dict):
        return ["filters must be an object ({} for none)"]
    out = []
    for name, value in filters.items():
        if name in LIST_FILTERS:
            if not (isinstance(value, list) and value and all(isinstance(v, str) and v for v in value)):
                out.append(f"filter {name!r} must be a non-empty list of strings")
        elif name in TEXT_FILTERS:
            if not (isinstance(value, str) and value):
                out.append(f"filter {name!r} must be a non-empty string")
        else:
            out.append(f"unknown filter {name!r} (use CLI option names: {LIST_FILTERS + TEXT_FILTERS})")
    return out


def _relevant_problems(relevant: Any) -> list[str]:
    if not (isinstance(relevant, list) and relevant):
        return ["relevant must be a non-empty list"]
    out = []
    for entry in relevant:
        if not isinstance(entry, dict) or set(entry) != {"match", "grade"}:
            out.append(f"relevant entry {entry!r} must have exactly 'match' and 'grade'")
            continue
        match, grade = entry["match"], entry["grade"]
        if not _match_ok(match):
            out.append(f"match {match!r} must be a one-line string of {MATCH_LEN[0]}-{MATCH_LEN[1]} characters "
                       f"({MATCH_LEN_LATIN} without Chinese)")
        if type(grade) is not int or grade not in GRADES:
            out.append(f"grade {grade!r} of {match!r} must be 1 or 2")
    matches = [e.get("match") for e in relevant if isinstance(e, dict)]
    if len(set(matches)) != len(matches):
        out.append("the same match is judged twice")
    return out


def _match_ok(match: Any) -> bool:
    if not isinstance(match, str) or "\n" in match:
        return False
    hi = MATCH_LEN[1] if _CJK.search(match) else MATCH_LEN_LATIN
    return MATCH_LEN[0] <= len(match) <= hi


def parse(obj: dict[str, Any]) -> JudgedQuery:
    return JudgedQuery(
        id=obj["id"], query=obj["query"], type=obj["type"], filters=dict(obj["filters"]), note=obj["note"],
        relevant=tuple(Judgment(e["match"], e["grade"]) for e in obj["relevant"]),
    )


def load(path: str | Path) -> list[JudgedQuery]:
    """Read and validate a judged file; raise ``JudgedFileError`` naming every bad line."""
    errors: list[str] = []
    queries: list[JudgedQuery] = []
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{path}:{lineno}: invalid JSON ({exc.msg})")
            continue
        bad = problems(obj)
        errors += [f"{path}:{lineno}: {p}" for p in bad]
        if not bad:
            queries.append(parse(obj))
    ids = [q.id for q in queries]
    errors += [f"{path}: duplicate id {i!r}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    if errors:
        raise JudgedFileError("\n".join(errors))
    return queries
