"""Where a Solr archive lives: ``solr://HOST:PORT/solr/NAME`` names the Solr base URL and the alias readers search
(each build is a collection of its own, ``NAME_<time>``, switched in by moving the alias)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.errors import IndexProblem
from index.interface.records import Location

SCHEME = "solr"
_URL = re.compile(r"solr://(?P<host>[^/:]+)(?::(?P<port>\d+))?(?P<path>(?:/[^/]+)*)/(?P<name>[A-Za-z0-9_][\w.-]*)/?")


@dataclass(frozen=True)
class SolrLocation:
    """A parsed ``solr://`` address.

    Attributes:
        base: The Solr base URL (``http://HOST:PORT/solr``).
        name: The alias readers search; builds are collections named after it.
    """

    base: str
    name: str

    def __str__(self) -> str:
        return f"solr://{self.base.removeprefix('http://')}/{self.name}"


def parse(location: Location) -> SolrLocation:
    """The base URL and alias of ``solr://HOST[:PORT]/solr/NAME``; IndexProblem naming the form otherwise."""
    found = _URL.fullmatch(str(location))
    if found is None:
        raise IndexProblem(f"{location}: not a Solr address; use solr://HOST:PORT/solr/NAME")
    port = found["port"] or "8983"
    return SolrLocation(f"http://{found['host']}:{port}{found['path']}", found["name"])
