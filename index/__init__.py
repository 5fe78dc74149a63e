"""Items -> keyword (whoosh) + vector (numpy) index; search, filters, facets, CLI. No Streamlit here."""
