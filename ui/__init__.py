"""The Streamlit front end: pages, components, view state in the URL, interface language. Streamlit is imported here and in app.py only."""
