"""Budget – vue d'ensemble: every network head's convention consumed from T1 to the chosen quarter."""

from dataclasses import replace

import streamlit as st

from iaedash import ui
from iaedash.charts.budget import planned_vs_realised
from iaedash.charts.comparison import Measure, year_against_year
from iaedash.formatting import format_euros, format_euros_tile, format_percent
from iaedash.presenters import budget as frames
from iaedash.presenters import comparison as versus
from iaedash.presenters.ranking import rank_top
from iaedash.reports.overview import through_quarter

ui.ensure_navigation()

ui.page_header("Budget – vue d'ensemble", ui.filters())
current = ui.require_filters()
through = through_quarter(current, ui.day())
if through is None:
    st.info(
        f"Aucun trimestre de la sélection n'est encore terminé en {current.year} : "
        "pas encore de dépenses à comparer aux conventions."
    )
    st.stop()
summary = ui.read("budget_summary", current, through)
if summary.empty:
    st.info(f"Aucune tête de réseau n'a de convention {current.year} dans cette sélection.")
    st.stop()

period = replace(current, quarters=tuple(range(1, through + 1)))
where = f"{period.period_label()} – {current.scope_label()}"
heads = summary[summary["network_head"] != frames.TOTAL_LABEL]
total = summary[summary["network_head"] == frames.TOTAL_LABEL].iloc[0]
meeting = ui.meeting_mode()
ESTIMATE = (
    "Le solde est une **estimation** : le montant définitif n'est arrêté qu'après examen du bilan final "
    "de chaque tête de réseau."
)

if tuple(current.quarters) != period.quarters:
    st.caption(
        f"Les montants sont cumulés de T1 à T{through} {current.year}, fin de la période choisie"
        + (" (dernier trimestre terminé)." if through < max(current.quarters) else ".")
    )

TOPICS = ["Synthèse", "Prévu et réalisé", "Année précédente", "Mode de calcul"]
for label, section in ui.sections(TOPICS, key="budget_sujet"):
    with section:
        if label == "Synthèse":
            st.header(f"Consommation des conventions – {where}")
            cols = st.columns(4)
            cols[0].metric(
                "Coût total éligible",
                format_euros_tile(total["total_eligible_cost"]),
                help=f"{format_euros(total['total_eligible_cost'])} au centime.",
            )
            cols[1].metric(
                "Consommation",
                format_percent(total["consumption"], 2),
                help=f"Coût total éligible / coût total prévu ({format_euros(total['planned_total_cost'])}).",
            )
            cols[2].metric("Temps écoulé", format_percent(total["elapsed"], 2))
            cols[3].metric(
                frames.balance_label(total["balance"]) + " (net)",
                format_euros_tile(abs(total["balance"])),
                help=f"{format_euros(abs(total['balance']))} au centime. Somme des soldes estimés : les trop-perçus "
                "viennent en déduction des soldes à verser.",
            )
            st.dataframe(frames.summary_table(summary, compact=meeting), hide_index=True, width="stretch")
            flagged = heads[heads["stands_out"]]
            for r in flagged.itertuples(index=False):
                st.warning(
                    f"**{r.network_head}** : {format_percent(r.consumption, 2)} de la convention consommés pour "
                    f"{format_percent(r.elapsed, 2)} de l'opération écoulée ({frames.pace_text(r.gap, True)}).",
                    icon=":material/trending_down:" if r.gap < 0 else ":material/trending_up:",
                )
            without_staff = heads[heads["declared_staff_costs"] == 0]
            if len(without_staff):
                st.info(
                    "Aucune ligne de personnel reçue pour "
                    + ", ".join(without_staff["network_head"])
                    + f" de T1 à T{through} {current.year} : rien n'est encore consommé."
                )
            st.caption(ESTIMATE)
        elif label == "Prévu et réalisé":
            ranked = rank_top(heads, value="planned_total_cost")
            ui.chart(
                planned_vs_realised(ranked.frame, ranked.title(f"Budget prévu et réalisé – {where}"), meeting=meeting),
                frames.chart_data(ranked.frame),
                f"iae_budget_prevu_realise_{period.slug()}",
                key="budget-prevu-realise",
            )
            st.caption(
                "Prévu : coût total de la convention pour toute l'opération. Réalisé : dépenses de personnel "
                f"éligibles et forfait de 40 % de T1 à T{through}. Le trait noir marque la projection en fin "
                "d'année au rythme mensuel actuel."
            )
        elif label == "Année précédente":
            compared = ui.read("budget_year_on_year", current, through)
            if not compared.previous_known:
                st.info(versus.no_previous_year(compared))
            else:
                now, then = versus.periods(compared.year, compared.previous_year, period.quarters)
                charts = (
                    ("Coût total éligible en euros", Measure.EUROS, "total", versus.budget_cost_data(compared)),
                    (
                        "Consommation en % de la convention",
                        Measure.PERCENT,
                        "consumption",
                        versus.budget_consumption_data(compared),
                    ),
                )
                for subject, measure, kind, data in charts:
                    ranked = rank_top(versus.budget_frame(compared, kind), value="current")
                    ui.chart(
                        year_against_year(
                            ranked.frame,
                            ranked.title(versus.title(subject, compared, current.scope_label())),
                            current_label=now,
                            previous_label=then,
                            colors=ui.colors(),
                            measure=measure,
                            meeting=meeting,
                        ),
                        data,
                        f"iae_budget_{kind}_face_a_{compared.previous_year}_{period.slug()}",
                        key=f"budget-versus-{kind}",
                    )
                for sentence in versus.budget_sentences(compared):
                    st.caption(sentence)
                st.caption(
                    "Chaque année est rapportée à sa propre convention ; l'écart de consommation est en points de "
                    "pourcentage."
                )
        else:
            st.header("Comment chaque montant est calculé")
            st.markdown(
                "\n".join(f"- **{name}** : {text}" for name, text in frames.how_figures_are_computed(current.year))
            )
            st.caption(ESTIMATE)
