"""Bulletin text -> typed items: contents page, headings, sections, paragraphs, quotes, events, sources, dates."""
