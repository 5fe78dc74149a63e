"""Items -> a new build of the index folder (full or appended); admin uploads."""
