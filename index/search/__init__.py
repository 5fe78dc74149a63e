"""The searcher over any engine (the search interface's one implementation): the engine protocol it needs,
query translation, hybrid fusion, snippets, near-duplicate folding, facets and coverage."""
