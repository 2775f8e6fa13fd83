"""iaedash entry point: page configuration, the shared filter bar and meeting switch, navigation."""

import streamlit as st

from iaedash import ui

st.set_page_config(
    page_title="iaedash – têtes de réseaux IAE",
    page_icon="📊",
    layout="wide",
    initial_sidebar_state="collapsed" if st.query_params.get("reunion") == "true" else "auto",
)

pages = [
    st.Page("pages/accueil.py", title="Vue d'ensemble", icon="🏠", default=True),
    st.Page("pages/indicateurs.py", title="Indicateurs", icon="📈"),
    st.Page("pages/orientations.py", title="Orientations", icon="🧭"),
    st.Page("pages/fiche_reseau.py", title="Fiche réseau", icon="🗂️"),
    st.Page("pages/depots.py", title="Dépôts", icon="📥"),
]
navigation = st.navigation(pages)

ui.database()
ui.filter_bar()
ui.meeting_toggle()
navigation.run()
