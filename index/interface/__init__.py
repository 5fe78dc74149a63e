"""The search interface: the one thing front ends use to search an archive, whichever engine holds it.

:class:`Archive` (a Protocol) with its records, the filters and their registry, the search modes, the errors a front
end reports, and the result formats (CSV/JSON exports, citations). An archive is opened by the service
(:mod:`service`), which picks the engine from where the index lives.
"""

from archive.model import Bulletin, Item
from index.errors import IndexProblem, ItemNotFound, ModelError
from index.interface import citation, export
from index.interface.changes import Change
from index.interface.filters import FILTER_FIELDS, FilterField, Filters, is_filter_date
from index.interface.protocol import Archive
from index.interface.records import (
    DEFAULT_MODE,
    MODES,
    BuildInfo,
    BulletinSummary,
    CoveragePoint,
    Facets,
    Hit,
    HybridConfig,
    Location,
    Mode,
    SearchResult,
    SpeakerCount,
)

__all__ = [
    "DEFAULT_MODE", "FILTER_FIELDS", "MODES", "Archive", "BuildInfo", "Bulletin", "BulletinSummary", "Change",
    "CoveragePoint", "Facets", "FilterField", "Filters", "Hit", "HybridConfig", "IndexProblem", "Item", "ItemNotFound", "Location", "Mode",
    "ModelError", "SearchResult", "SpeakerCount", "citation", "export", "is_filter_date",
]
