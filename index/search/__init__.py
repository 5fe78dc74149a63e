"""Searching a build: Searcher, fusion, filters, results, snippets, facets and browsing, export, citations."""
