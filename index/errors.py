"""Problems with an index, a model or an id, each reported to the user in plain words (with the fix where there is one).
Shared by the engines, the store and the search interface."""

from __future__ import annotations


class IndexProblem(Exception):
    """Base for index problems reported to the user with the fix."""


class IndexMissing(IndexProblem):
    """No index has been built at this location."""


class IndexCorrupt(IndexProblem):
    """The index is damaged or was written by an incompatible version."""


class IndexMismatch(IndexProblem):
    """The index was built with another model than the one asked for."""


class ModelError(Exception):
    """A model cannot be loaded; the message names the fix."""


class ItemNotFound(KeyError):
    """No item with this id in the index."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "no such item"
