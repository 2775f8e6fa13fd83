"""iaedash entry point: page configuration, the shared filter bar and meeting switch, navigation."""

from pathlib import Path

import streamlit as st

from iaedash import ui

# A local image: a :material/…: page icon is fetched from fonts.gstatic.com, and this tool works offline.
FAVICON = Path(ui.__file__).parent / "assets" / "favicon.png"

st.set_page_config(
    page_title="iaedash – têtes de réseaux IAE",
    page_icon=str(FAVICON),
    layout="wide",
    initial_sidebar_state="collapsed" if ui.meeting_requested() else "expanded",
)

pages = [
    st.Page("pages/accueil.py", title="Vue d'ensemble", icon=":material/dashboard:", default=True),
    st.Page("pages/indicateurs.py", title="Indicateurs", icon=":material/bar_chart:"),
    st.Page("pages/orientations.py", title="Orientations", icon=":material/explore:"),
    st.Page("pages/fiche_reseau.py", title="Fiche réseau", icon=":material/badge:"),
    st.Page("pages/budget.py", title="Budget – vue d'ensemble", icon=":material/euro:"),
    st.Page("pages/budget_reseau.py", title="Budget – détail d'un réseau", icon=":material/account_balance:"),
    st.Page("pages/depots.py", title="Dépôts", icon=":material/upload_file:"),
    st.Page("pages/exports.py", title="Exports", icon=":material/download:"),
    st.Page("pages/bilan_final.py", title="Bilan final", icon=":material/description:"),
]
navigation = st.navigation(pages)

ui.entry_point_ran()
ui.database()
ui.meeting_toggle()
ui.filter_bar()
ui.run_page(navigation)
