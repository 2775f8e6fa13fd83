"""Revue des dépôts: every quarter and convention received, validated, returned for correction, or locked."""

import streamlit as st

from iaedash import review, ui
from iaedash.domain.review import REASON_REQUIRED, ReviewAction, ReviewStatus, refusal
from iaedash.presenters import review as text

ui.ensure_navigation()

ui.page_header("Revue des dépôts", ui.filters())
current = ui.require_filters()
db = ui.database()
viewer = ui.viewer()

for message in st.session_state.pop("revue_resultat", []):
    st.success(message)

states = ui.read("review_states", current.year, current.network_heads, current.as_of)
st.header(f"État de la revue – {current.year} – {current.scope_label()}")
if not states:
    st.info(f"Rien n'a encore été reçu pour {current.year} dans cette sélection.")
else:
    st.markdown(text.states_summary(states))
    st.dataframe(text.states_table(states), hide_index=True, width="stretch")

st.header("Examiner un dépôt")
if current.as_of is not None:  # an act is made on today's state, never on a day of the past
    st.info(
        f"Vous consultez l'état de la revue au {current.as_of:%d/%m/%Y}. Pour valider, renvoyer ou verrouiller, "
        "remettez « Données au » à la date du jour : un acte porte toujours sur l'état d'aujourd'hui."
    )
    st.stop()
head, name, _ = ui.network_head_picker(current, key="revue_reseau")
PERIODS = {"T1": 1, "T2": 2, "T3": 3, "T4": 4, "convention": None}
period = st.segmented_control(
    "Période",
    list(PERIODS),
    default="T1",
    key="revue_periode",
    bind="query-params",  # ?revue_reseau=CABM&revue_periode=T4: a link to the quarter to examine
)
scope = review.Scope(head, current.year, PERIODS[period or "T1"])
state = next((s for s in states if s.scope == scope), None)
status = state.status if state else ReviewStatus.EXPECTED
st.markdown(
    f"**{name} ({head}) – {text.scope_label(scope)}** : "
    + (text.status_text(state) if state else "rien reçu pour l'instant (attendu)")
)
thread = text.thread_table(ui.read("threads", current.year, (head,), current.as_of))
mine = thread[thread["Période"] == ("convention" if scope.quarter is None else f"T{scope.quarter}")]
if not mine.empty:
    st.dataframe(mine.drop(columns=["Réseau", "Période"]), hide_index=True, width="stretch")

round_ = st.session_state.setdefault("revue_tour", 0)  # a new key empties the reason after each act
reason = st.text_area(
    "Motif ou commentaire de l'acte",
    key=f"revue_motif_{round_}",
    max_chars=2000,
    help="Obligatoire pour renvoyer pour correction (il est envoyé à la tête de réseau) et pour déverrouiller.",
)
columns = st.columns(4)
for column, action in zip(columns, ReviewAction, strict=True):
    blocked = refusal(status, action, reason or ("motif" if action in REASON_REQUIRED else None))
    if column.button(
        text.ACTION_VERBS[action],
        key=f"revue_{action.value}",
        disabled=blocked is not None,
        width="stretch",
        type="primary" if action is ReviewAction.VALIDATE else "secondary",
    ):
        try:
            after = review.act(db, viewer, scope, action, reason)
        except review.ReviewRefused as error:
            st.error(text.refusal_message(error.reason, error.state, scope))
        else:
            st.session_state["revue_resultat"] = [text.act_done(after, action)]
            st.session_state["revue_tour"] = round_ + 1
            st.rerun()
st.caption(
    "Renvoyer et déverrouiller demandent un motif. Un trimestre verrouillé refuse toute nouvelle version, "
    "par dépôt comme en ligne de commande, jusqu'à son déverrouillage. Chaque acte est inscrit au journal. "
    "En ligne de commande : « iaedash revue valider --reseau CODE --annee AAAA --trimestre N »."
)
