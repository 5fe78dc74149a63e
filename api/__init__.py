"""The JSON HTTP API (`bulletins serve`): FastAPI routes over the search interface, the same archive the app uses."""
