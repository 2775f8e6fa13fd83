"""Exports: the analysts' datasets, filtered like the rest of the app, in the format their tool opens."""

import streamlit as st

from iaedash import ui
from iaedash.exports import DATASETS, FORMATS, dictionary_frame, file_name, render

ui.ensure_navigation()

ui.page_header("Exports", ui.filters())
current = ui.require_filters()

name = st.selectbox(
    "Jeu de données",
    list(DATASETS),
    format_func=lambda n: DATASETS[n].title,
    key="export_jeu",
    bind="query-params",
)
dataset = DATASETS[name]
st.caption(dataset.description)
fmt = st.radio(
    "Format",
    list(FORMATS),
    format_func=lambda f: FORMATS[f][0],
    horizontal=True,
    key="export_format",
    bind="query-params",
)
frame = ui.read("export", name, current, ui.day())
target = file_name(name, current, fmt)
if frame.empty:
    st.info(f"Ce jeu de données est vide pour la sélection ({current.describe()}) : rien à télécharger.")
else:
    st.download_button(
        f"Télécharger {target} ({len(frame)} lignes)",
        data=lambda: render(frame, name, fmt, dictionary_frame(name)),
        file_name=target,
        mime=FORMATS[fmt][2],
        type="primary",
        on_click="ignore",
        key="export_telecharger",
    )
    st.markdown(f"**Aperçu – {len(frame)} lignes – {current.describe()}**")
    st.dataframe(ui.for_display(frame.head(200)), hide_index=True, width="stretch")

st.header(f"Dictionnaire des données – {dataset.title}")
st.dataframe(dictionary_frame(name).drop(columns=["jeu"]), hide_index=True, width="stretch")
with st.expander("Dictionnaire complet (tous les jeux de données)"):
    everything = dictionary_frame()
    st.dataframe(everything, hide_index=True, width="stretch")
    st.download_button(
        "Télécharger le dictionnaire (CSV pour Excel)",
        data=render(everything, "dictionnaire", "csv"),
        file_name="iae_dictionnaire.csv",
        mime="text/csv",
        on_click="ignore",
        key="export_dictionnaire",
    )
st.caption(
    "CSV pour Excel : UTF-8 avec BOM, séparateur « ; », virgule décimale, dates JJ/MM/AAAA. CSV standard : "
    "UTF-8, « , », point décimal, dates ISO. Un texte qui commence comme une formule (=, +, -, @) est précédé "
    "d'une apostrophe pour ne jamais s'exécuter dans un tableur. Même jeu en ligne de commande : "
    f"« iaedash export {name} --annee {current.year} --format {fmt} »."
)
