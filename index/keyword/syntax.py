"""User query syntax: normalised, checked and parsed into a query tree; what cannot be parsed is read as plain words.

Syntax: plain words, ``"phrases"``, ``AND``/``OR``/``NOT``/``-term``, parentheses and ``field:value``; curly
quotes count as quotes and ``+term`` as ``term``. Syntax whoosh would silently misread (unbalanced quotes or
parentheses, dangling operators) or cannot parse is searched as plain words, with a notice saying so: nothing
here raises on user input.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from index.keyword.query import Node
from index.keyword.whoosh_adapter import QuerySyntaxError, parse_tree

log = logging.getLogger(__name__)

NOTICE_SYNTAX = "query syntax not understood; searched as plain words"
OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "「": '"', "」": '"', "『": '"', "』": '"'})
_MINUS = re.compile(r"(?:(?<=\s)|^)[-+](?=[^\s\-+])")


@dataclass(frozen=True)
class ParsedQuery:
    """A user query as parsed.

    Attributes:
        prepared: The text that was parsed (normalised; plain words when the syntax was not understood).
        tree: Its query tree, fields as typed (``any`` for plain words).
        notice: '' or :data:`NOTICE_SYNTAX`.
    """

    prepared: str
    tree: Node
    notice: str = ""

    def words(self) -> set[str]:
        """The prepared text's words, parentheses removed (to see which operators it uses)."""
        return set(self.prepared.replace("(", " ").replace(")", " ").split())


def parse(text: str) -> ParsedQuery:
    """Parse a user query (never raises on user input: malformed syntax is parsed as plain words)."""
    prepared, notice = _prepare(text or ""), ""
    if _malformed(prepared):
        prepared, notice = _plain_words(prepared), NOTICE_SYNTAX
    try:
        tree = parse_tree(prepared)
    except QuerySyntaxError:
        log.debug("query %r not parsed", text, exc_info=True)
        prepared, notice = _plain_words(prepared), NOTICE_SYNTAX
        tree = parse_tree(prepared)
    return ParsedQuery(prepared, tree, notice)


def _prepare(text: str) -> str:
    """Normalise query syntax: curly quotes to ", ``-term`` to ``NOT term``, ``+term`` to ``term``."""
    text = text.translate(_QUOTES)
    return _MINUS.sub(lambda m: "NOT " if m.group() == "-" else "", text)


def _malformed(text: str) -> bool:
    """True for queries whose syntax whoosh would silently misread (unbalanced, dangling operators)."""
    if text.count('"') % 2 or text.count("(") != text.count(")"):
        return True
    words = text.replace("(", " ").replace(")", " ").split()
    if not words:
        return False
    binary = [w in OPERATORS - {"NOT"} for w in words]
    if binary[0] or binary[-1] or words[-1] == "NOT":
        return True
    return any((a or w == "NOT") and b for a, w, b in zip(binary, words, binary[1:], strict=False))


def _plain_words(text: str) -> str:
    cleaned = re.sub(r'["()]', " ", text)
    return " ".join(w for w in cleaned.split() if w not in OPERATORS)


def plain_words(text: str) -> str:
    """A query's words without syntax: no operators, quotes, parentheses, excluded terms or ``field:`` prefixes."""
    words = re.sub(r'["()]', " ", _prepare(text or "")).split()
    kept = [w.partition(":")[2] if ":" in w else w for i, w in enumerate(words)
            if w not in OPERATORS and not (i and words[i - 1] == "NOT")]
    return " ".join(w for w in kept if w)
