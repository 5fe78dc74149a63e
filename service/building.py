"""Writing an archive, for the front ends: builds, uploads (checked, previewed, then committed, each recorded in
the audit log), watching the data folder, and the glossary pairs a build suggests. Imported only by what writes:
searching never loads the builder or the archive's readers."""

from __future__ import annotations

from index.build import ingest
from index.build.builder import BuildReport, Progress
from index.build.solr import init as init_solr
from index.crosslingual.dictionary import DictionaryMissing, load_dictionary
from index.crosslingual.names import NamePair, suggestions
from index.engines import Location, build, open_engine
from index.interface import Filters
from index.keyword.glossary import default_glossary
from service.watch import Arrival, Watcher, watch_in_thread

__all__ = ["Arrival", "BuildReport", "Progress", "Watcher", "build", "glossary_suggestions", "ingest", "init_solr",
           "watch_in_thread"]


def glossary_suggestions(location: Location) -> list[NamePair]:
    """The archive's name pairs the glossary lacks, most seen first (rows for staff to accept).

    Raises:
        IndexProblem: nothing usable at ``location``.
    """
    engine = open_engine(location)
    try:
        items, _ = engine.browse(Filters(), k=2**31)
    finally:
        engine.close()
    try:
        romanise = load_dictionary().romanise
    except DictionaryMissing:
        romanise = None
    return suggestions(items, default_glossary(), romanise)
