"""A staff-editable bilingual glossary: names and terms in Chinese, English and their variants.

The file is a plain CSV with a header ``zh,en,variants[,note]``; ``variants`` holds ``|``-separated
forms. Every form of a row is equivalent to every other (联盟 ↔ BRIGC ↔ the full English name).
Forms are compared after analysis (case, traditional/simplified, punctuation and spacing ignored).
Keyword search expands queries through it; the index itself never depends on it (no rebuild needed).
"""

from __future__ import annotations

import csv
import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from index.keyword.analysis import analyze, is_cjk
from index.paths import PROJECT_ROOT

log = logging.getLogger(__name__)

DEFAULT_GLOSSARY = PROJECT_ROOT / "data" / "glossary.csv"
GLOSSARY_ENV = "BULLETINS_GLOSSARY"
_SLACK = 2  # extra tokens allowed when a form segments differently inside a query


class GlossaryError(ValueError):
    """The glossary file cannot be used at all (missing, unreadable, no zh/en header)."""


def term_key(tokens: Sequence[str]) -> str:
    """Comparison key of a token sequence: Chinese tokens joined, other neighbours spaced.

    Args:
        tokens: Analysed token texts.

    Returns:
        e.g. ``"国合会"`` for ``["国合", "会"]`` and ``"belt and road"`` for three English tokens.
    """
    out = ""
    for token in tokens:
        if out and not (is_cjk(out[-1]) or is_cjk(token[0])):
            out += " "
        out += token
    return out


def form_key(form: str) -> str:
    """Comparison key of a raw glossary form or query term ('' if it has no words)."""
    return term_key([t.text for t in analyze(form)])


@dataclass(frozen=True)
class Glossary:
    """Groups of equivalent forms, with lookup by analysed key.

    Attributes:
        groups: Each row's forms as written in the file.
        problems: Plain-words descriptions of rows that were skipped (file and line named).
        source: Where the glossary was read from ('' when built in code).
    """

    groups: tuple[tuple[str, ...], ...] = ()
    problems: tuple[str, ...] = ()
    source: str = ""
    _by_key: dict[str, set[int]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _longest: list[int] = field(default_factory=lambda: [0], init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for index, forms in enumerate(self.groups):
            for form in forms:
                tokens = [t.text for t in analyze(form)]
                self._by_key.setdefault(term_key(tokens), set()).add(index)
                self._longest[0] = max(self._longest[0], len(tokens))

    def __len__(self) -> int:
        return len(self.groups)

    def expansions(self, term: str) -> set[str]:
        """Other forms equivalent to a term (not the term itself); empty when unknown.

        Args:
            term: A name or term in any case, script or spacing (``Solheim``, ``國合會``).

        Returns:
            The raw forms of every row containing the term, minus those with the term's own key.
        """
        key = form_key(term)
        return self._forms_for(key) if key else set()

    def match(self, tokens: Sequence[str], start: int) -> tuple[int, set[str]]:
        """Longest glossary form beginning at ``tokens[start]``.

        Args:
            tokens: Analysed token texts of a query.
            start: Index to match from.

        Returns:
            (number of tokens matched, other forms); ``(0, set())`` when nothing matches.
        """
        stop = min(len(tokens), start + self._longest[0] + _SLACK)
        for end in range(stop, start, -1):
            key = term_key(tokens[start:end])
            if key in self._by_key:
                return end - start, self._forms_for(key)
        return 0, set()

    def _forms_for(self, key: str) -> set[str]:
        forms = {form for index in self._by_key.get(key, ()) for form in self.groups[index]}
        return {form for form in forms if form_key(form) != key}


def load_glossary(path: Path | str) -> Glossary:
    """Read a glossary CSV. Bad rows are skipped, logged and listed in ``problems``.

    Args:
        path: CSV file with a header containing at least ``zh`` and ``en``.

    Returns:
        The glossary of all good rows.

    Raises:
        GlossaryError: The file is missing, not UTF-8, or lacks the ``zh``/``en`` header.
    """
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            groups, problems = _read_rows(path, csv.reader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise GlossaryError(f"cannot read glossary {path}: {exc}") from exc
    for problem in problems:
        log.warning("%s", problem)
    return Glossary(tuple(groups), tuple(problems), str(path))


def default_glossary() -> Glossary:
    """The glossary at ``$BULLETINS_GLOSSARY`` or ``data/glossary.csv``; empty if there is none."""
    path = Path(os.environ.get(GLOSSARY_ENV) or DEFAULT_GLOSSARY)
    if not path.exists():
        log.warning("no glossary at %s; queries are not expanded", path)
        return Glossary()
    return load_glossary(path)


def _read_rows(path: Path, reader: Iterable[list[str]]) -> tuple[list[tuple[str, ...]], list[str]]:
    rows = iter(reader)
    header = [name.strip().lower() for name in next(rows, [])]
    if "zh" not in header or "en" not in header:
        raise GlossaryError(f"{path} line 1: header must name the columns zh,en[,variants,note]; got {header}")
    groups: list[tuple[str, ...]] = []
    problems: list[str] = []
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
            continue
        forms, why = _row_forms(header, row)
        if why:
            problems.append(f"{path} line {line}: {why}; row skipped")
        else:
            groups.append(forms)
    return groups, problems


def _row_forms(header: list[str], row: list[str]) -> tuple[tuple[str, ...], str]:
    """The forms of one row, or a reason it is unusable."""
    if len(row) > len(header):
        return (), f"{len(row)} fields but the header has {len(header)} (quote values containing commas)"
    cells = dict(zip(header, row, strict=False))
    forms = [cells.get("zh", ""), cells.get("en", ""), *cells.get("variants", "").split("|")]
    forms = list(dict.fromkeys(form.strip() for form in forms if form.strip()))
    if len(forms) < 2:
        return (), "a row needs at least two forms (zh, en or variants)"
    empty = [form for form in forms if not form_key(form)]
    if empty:
        return (), f"form {empty[0]!r} has no letters or digits"
    return tuple(forms), ""
