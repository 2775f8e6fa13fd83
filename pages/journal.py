"""Journal: every import, refused file, review act, comment, refused access and reminder — who, when, what."""

import streamlit as st

from iaedash import journal, ui
from iaedash.exports import to_french_csv
from iaedash.presenters import review as text

ui.ensure_navigation()

ui.page_header("Journal", ui.filters())
current = ui.require_filters()
db = ui.database()

left, middle, since_column, until_column = st.columns([2, 1, 1, 1])
actions = left.multiselect(
    "Actions",
    [a.value for a in journal.JournalAction],
    format_func=lambda a: text.JOURNAL_LABELS[journal.JournalAction(a)],
    placeholder="Toutes les actions",
    key="journal_actions",
)
actor = middle.text_input("Personne (nom ou adresse)", key="journal_personne")
since = since_column.date_input("Depuis le", value=None, format="DD/MM/YYYY", key="journal_depuis")
until = until_column.date_input("Jusqu'au", value=None, format="DD/MM/YYYY", key="journal_jusquau")
if current.as_of is not None:  # the journal as it stood that day: nothing after it
    until = min(until, current.as_of) if until else current.as_of
    st.caption(f"Entrées jusqu'au {current.as_of:%d/%m/%Y} inclus (« Données au » dans les filtres).")
chosen = journal.JournalFilter(tuple(actions), actor or None, current.network_heads, since, until)
entries = text.journal_table(journal.entries(db, ui.viewer(), chosen))  # never cached: always the latest entry
st.header(f"Journal – {len(entries)} entrée(s) – {current.scope_label()}")
if entries.empty:
    st.info("Aucune entrée du journal pour ces filtres.")
else:
    st.dataframe(entries, hide_index=True, width="stretch")
    st.download_button(
        "Télécharger le journal en CSV (Excel)",
        data=to_french_csv(entries),
        file_name="iae_journal.csv",
        mime="text/csv",
        key="journal_csv",
        on_click="ignore",
    )
st.caption(
    "Le journal est en ajout seul : rien ne peut y être modifié ni supprimé depuis l'application. Les imports, "
    "actes de revue et commentaires y sont lus dans leurs propres tables ; les fichiers refusés, les accès "
    "refusés et les relances envoyées aux têtes de réseaux y sont inscrits au moment où ils arrivent."
)
