"""The index folder: builds switched atomically, manifest, immutable parts, the item table and its filter criteria."""
