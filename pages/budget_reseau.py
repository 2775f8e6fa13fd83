"""Budget – détail d'un réseau: one network head's months, staff lines, financing plan, balance and deadline."""

from dataclasses import replace

import streamlit as st

from iaedash import ui
from iaedash.charts.budget import monthly_costs
from iaedash.formatting import format_date, format_euros, format_number, format_percent
from iaedash.presenters import budget as frames
from iaedash.presenters import comparison as versus
from iaedash.reports.overview import through_quarter

ui.ensure_navigation()

ui.page_header("Budget – détail d'un réseau", ui.filters())
current = ui.require_filters()
head, name, _ = ui.network_head_picker(current, key="budget_reseau")
through = through_quarter(current, ui.day())
if through is None:
    st.info(
        f"Aucun trimestre de la sélection n'est encore terminé en {current.year} : "
        f"pas encore de dépenses de {head} à montrer."
    )
    st.stop()
detail = ui.read("budget_detail", current.year, head, through, ui.day(), current.as_of)
if detail is None:
    st.info(f"{head} n'a pas de convention {current.year}.")
    st.stop()
s = detail.summary
period = replace(current, quarters=tuple(range(1, through + 1)), network_heads=(head,))
meeting = ui.meeting_mode()
st.header(f"{name} ({head}) – {period.period_label()}")
ESTIMATE = (
    "Le solde est une **estimation** faite sur les dépôts trimestriels : le montant définitif n'est arrêté "
    "qu'après examen du bilan final."
)

if detail.monthly.empty:
    st.info(
        f"{head} n'a encore envoyé aucune ligne de personnel pour {period.period_label()} : rien n'est encore "
        "consommé et aucune projection n'est possible. Le plan de financement et l'avance sont rappelés ci-dessous."
    )
elif s.costs.eligible_staff_costs == 0:
    st.warning(
        f"Aucune des lignes de personnel reçues de {head} n'est éligible pour {period.period_label()} : "
        "le coût éligible est nul. Les motifs sont donnés ligne par ligne."
    )

