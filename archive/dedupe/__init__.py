"""Near-duplicate items across bulletins: full marking and incremental marking against saved state."""
