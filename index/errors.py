"""Problems with an index folder, each reported to the user with the fix. Shared by the engines and the store."""

from __future__ import annotations


class IndexProblem(Exception):
    """Base for index problems reported to the user with the fix."""


class IndexMissing(IndexProblem):
    """No index has been built at this location."""


class IndexCorrupt(IndexProblem):
    """The index is damaged or was written by an incompatible version."""


class IndexMismatch(IndexProblem):
    """The index was built with another model than the one asked for."""
