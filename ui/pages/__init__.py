"""One module per page of the app; each exposes one ``page_<name>(ctx)`` render function."""
