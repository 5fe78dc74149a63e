"""The search interface: what every front end (CLI, HTTP API, app) asks of an archive, and nothing else.

One build of one archive, whichever engine holds it. Filters cross as :class:`Filters`, results as the frozen
records of :mod:`index.interface.records`, items and bulletins as :mod:`archive.model` records.
"""

from __future__ import annotations

from typing import Protocol

from archive.model import Bulletin, Item
from index.interface.changes import Change
from index.interface.filters import Filters
from index.interface.records import (
    BuildInfo,
    BulletinSummary,
    CoveragePoint,
    Facets,
    Hit,
    SearchResult,
    SpeakerCount,
)


class Archive(Protocol):
    """An archive's build, searchable. Thread-safe for reads."""

    def search(self, query: str, mode: str = "hybrid", filters: Filters | None = None, k: int = 10,
               offset: int = 0) -> SearchResult:
        """Ranked hits (keyword, semantic or hybrid); filters apply before ranking. Raises ValueError for an
        unknown mode."""
        ...

    def browse(self, filters: Filters | None = None, k: int = 10, offset: int = 0) -> SearchResult:
        """Items within the filters in archive order (bulletin by bulletin, as printed)."""
        ...

    def find(self, query: str, mode: str = "hybrid", filters: Filters | None = None, k: int = 10,
             offset: int = 0) -> SearchResult:
        """Search, or browse when the query is blank: what a results page shows."""
        ...

    def facets(self, query: str, mode: str = "hybrid", filters: Filters | None = None) -> Facets:
        """Counts per facet value among the query's matches (all items for a blank query); each facet ignores
        its own filter."""
        ...

    def similar(self, item_id: str, k: int = 10, filters: Filters | None = None) -> list[Hit]:
        """Items closest in meaning, without the item and its near-duplicates. Raises ItemNotFound."""
        ...

    def item(self, item_id: str) -> Item | None: ...

    def bulletin(self, bulletin_id: str) -> Bulletin | None: ...

    def bulletin_items(self, bulletin_id: str) -> list[Item]:
        """A bulletin's items in printed order."""
        ...

    def bulletins(self) -> list[BulletinSummary]:
        """Every bulletin with its item counts by section and kind, newest first."""
        ...

    def coverage(self, query: str = "", mode: str = "hybrid", filters: Filters | None = None,
                 by: str = "section") -> list[CoveragePoint]:
        """Items per month and section (or kind) among the query's matches; undated items left out."""
        ...

    def top_values(self, attr: str, query: str = "", mode: str = "hybrid", filters: Filters | None = None,
                   n: int = 10) -> list[tuple[str, int]]:
        """The most frequent sources, speakers, places, sections or kinds among the query's matches."""
        ...

    def speakers(self, filters: Filters | None = None, query: str = "", mode: str = "hybrid"
                 ) -> list[SpeakerCount]:
        """Speakers of the quotes matching a theme (any, without a query) within the filters, most quoted first."""
        ...

    def dates(self) -> set[str]:
        """Every date an item has, as written (for date pickers' bounds)."""
        ...

    def info(self) -> BuildInfo:
        """The build searched: engine, location, name, model, counts, when built."""
        ...

    def latest_build(self) -> str | None:
        """The name of the newest build at this archive's location, read now: another name than
        ``info().build`` means a newer build has landed."""
        ...

    def health(self) -> str:
        """'' when the engine serves whole; else what is degraded, in plain words. Raises IndexProblem when the
        engine does not answer."""
        ...

    def changes_since(self, before: BuildInfo | None) -> Change:
        """What this build changed since an earlier one (None: since an empty index)."""
        ...

    def close(self) -> None: ...
