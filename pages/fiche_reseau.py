"""Fiche réseau: one network head on one page, the page shared in its follow-up meeting."""

from dataclasses import replace

import streamlit as st

from iaedash import ui
from iaedash.charts.orientations import quarters_by_orientation
from iaedash.documents import fiche
from iaedash.formatting import format_euros, format_percent
from iaedash.presenters import network_head as frames
from iaedash.presenters import review as review_text
from iaedash.presenters import summary as words
from iaedash.reports.overview import through_quarter

ui.ensure_navigation()

ui.page_header("Fiche réseau", ui.filters())
current = ui.require_filters()
head, name, conventions = ui.network_head_picker(current, key="fiche")
mine = replace(current, network_heads=(head,))
conv = conventions.set_index("network_head").loc[head]
meeting = ui.meeting_mode()
st.header(f"{name} ({head}) – {current.period_label()}")
st.download_button(  # built on click: most visits download nothing
    "Télécharger la fiche en PDF (A4, pour la réunion de suivi)",
    data=ui.on_request("fiche_pdf", head, mine, ui.day()),
    file_name=fiche.file_name(head, mine),
    mime=fiche.MIME,
    on_click="ignore",
    key="fiche-pdf",
    help="Les chiffres et graphiques de cette page sur des pages A4 qui s'impriment en noir et blanc, avec les "
    "filtres et la date des données sur chaque page ; le budget en totaux, sans ligne de personnel.",
)

by_quarter = ui.read("indicator_sums", mine).by_quarter
if by_quarter.empty:
    st.info(f"{head} n'a encore envoyé aucun dépôt d'indicateurs pour {current.period_label()}.")

topics = ["Le trimestre en bref", "Indicateurs", "Par orientation", "Convention", "Budget", "Dépôts et commentaires"]
for label, section in ui.sections(topics, key="fiche_sujet"):
    with section:
        if label == "Le trimestre en bref":
            summary = ui.read("quarter_summary", mine, head, ui.day())
            if summary is None:
                st.info("Aucun trimestre de la sélection n'est encore terminé : rien à résumer pour l'instant.")
            else:
                st.header(words.title(summary))
                said = words.sentences(summary)
                st.markdown(words.as_markdown(said) if said else words.nothing_to_say(summary))
                st.caption(" ".join(filter(None, [words.scope_note(summary), words.rules_note()])))
                if said:
                    with st.expander("D'où viennent ces chiffres"):
                        st.dataframe(words.figures_table(said), hide_index=True, width="stretch")
        elif label == "Indicateurs":
            st.header(f"Indicateurs de {head} et objectifs annuels – {current.period_label()}")
            st.dataframe(
                frames.indicators_against_targets(by_quarter, conv["targets"], current.quarters),
                hide_index=True,
                width="stretch",
            )
        elif label == "Par orientation":
            detail = ui.read("indicator_sums", mine).by_quarter_and_orientation
            ind = ui.indicator_picker(key="fiche_indicateur")
            chosen = ind.code
            data = detail[detail["indicator"] == chosen][["quarter", "orientation", "value"]]
            ui.chart(
                quarters_by_orientation(
                    data,
                    f"{ind.short} de {head} par trimestre et orientation – {current.period_label()}",
                    ind.unit,
                    meeting=meeting,
                ),
                data.rename(columns={"quarter": "Trimestre", "orientation": "Orientation", "value": "Valeur"}),
                f"iae_{chosen.lower()}_{mine.slug()}",
                key=f"fiche-{chosen}",
            )
        elif label == "Convention":
            st.header(f"Convention {current.year} de {head}")
            st.dataframe(frames.convention_facts(conv), hide_index=True, width="stretch")
        elif label == "Budget":
            through = through_quarter(current, ui.day())
            if through is None:
                st.info("Aucun trimestre de la sélection n'est encore terminé : pas encore de consommation à montrer.")
            else:
                [c] = [c for c in ui.read("consumption", mine, through) if c.network_head == head]
                st.header(f"Consommation de la convention de {head} – T1 à T{through} {current.year}")
                cols = st.columns(4)
                cols[0].metric("Dépenses de personnel éligibles", format_euros(c.costs.eligible_staff_costs))
                cols[1].metric("Forfait de 40 %", format_euros(c.costs.flat_rate))
                cols[2].metric("Coût total éligible", format_euros(c.costs.total_eligible_cost))
                cols[3].metric(
                    "Taux de consommation",
                    format_percent(c.rate),
                    help=f"Coût total éligible / coût total prévu ({format_euros(c.planned_total)}).",
                )
                st.caption(
                    f"{format_percent(c.elapsed, 0)} de l'opération écoulée à la fin du T{through}. "
                    + (
                        f"{c.ineligible_lines} ligne(s) de personnel inéligible(s) ({c.ineligibility_reasons}), "
                        "comptées dans les dépenses déclarées mais pas dans le coût éligible."
                        if c.ineligible_lines
                        else "Toutes les lignes de personnel sont éligibles."
                    )
                )
        else:
            st.header(f"Revue des dépôts de {head} – {current.year}")
            states = ui.read("review_states", current.year, (head,), current.as_of)
            if states:
                st.dataframe(
                    review_text.states_table(states).drop(columns=["Réseau"]), hide_index=True, width="stretch"
                )
            st.caption(
                "Chaque trimestre reçu est examiné par la Direction : reçu → validé, ou à corriger (avec le motif) "
                "→ nouvelle version reçue → validé → verrouillé."
            )
            st.header(f"Fil de suivi de {head} – {current.year}")
            thread = review_text.thread_table(ui.read("threads", current.year, (head,), current.as_of))
            if thread.empty:
                st.info("Aucun commentaire ni acte de revue pour l'instant.")
            else:
                st.dataframe(thread.drop(columns=["Réseau"]), hide_index=True, width="stretch")
            if current.as_of is None:  # a comment is written today, not on a day of the past
                ui.comment_form(head, current.year, key="fiche_commentaire")
            st.header(f"Historique des dépôts de {head} – {current.year}")
            history = ui.read("submission_history", mine)
            if history.empty:
                st.info(f"Aucun dépôt reçu de {head} pour {current.year}.")
            else:
                st.dataframe(frames.history_table(history), hide_index=True, width="stretch")
            st.header(f"Commentaires envoyés dans les fichiers – {current.period_label()}")
            comments = ui.read("comments", mine)
            if comments.empty:
                st.info("Aucun commentaire dans les dépôts de cette sélection.")
            else:
                st.dataframe(
                    comments.rename(
                        columns={
                            "quarter": "Trimestre",
                            "orientation": "Orientation",
                            "indicator": "Indicateur",
                            "territory": "Territoire",
                            "value": "Valeur",
                            "comment": "Commentaire",
                            "file_name": "Fichier",
                            "version": "Version",
                            "source_line": "Ligne",
                        }
                    ).drop(columns=["network_head", "year"]),
                    hide_index=True,
                    width="stretch",
                )
