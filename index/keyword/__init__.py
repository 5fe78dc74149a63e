"""The keyword engine: analysis (Chinese/English), glossary, numpy postings, the whoosh adapter."""
