"""Structured item files (``.jsonl``, ``.csv``) with the data model's field names."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from archive.errors import BadRecord
from archive.ids import item_id
from archive.lang import detect_lang
from archive.layout.dates import first_date
from archive.model import Bulletin, Item, Meta, ParsedFile
from archive.readers.formats import Format
from archive.readers.text import decode

_FIELDS = set(Item.field_names())
_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def jsonl_records(text: str, path: str) -> list[tuple[int, dict | BadRecord]]:
    """(line number, object) for each non-blank line of a JSON Lines file; a bad line gives its error."""
    records: list[tuple[int, dict | BadRecord]] = []
    for no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            records.append((no, BadRecord(path, f"not valid JSON ({exc.msg})", no)))
            continue
        records.append((no, obj if isinstance(obj, dict) else BadRecord(path, "a line must be a JSON object", no)))
    return records


def csv_records(text: str, path: str) -> list[tuple[int, dict | BadRecord]]:
    """(line number, row) for each row of a CSV file with a header row; a bad row gives its error.

    Raises:
        BadRecord: No header naming item fields, or the CSV cannot be read on from a malformed line.
    """
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not _FIELDS & {f.strip() for f in reader.fieldnames}:
        raise BadRecord(path, f"the header must name item fields ({', '.join(sorted(_FIELDS))})", 1)
    rows: list[tuple[int, dict | BadRecord]] = []
    try:
        for row in reader:
            if None in row:
                rows.append((reader.line_num, BadRecord(path, "row has more cells than the header", reader.line_num)))
            else:
                rows.append((reader.line_num, {k.strip(): v for k, v in row.items() if k}))
    except csv.Error as exc:
        raise BadRecord(path, f"malformed CSV ({exc})", reader.line_num) from exc
    return rows


def _iso(value: str, name: str, path: str, line: int) -> str:
    value = value.strip()
    if not value or _ISO.match(value):
        return value
    span = first_date(value)
    if span is None:
        raise BadRecord(path, f"{name} {value!r} is not a date", line)
    return span.start


def record_item(obj: dict, bulletin: str, position: int, path: str, line: int) -> Item:
    """An item from one record; a given ``id`` is kept.

    Raises:
        BadRecord: No text, or a field of the wrong type.
    """
    values: dict[str, object] = {}
    for key, value in obj.items():
        if key not in _FIELDS or value is None:
            continue
        if isinstance(value, dict | list):
            raise BadRecord(path, f"field {key!r} must be a string or number", line)
        values[key] = str(value).strip() if key != "text" else str(value)
    values["ocr"] = str(values.get("ocr", "")).lower() in ("true", "1", "yes")
    text = str(values.get("text", "")).strip()
    if not text:
        raise BadRecord(path, "record has no text", line)
    kind = str(values.get("kind") or "news")
    title = str(values.get("title") or text.split("\n")[0][:40])
    values.update(
        text=text, kind=kind, title=title, bulletin_id=values.get("bulletin_id") or bulletin,
        id=values.get("id") or item_id(bulletin, kind, title), position=position,
        lang=values.get("lang") or detect_lang(text),
        date=_iso(str(values.get("date", "")), "date", path, line),
        date_end=_iso(str(values.get("date_end", "")), "date_end", path, line),
    )
    return Item(**values)


@dataclass(frozen=True)
class Records:
    """The items of a structured file and the bad records skipped (each names its line and reason)."""

    items: tuple[Item, ...]
    problems: tuple[BadRecord, ...] = ()


def structured_items(text: str, suffix: str, bulletin: str, path: str) -> Records:
    """Items from a ``.jsonl`` or ``.csv`` file; a malformed record or a repeated id is skipped and named.

    Raises:
        BadRecord: The file holds no good record (the message names the first bad line), or no header.
    """
    records = jsonl_records(text, path) if suffix == ".jsonl" else csv_records(text, path)
    items: list[Item] = []
    problems: list[BadRecord] = []
    seen: dict[str, int] = {}
    for line, obj in records:
        try:
            if isinstance(obj, BadRecord):
                raise obj
            item = record_item(obj, bulletin, len(items), path, line)
            if item.id in seen:
                raise BadRecord(path, f"id {item.id!r} repeats the record on line {seen[item.id]}", line)
        except BadRecord as exc:
            problems.append(exc)
            continue
        seen[item.id] = line
        items.append(item)
    if not items and problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more bad records)" if len(problems) > 1 else ""
        raise BadRecord(path, first.reason + more, first.line)
    if not items:
        raise BadRecord(path, "file holds no records")
    return Records(tuple(items), tuple(problems))


def read_structured(path: Path, data: bytes, bid: str, meta: Meta) -> ParsedFile:
    """A ``.jsonl`` or ``.csv`` file of items: its good records as items, its bad ones named (``problems``)."""
    text, codec = decode(data, str(path))
    how = f"decoded as {codec}"
    records = structured_items(text, path.suffix.lower(), bid, str(path))
    items, skipped = records.items, records.problems
    dates = sorted(it.date for it in items if it.date)
    date, inferred = (meta.date, False) if meta.date else ((dates[-1], True) if dates else ("", False))
    langs = {it.lang for it in items}
    bulletin = Bulletin(
        id=bid, title=meta.title or path.stem, publisher=meta.publisher, date=date,
        language=meta.language or (langs.pop() if len(langs) == 1 else "mixed"), source_file=str(path),
        issue=meta.issue, date_inferred=inferred,
        notes=(how, f"structured file with {len(items)} records")
        + ((f"skipped {len(skipped)} bad records (lines {', '.join(str(p.line) for p in skipped)})",) if skipped else ())
        + (("issue date inferred as the latest item date",) if inferred else ()),
    )
    return ParsedFile(bulletin, items, skipped)


FORMAT = Format("structured", (".jsonl", ".csv"), read_structured)
