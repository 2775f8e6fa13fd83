"""iaedash entry point: page configuration and navigation only."""

import streamlit as st

st.set_page_config(page_title="iaedash – têtes de réseaux IAE", page_icon="📊", layout="wide")

st.navigation(
    [st.Page("pages/accueil.py", title="Accueil", icon="🏠", default=True)],
).run()
