"""Dépôts: check uploaded files like the CLI, preview what they change, import only on confirm; history."""

import streamlit as st

from iaedash import ui
from iaedash.db.connection import DatabaseBusyError
from iaedash.exports import to_french_csv
from iaedash.ingest.load import IncomingFile, record_refusal
from iaedash.presenters import submissions
from iaedash.templates import XLSX_MIME, submission_template, template_file_name

SHOW = {"error": st.error, "info": st.info, "success": st.success}


def confirm() -> None:
    st.session_state["depot_confirme"] = True


ui.ensure_navigation()
# The confirm button sets this flag in its callback, so a click survives a rerun that happens before this line.
confirmed = st.session_state.pop("depot_confirme", False)
ui.page_header("Dépôts", ui.filters())
db = ui.database()
viewer = ui.viewer()

# Results of the import confirmed on the previous run (the uploader was emptied by a new key).
for outcome in st.session_state.pop("depot_resultats", []):
    shown = submissions.result(outcome)
    SHOW[shown.level](shown.text)
    if outcome.problems:
        st.dataframe(submissions.problems_table([outcome]), hide_index=True, width="stretch")
    for warning in outcome.warnings:
        st.warning(warning)

round_ = st.session_state.setdefault("depot_tour", 0)
uploaded = st.file_uploader(
    "Fichiers de dépôt (CSV ou XLSX)",
    type=["csv", "xlsx"],
    accept_multiple_files=True,
    key=f"depot_fichiers_{round_}",
    help=f"Indicateurs, personnel ou convention, au format v1 décrit dans {submissions.FORMAT_DOC}.",
)
if viewer.may_choose_received_date:
    received_on = st.date_input(
        "Date de réception",
        value=ui.today(),
        max_value=ui.today(),
        format="DD/MM/YYYY",
        key="depot_recu_le",
        help="Date à laquelle le Département a reçu les fichiers : elle dit si un trimestre est arrivé à temps.",
    )
else:  # a network head's own upload is received the day it is sent
    received_on = ui.today()
    st.caption(
        f"Vos fichiers sont reçus à la date du jour ({received_on:%d/%m/%Y}), pour "
        f"{', '.join(sorted(viewer.network_heads or ()))} seulement ; ils arrivent « reçus » et la Direction "
        "les examine (page Fiche réseau : historique et commentaires)."
    )

if not uploaded:
    st.info(
        "Aucun fichier déposé pour l'instant : glissez ici un ou plusieurs fichiers reçus d'une tête de réseau "
        "(CSV ou XLSX), puis vérifiez la date de réception. Chaque fichier est contrôlé comme par la commande "
        "« iaedash import » et rien n'est écrit avant votre confirmation. Le format attendu est décrit dans "
        f"{submissions.FORMAT_DOC} (avec des exemples dans docs/exemples/)."
    )
