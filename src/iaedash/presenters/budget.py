"""Budget pages in French: summary and financing tables, balance and pace in words, the staff lines table,
and how every figure is computed — from the typed read models of reports.budget."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from iaedash.calls import call_for_year
from iaedash.domain.budget import Participation, operation_months
from iaedash.domain.money import percent
from iaedash.domain.monitoring import CONSUMPTION_GAP_POINTS
from iaedash.domain.staff import RateChange
from iaedash.formatting import MONTH_NAMES, format_date, format_euros, format_number, format_percent
from iaedash.reports.budget import TOTAL_LABEL, IneligibleLines, NetworkHeadBudget


def _rate(value: Decimal) -> str:
    """An assignment rate as written by the network heads: « 50 % », « 50,5 % »."""
    return format_percent(value, 0 if value == value.to_integral_value() else 2)


def balance_text(amount: Decimal) -> str:
    """« 14 078,40 € à verser », « 651,00 € de trop-perçu à récupérer », « 0,00 € (rien à verser) »."""
    if amount > 0:
        return f"{format_euros(amount)} à verser"
    if amount < 0:
        return f"{format_euros(-amount)} de trop-perçu à récupérer"
    return f"{format_euros(amount)} (rien à verser ni à récupérer)"


def balance_label(amount: Decimal) -> str:
    """The label of a balance shown as a positive amount: what it is says which way the money goes."""
    if amount > 0:
        return "Solde estimé à verser"
    if amount < 0:
        return "Trop-perçu estimé à récupérer"
    return "Solde estimé"


def pace_text(gap: Decimal | None, stands_out: bool) -> str:
    if gap is None:
        return "–"
    if not stands_out:
        return "dans le rythme"
    return "sous-consommation" if gap < 0 else "sur-consommation"


MEETING_COLUMNS = [
    "Réseau",
    "Coût total prévu",
    "Coût total éligible",
    "Consommation",
    "Temps écoulé",
    "Rythme",
    "Projection fin d'année",
    "Solde estimé",
]


def summary_table(summary: pd.DataFrame, *, compact: bool = False) -> pd.DataFrame:
    """The summary with French headers and figures (euros to the cent, rates to 0,01 %); `compact` keeps the
    columns that fit a shared screen."""
    rows = []
    for r in summary.itertuples(index=False):
        count = len(summary) - 1
        heads = f"{count} réseau" + ("x" if count > 1 else "")
        head = f"{r.network_head} ({heads})" if r.network_head == TOTAL_LABEL else r.network_head
        rows.append(
            {
                "Réseau": head,
                "Coût total prévu": format_euros(r.planned_total_cost),
                "Personnel déclaré": format_euros(r.declared_staff_costs),
                "Personnel éligible": format_euros(r.eligible_staff_costs),
                "Forfait 40 %": format_euros(r.flat_rate),
                "Coût total éligible": format_euros(r.total_eligible_cost),
                "Consommation": format_percent(r.consumption, 2),
                "Temps écoulé": format_percent(r.elapsed, 2),
                "Rythme": pace_text(r.gap, r.stands_out),
                "Projection fin d'année": format_euros(r.projection),
                "Participation Département": format_euros(r.participation),
                "Avance versée": format_euros(r.advance_paid),
                "Solde estimé": balance_text(r.balance),
            }
        )
    frame = pd.DataFrame(rows)
    return frame[MEETING_COLUMNS] if compact and len(frame) else frame


def chart_data(summary: pd.DataFrame) -> pd.DataFrame:
    """What the planned-vs-realised chart shows, with French headers and exact amounts (for its CSV)."""
    heads = summary[summary["network_head"] != TOTAL_LABEL]
    return pd.DataFrame(
        {
            "Réseau": heads["network_head"],
            "Personnel prévu": heads["planned_staff_cost"],
            "Forfait 40 % prévu": heads["planned_flat_rate"],
            "Coût total prévu": heads["planned_total_cost"],
            "Personnel éligible réalisé": heads["eligible_staff_costs"],
            "Forfait 40 % réalisé": heads["flat_rate"],
            "Coût total éligible réalisé": heads["total_eligible_cost"],
            "Projection fin d'année": heads["projection"],
        }
    )


def month_labels(monthly: pd.DataFrame, year: int) -> list[str]:
    """« janvier 2025 »… for the months of the monthly frame (the chart's axis and its data)."""
    return [f"{MONTH_NAMES[m - 1]} {year}" for m in monthly["month"]]


def monthly_data(monthly: pd.DataFrame, year: int) -> pd.DataFrame:
    """The month-by-month chart's data with French headers and the files the lines come from."""
    return pd.DataFrame(
        {
            "Mois": month_labels(monthly, year),
            "Dépenses de personnel déclarées": monthly["declared"],
            "Dépenses de personnel éligibles": monthly["eligible"],
            "Part du forfait de 40 %": monthly["flat_rate"],
            "Coût total éligible": monthly["total"],
            "Sources (fichier, version)": monthly["sources"],
        }
    )


def financing_table(detail: NetworkHeadBudget) -> pd.DataFrame:
    """The convention's financing plan against what is realised and what is projected at year end."""
    s = detail.summary
    plan, costs, projection = s.plan, s.costs, s.projection

    def share(amount: Decimal) -> str:
        part = percent(amount, plan.planned_total_cost)
        return f"{format_euros(amount)} ({format_percent(part, 2)})" if part is not None else format_euros(amount)

    def department(p: Participation | None) -> str:
        if p is None:
            return "–"
        return format_euros(p.amount) + (" (plafond atteint)" if p.capped else "")

    realised = f"Réalisé à fin T{s.through_quarter}"
    rows = [
        (
            "Dépenses de personnel",
            plan.planned_staff_cost,
            costs.eligible_staff_costs,
            projection and projection.staff_costs,
        ),
        ("Forfait de 40 %", plan.planned_flat_rate, costs.flat_rate, projection and projection.flat_rate),
        (
            "Coût total éligible",
            plan.planned_total_cost,
            costs.total_eligible_cost,
            projection and projection.total_eligible_cost,
        ),
    ]
    out = [
        {
            "Élément": label,
            "Plan de financement": format_euros(planned),
            realised: format_euros(done),
            "Projection fin d'année": format_euros(projected),
        }
        for label, planned, done, projected in rows
    ]
    out += [
        {
            "Élément": "FSE+",
            "Plan de financement": share(plan.esf_amount),
            realised: "–",
            "Projection fin d'année": "–",
        },
        {
            "Élément": "Contrepartie du Département",
            "Plan de financement": share(plan.department_amount),
            realised: department(s.participation),
            "Projection fin d'année": department(s.projected_participation),
        },
        {
            "Élément": "Autofinancement",
            "Plan de financement": share(plan.self_financing),
            realised: "–",
            "Projection fin d'année": "–",
        },
    ]
    return pd.DataFrame(out)


def staff_lines_table(lines: pd.DataFrame, year: int) -> pd.DataFrame:
    """Staff lines with French headers: pseudonymous ids only, for the detail page outside meeting mode."""

    def source(r: object) -> str:
        sheet = f" [{r.sheet}]" if isinstance(r.sheet, str) and r.sheet else ""
        return f"{r.file_name}{sheet} v{r.version}, ligne {r.source_line}"

    return pd.DataFrame(
        {
            "Salarié": lines["employee"],
            "Mois": [f"{MONTH_NAMES[m - 1]} {year}" for m in lines["month"]],
            "Éligible": lines["eligible"].map({True: "oui", False: "non"}),
            "Motif du refus": [r if isinstance(r, str) else "" for r in lines["reason"]],
            "Taux d'affectation": [_rate(v) for v in lines["assignment_rate"]],
            "Taux modifié ce mois": lines["rate_changed"].map({True: "oui", False: ""}),
            "Montant déclaré": [format_euros(v) for v in lines["amount"]],
            "Coût mensuel": [format_euros(v) for v in lines["monthly_cost"]],
            "Fonction": lines["job_title"],
            "Fonction support": lines["support_function"].map({True: "oui", False: "non"}),
            "Source": [source(r) for r in lines.itertuples(index=False)],
        }
    )


def rate_change_sentences(changes: list[RateChange]) -> list[str]:
    """« S02 : 50 % puis 70 % (changement en juillet) »."""
    out = []
    for c in changes:
        months = ", ".join(MONTH_NAMES[m - 1] for m in c.months)
        rates = " puis ".join(_rate(r) for r in c.rates)
        out.append(f"{c.employee} : taux d'affectation {rates} (changement en {months})")
    return out


def ineligible_summary(ineligible: list[IneligibleLines]) -> list[str]:
    """Refused lines counted by reason, with their amount: no employee named (fit for meeting mode)."""
    return [
        f"{r.lines} ligne(s) pour « {r.reason} », soit {format_euros(r.amount)} déclarés non retenus"
        for r in ineligible
    ]


def how_figures_are_computed(year: int) -> list[tuple[str, str]]:
    """Each figure of the budget pages and how it is obtained, in plain French, with the call's parameters."""
    call = call_for_year(year)
    flat = format_percent(call.flat_rate * 100, 0)
    minimum = _rate(call.min_assignment_rate)
    months = operation_months(call)
    return [
        (
            "Dépenses de personnel déclarées",
            "pour chaque salarié et chaque mois, coût mensuel (salaire brut et charges patronales) × taux "
            "d'affectation ÷ 100, arrondi au centime ; toutes les lignes reçues, éligibles ou non.",
        ),
        (
            "Dépenses de personnel éligibles",
            f"les mêmes lignes, sauf les fonctions support (direction administrative, comptabilité, accueil…) "
            f"et les taux d'affectation inférieurs à {minimum} ({minimum} exactement est éligible). Les lignes "
            "refusées restent affichées avec leur motif.",
        ),
        (
            f"Forfait de {flat}",
            f"{flat} de la somme des dépenses de personnel éligibles, calculé une seule fois sur la somme et "
            "arrondi au centime le plus proche (un demi-centime vers le haut). Mois par mois, la part d'un mois "
            "est le forfait du cumul à la fin du mois moins celui du cumul à la fin du mois précédent : les mois "
            "s'additionnent exactement au forfait.",
        ),
        ("Coût total éligible", f"dépenses de personnel éligibles + forfait de {flat}."),
        (
            "Coût total prévu",
            f"dépenses de personnel prévues par la convention × {format_number(1 + call.flat_rate, 2)} "
            "(version la plus récente de la convention).",
        ),
        (
            "Consommation",
            "coût total éligible ÷ coût total prévu. Elle se lit face au temps écoulé (jours de l'opération "
            "écoulés à la fin du trimestre ÷ jours de l'opération) : un écart de plus de "
            f"{format_number(CONSUMPTION_GAP_POINTS)} points est signalé (sous- ou sur-consommation).",
        ),
        (
            "Projection fin d'année",
            f"dépenses éligibles des mois reçus ÷ nombre de ces mois × {months} mois de l'opération, arrondi au "
            f"centime, puis le forfait de {flat} sur cette somme. Un mois sans aucune ligne de personnel n'entre "
            "pas dans la moyenne (il n'est pas compté pour 0 €) ; un mois dont toutes les lignes sont refusées "
            "compte pour 0 €.",
        ),
        (
            "Participation du Département",
            "coût total éligible × (contrepartie du Département ÷ coût total prévu), arrondie au centime, "
            "sans jamais dépasser le montant de la contrepartie inscrit dans la convention.",
        ),
        (
            "Solde estimé",
            "participation du Département − avance versée. Négatif, c'est un trop-perçu que la tête de réseau "
            "devra reverser. C'est une estimation : le solde définitif est arrêté après examen du bilan final.",
        ),
        (
            "Bilan final",
            f"à déposer sur E partenaire au plus tard le {format_date(call.final_report_due)} ; le solde est "
            "versé après son examen.",
        ),
    ]
