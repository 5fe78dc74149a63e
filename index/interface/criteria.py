"""Which items may be ranked, as data: the machine form of search filters, which an engine applies before ranking.

:class:`index.interface.filters.Filters` (what the user chose, with its human form) turns into :class:`Criteria`;
the local engine's item table applies them to every row at once (a mask), :meth:`Criteria.matches` to one item.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from archive.model import Item


@dataclass(frozen=True)
class Criteria:
    """Restrictions on items; empty fields restrict nothing.

    Dates compare ISO strings; an item's span is ``[date, date_end or date]`` and it matches when the span
    overlaps ``[since, until]`` (a partial date covers its whole period). With a date restriction, undated
    items are excluded.

    Attributes:
        allowed: (item attribute, allowed values) pairs, e.g. ``(("section", ("观点与动态",)),)``.
        speaker_title_has: Text the speaker's title must contain (an organisation, e.g. 世界资源研究所).
        since: Earliest date: YYYY, YYYY-MM or YYYY-MM-DD.
        until: Latest date, in the same forms.
    """

    allowed: tuple[tuple[str, tuple[str, ...]], ...] = ()
    speaker_title_has: str = ""
    since: str = ""
    until: str = ""

    def criteria(self) -> Criteria:
        """Criteria are their own machine form (see :class:`HasCriteria`)."""
        return self

    def matches(self, item: Item) -> bool:
        """Whether the item meets every restriction."""
        if any(values and getattr(item, attr) not in values for attr, values in self.allowed):
            return False
        if self.speaker_title_has and self.speaker_title_has not in item.speaker_title:
            return False
        return self._date_ok(item)

    def _date_ok(self, item: Item) -> bool:
        if not (self.since or self.until):
            return True
        if not item.date:
            return False
        start, end = item.date, item.date_end or item.date
        if self.since and end < self.since:
            return False
        return not (self.until and start > inclusive_end(self.until))


class HasCriteria(Protocol):
    """Anything with a machine form, e.g. :class:`index.interface.filters.Filters`."""

    def criteria(self) -> Criteria: ...


def inclusive_end(until: str) -> str:
    """'2019' -> '2019-99-99', '2019-11' -> '2019-11-99': a partial date covers its whole period."""
    return until if len(until) >= 10 else until + "-99-99"[len(until) - 4 :]
