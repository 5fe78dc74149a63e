"""Keyword query trees as data: what user syntax parses to, and what the planner hands the engines to run.

The query is built apart from running it: :mod:`index.keyword.syntax` turns text into a tree of these nodes
(fields as typed: ``any`` for plain words), :mod:`index.keyword.planner` turns that tree into one over the real
fields, and only :mod:`index.keyword.whoosh_adapter` turns a tree into whoosh's objects. Knows nothing of whoosh.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """A word in a field."""

    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Phrase:
    """Words adjacent and in order in a field (from the parser: a quoted phrase, kept whole)."""

    field: str
    words: tuple[str, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class Prefix:
    """Values of a field that start with a text (``date:2019``)."""

    field: str
    text: str


@dataclass(frozen=True)
class And:
    """Every child matches."""

    children: tuple[Node, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class Or:
    """Any child matches; ``scale`` gives a bonus for matching more of them (None: no bonus)."""

    children: tuple[Node, ...]
    scale: float | None = None


@dataclass(frozen=True)
class Not:
    """The child must not match (only inside a group, from the parser)."""

    child: Node


@dataclass(frozen=True)
class AndNot:
    """``positive`` matches and ``negative`` does not."""

    positive: Node
    negative: Node


@dataclass(frozen=True)
class AndMaybe:
    """``required`` matches; ``optional`` adds to the score where it matches too."""

    required: Node
    optional: Node


@dataclass(frozen=True)
class Unsupported:
    """Syntax the planner does not search for (e.g. ``REQUIRE``, an empty query): it contributes nothing."""

    kind: str


@dataclass(frozen=True)
class Rendering:
    """Other-language forms of the plain-word tokens ``[start, end)`` of a query (from query translation).

    Attributes:
        start: First token (index into the query's plain-word tokens).
        end: One past the last token.
        forms: (analysed tokens, boost) of each rendering, sought as alternatives of those words.
        drop: The words are not required (a very general or unmatched word of a translated query).
    """

    start: int
    end: int
    forms: tuple[tuple[tuple[str, ...], float], ...] = ()
    drop: bool = False


Node = Term | Phrase | Prefix | And | Or | Not | AndNot | AndMaybe | Unsupported
