"""One reader per file format: bytes of a file -> text (or items, for structured files)."""
