"""Bulletin Archive — Streamlit front end (widgets -> index API -> rendering)."""

import streamlit as st

st.set_page_config(page_title="Bulletin Archive", layout="wide")
st.title("Bulletin Archive")
st.write("The search page is being built.")
