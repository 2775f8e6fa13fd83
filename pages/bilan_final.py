"""Bilan final: the final-report pack of one network head, the same figures as the budget and indicator pages."""

import streamlit as st

from iaedash import ui
from iaedash.calls import call_for_year
from iaedash.final_report.pack import offered_documents
from iaedash.formatting import format_date

ui.ensure_navigation()

ui.page_header("Bilan final", ui.filters())
current = ui.require_filters()
head, name, _ = ui.network_head_picker(current, key="bilan")
st.header(f"Bilan final {current.year} – {name} ({head})")
st.write(
    "L'appel demande, au plus tard trois mois après la fin de l'opération, un **bilan d'exécution** (salaires, "
    "récapitulatif des dépenses et des ressources) et un **bilan pédagogique** (les actions, orientation par "
    "orientation). iaedash les prépare à partir des versions courantes des dépôts : le classeur reprend les "
    "chiffres des pages Budget, le document Word ceux des pages Indicateurs et les commentaires envoyés, et "
    "laisse à rédiger le récit des actions."
)
documents = offered_documents(ui.viewer(), head, current.year)
labels = {"pedagogique": "Bilan pédagogique – projet à compléter (.docx)", "execution": "Bilan d'exécution (.xlsx)"}
if ui.meeting_mode():  # the workbook lists staff month by month: never offered on a shared screen
    documents = [d for d in documents if d.kind != "execution"]
for document, column in zip(documents, st.columns(len(documents)), strict=True):
    column.download_button(
        labels[document.kind],
        data=ui.on_request("final_report_document", head, current.year, ui.today(), document.kind, current.as_of),
        file_name=document.file_name,
        mime=document.mime,
        on_click="ignore",
        key=f"bilan-{document.file_name}",
        width="stretch",
    )
st.caption(
    f"Bilan final attendu au plus tard le {format_date(call_for_year(current.year).final_report_due)}. Le solde "
    "est une estimation avant examen du bilan final par le service instructeur."
)
if ui.meeting_mode():
    st.info("Mode réunion : le bilan d'exécution, qui détaille le personnel, se télécharge hors mode réunion.")