topics = ["Mois par mois", "Financement et solde", "Lignes de personnel", "Mode de calcul"]
for label, section in ui.sections(topics, key="budget_reseau_sujet"):
    with section:
        if label == "Mois par mois":
            cols = st.columns(4)
            cols[0].metric("Personnel éligible", format_euros(s.costs.eligible_staff_costs))
            cols[1].metric("Forfait de 40 %", format_euros(s.costs.flat_rate))
            cols[2].metric("Coût total éligible", format_euros(s.costs.total_eligible_cost))
            cols[3].metric(
                "Consommation",
                format_percent(s.consumption, 2),
                help=f"Coût total éligible / coût total prévu ({format_euros(s.plan.planned_total_cost)}) ; "
                f"{format_percent(s.elapsed, 2)} de l'opération écoulée à la fin du T{through}.",
            )
            compared = ui.read("budget_year_on_year", replace(current, network_heads=(head,)), through)
            st.caption(versus.network_head_sentence(compared, head))
            ui.chart(
                monthly_costs(
                    detail.monthly,
                    f"Dépenses éligibles et forfait de 40 % par mois – {period.period_label()} – {head}",
                    ui.colors().get(head),
                    meeting=meeting,
                ),
                frames.monthly_data(detail.monthly, current.year),
                f"iae_budget_mensuel_{period.slug()}",
                key="budget-mensuel",
            )
            missing = [m for m in range(1, 3 * through + 1) if m not in s.months_with_data]
            if missing and not detail.monthly.empty:
                st.caption(
                    "Mois sans aucune ligne de personnel : "
                    + ", ".join(frames.MONTH_NAMES[m - 1] for m in missing)
                    + " ; ils ne comptent pas dans la projection (ni pour 0 €)."
                )
        elif label == "Financement et solde":
            st.markdown(f"**Plan de financement de la convention et coût projeté – {current.year}**")
            st.dataframe(frames.financing_table(detail), hide_index=True, width="stretch")
            cols = st.columns(4)
            advance_on = f"le {format_date(detail.convention.advance_date)}" if detail.convention.advance_date else None
            cols[0].metric("Avance versée", format_euros(s.plan.advance_paid), help=advance_on)
            cols[1].metric(
                "Participation estimée du Département",
                format_euros(s.participation.amount),
                help="Coût total éligible × part du Département dans le plan, plafonnée au montant de la convention.",
            )
            cols[2].metric(
                frames.balance_label(s.balance.amount),
                format_euros(abs(s.balance.amount)),
                help="Participation estimée du Département − avance versée.",
            )
            days = detail.deadline.days_left
            cols[3].metric(
                "Bilan final",
                format_date(detail.deadline.due),
                help="Trois mois au plus tard après la fin de l'opération.",
            )
            if detail.deadline.passed:
                st.caption(
                    f"L'échéance du bilan final est passée depuis {format_number(-days)} jour(s) ; iaedash ne suit "
                    "pas son dépôt, qui se fait sur E partenaire."
                )
            else:
                st.caption(f"Bilan final attendu dans {format_number(days)} jour(s), sur E partenaire.")
            if s.participation.capped:
                st.caption(
                    "La participation est plafonnée : au prorata, elle serait de "
                    f"{format_euros(s.participation.uncapped)}, au-delà de la contrepartie de la convention "
                    f"({format_euros(s.participation.cap)})."
                )
            if s.projected_balance is not None and through < 4:
                st.caption(
                    "Au rythme actuel, le solde en fin d'année serait de "
                    f"{frames.balance_text(s.projected_balance.amount)}."
                )
            if detail.expected_advance != s.plan.advance_paid:
                st.caption(
                    f"L'avance versée diffère de l'avance prévue par l'appel "
                    f"({format_euros(detail.expected_advance)}, part de la contrepartie du Département)."
                )
            st.info(ESTIMATE, icon=":material/info:")
        elif label == "Lignes de personnel":
            refused = frames.ineligible_summary(detail.ineligible)
            if meeting or detail.withheld:
                st.info(
                    "Les lignes de personnel par salarié ne sont pas affichées en mode réunion (données "
                    "personnelles) : quittez le mode réunion pour les consulter."
                    if meeting and not detail.withheld
                    else "Les lignes de personnel par salarié (données personnelles) ne sont pas ouvertes à votre "
                    "rôle : seuls leurs totaux et leurs motifs d'inéligibilité sont donnés ici."
                )
                if refused:
                    st.markdown("\n".join(f"- {text}" for text in refused))
                if detail.employees_with_rate_changes:
                    st.markdown(
                        f"{detail.employees_with_rate_changes} salarié(s) dont le taux d'affectation varie d'un mois "
                        "à l'autre."
                    )
            elif detail.lines.empty:
                st.info(f"Aucune ligne de personnel reçue de {head} pour {period.period_label()}.")
            else:
                table = frames.staff_lines_table(detail.lines, current.year)
                st.markdown(f"**Lignes inéligibles – {period.period_label()}**")
                if refused:
                    st.markdown("\n".join(f"- {text}" for text in refused))
                    st.dataframe(table[table["Éligible"] == "non"], hide_index=True, width="stretch")
                else:
                    st.markdown("Toutes les lignes de personnel reçues sont éligibles.")
                st.markdown("**Taux d'affectation qui varient d'un mois à l'autre**")
                if detail.rate_changes:
                    st.markdown("\n".join(f"- {text}" for text in frames.rate_change_sentences(detail.rate_changes)))
                    st.caption(
                        "L'appel préfère un taux fixe : un taux qui varie est examiné strictement par le service "
                        "instructeur (un signalement, pas un refus)."
                    )
                else:
                    st.markdown("Aucun : chaque salarié a le même taux tous les mois.")
                st.markdown(f"**Toutes les lignes de personnel – {period.period_label()}** (identifiants pseudonymes)")
                st.dataframe(table, hide_index=True, width="stretch")
        else:
            st.header("Comment chaque montant est calculé")
            st.markdown(
                "\n".join(f"- **{name}** : {text}" for name, text in frames.how_figures_are_computed(current.year))
            )
            st.caption(ESTIMATE)
