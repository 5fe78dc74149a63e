"""The JSON HTTP API (`bulletins serve`): FastAPI routes over the same Searcher the app uses."""