else:
    files = [IncomingFile(f.name, f.getvalue()) for f in uploaded]
    checks = st.session_state.setdefault("depot_controles", {})  # each file checked once, in its own process
    try:
        with st.spinner("Contrôle des fichiers…"):
            outcomes = submissions.preview(db, viewer, files, received_on, checks)
    except DatabaseBusyError as error:
        st.error(f"Contrôle impossible pour l'instant : {error}.")
        st.stop()
    journaled = st.session_state.setdefault("depot_refus_notes", set())
    for file, outcome in zip(files, outcomes, strict=True):  # each refused file once in the journal
        if outcome.status == "refused" and file.sha256 not in journaled:
            record_refusal(db, viewer, outcome)
            journaled.add(file.sha256)
    st.header("Contrôle des fichiers")
    st.markdown(submissions.summary(outcomes))
    for number, outcome in enumerate(outcomes):
        with st.container(border=True):
            st.markdown(f"**{outcome.file_name}**")
            shown = submissions.verdict(outcome)
            SHOW[shown.level](shown.text)
            if outcome.status == "refused":
                errors = submissions.problems_table([outcome])
                st.dataframe(errors, hide_index=True, width="stretch")
                st.download_button(
                    "Télécharger les erreurs en CSV (Excel)",
                    data=to_french_csv(errors),
                    file_name=f"erreurs_{outcome.file_name}.csv",
                    mime="text/csv",
                    key=f"depot_erreurs_{number}",
                    on_click="ignore",
                )
            elif outcome.status == "accepted":
                st.dataframe(submissions.preview_table([outcome]), hide_index=True, width="stretch")
            for warning in outcome.warnings:
                st.warning(warning)

    to_import = submissions.accepted_files(files, outcomes)
    if not to_import:
        st.info("Aucun fichier de ce dépôt n'est à importer : la base ne sera pas modifiée.")
    else:
        st.caption("Rien n'est écrit dans la base avant ce clic ; seuls les fichiers acceptés seront importés.")
        st.button(
            submissions.confirm_label(len(to_import)),
            type="primary",
            key="depot_confirmer",
            on_click=confirm,
        )
        if confirmed:
            try:
                with st.spinner("Import en cours…"):
                    st.session_state["depot_resultats"] = submissions.import_confirmed(
                        db, viewer, to_import, received_on, checks
                    )
            except DatabaseBusyError as error:
                st.cache_data.clear()
                st.error(
                    f"Import interrompu : {error}. Les fichiers seront contrôlés à nouveau au prochain clic ; "
                    "un fichier déjà importé est reconnu et ignoré."
                )
            else:
                st.cache_data.clear()
                st.session_state["depot_tour"] = round_ + 1
                st.rerun()

# Bound to the URL (`?modele=true`): the link of a reminder opens this panel on its network head, year and quarter.
with st.expander("Modèle de dépôt à remplir", icon=":material/download:", key="modele", bind="query-params"):
    heads, years = ui.read("network_heads"), ui.read("years")
    if heads.empty or not years:
        st.info("Le modèle se prépare pour une tête de réseau qui a une convention : importez d'abord les conventions.")
    else:
        st.caption(
            "Classeur .xlsx à envoyer à une tête de réseau : onglets indicateurs et personnel préparés pour le "
            "trimestre, listes déroulantes, notice en français. Rempli puis renvoyé, il s'importe ici tel quel."
        )
        names = dict(zip(heads["code"], heads["name"], strict=True))
        # the filter bar's year, single network head and single quarter come first
        codes, chosen = list(names), ui.filters()
        picked = chosen.network_heads if chosen else ()
        head_col, year_col, quarter_col = st.columns(3)
        code = head_col.selectbox(
            "Tête de réseau",
            codes,
            index=codes.index(picked[0]) if len(picked) == 1 and picked[0] in codes else 0,
            format_func=lambda c: f"{c} – {names[c]}",
            key="modele_reseau",
        )
        year = year_col.selectbox(
            "Année", years, index=years.index(chosen.year) if chosen and chosen.year in years else 0, key="modele_annee"
        )
        quarter = quarter_col.selectbox(
            "Trimestre",
            [1, 2, 3, 4],
            index=chosen.quarters[0] - 1 if chosen and len(chosen.quarters) == 1 else 0,
            format_func=lambda q: f"T{q}",
            key="modele_trimestre",
        )
        st.download_button(
            "Télécharger le modèle à remplir",
            data=submission_template(code, names[code], year, quarter),
            file_name=template_file_name(code, year, quarter),
            mime=XLSX_MIME,
            key="modele_telecharger",
            on_click="ignore",
            icon=":material/download:",
        )

st.header("Historique des imports")
past = ui.as_of()
if past is not None:
    st.caption(f"Fichiers reçus jusqu'au {past:%d/%m/%Y} inclus (« Données au » dans les filtres).")
history = submissions.history_table(ui.read("import_history", past))
if history.empty:
    st.info("Aucun fichier n'a encore été importé : l'historique se remplira au premier import.")
else:
    st.dataframe(
        history,
        hide_index=True,
        width="stretch",
        column_config={"Empreinte SHA-256": st.column_config.TextColumn(width="small")},
    )
    st.download_button(
        "Télécharger l'historique en CSV (Excel)",
        data=to_french_csv(history),
        file_name="historique_imports.csv",
        mime="text/csv",
        key="depot_historique_csv",
        on_click="ignore",
    )
