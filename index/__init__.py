"""The engine: items -> index (the local engine: whoosh + numpy) -> the search interface (index/interface) every front end uses. No front end here."""
