"""Accueil: indicator totals per network head for the chosen year."""

import streamlit as st

from iaedash import ui

db = ui.database()
current = ui.status(db)

st.title("Suivi des têtes de réseaux IAE")
ui.data_banner(current)

years = ui.years(str(db), current.version)
if not years:
    st.info("Aucune convention n'est encore importée : importez d'abord les conventions avec « iaedash import ».")
    st.stop()

year = st.selectbox("Année", years, key="annee", bind="query-params")
totals = ui.indicator_totals(str(db), current.version, year)
st.subheader(f"Indicateurs cumulés par tête de réseau – T1 à T4 {year}")
if totals.empty:
    st.info(f"Aucune tête de réseau n'a de convention pour {year}.")
else:
    st.dataframe(totals, hide_index=True, width="stretch")
    st.caption(
        "Nombre d'actions sur l'année, tous trimestres et orientations confondus ; "
        "« Participants aux webinaires » compte des personnes."
    )
