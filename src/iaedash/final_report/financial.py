"""Bilan d'exécution workbook: staff costs by employee and month, ineligible lines with their reason,
the flat rate, the total against the convention, the resources realised vs planned, advance and balance.

Every figure comes from the budget read model (`reports.budget.network_head_budget`), so the workbook
shows what the budget pages show.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from iaedash.domain.access import Viewer
from iaedash.domain.budget import BalanceKind, realised_resources
from iaedash.exports.writers import neutralise_formula
from iaedash.final_report.narrative import NoConventionError
from iaedash.formatting import format_date
from iaedash.presenters.budget import month_labels
from iaedash.presenters.calls import hypothesis_notice
from iaedash.reports.budget import NetworkHeadBudget, network_head_budget

EUROS = '#,##0.00 "€"'
PERCENT = '0.00" %"'
BOLD = Font(bold=True)


def load(db: Path, viewer: Viewer, network_head: str, year: int, today: date) -> NetworkHeadBudget:
    """The whole year (T1 to T4) of one network head's budget; the workbook lists staff lines, so only for a
    viewer who may see them."""
    viewer.require(viewer.sees_staff_lines(network_head), f"bilan d'exécution de {network_head}")
    detail = network_head_budget(db, viewer, year, network_head, 4, today)
    if detail is None:
        raise NoConventionError(f"aucune convention {year} pour le réseau « {network_head} »")
    return detail


def _sheet(book: Workbook, title: str, header: list[str], widths: list[int]) -> Worksheet:
    ws = book.create_sheet(title)
    ws.append(header)
    for cell in ws[1]:
        cell.font = BOLD
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(1, index).column_letter].width = width
    ws.freeze_panes = "A2"
    return ws


def _money(ws: Worksheet, columns: str) -> None:
    for column in columns:
        for cell in ws[column][1:]:
            cell.number_format = EUROS


def execution_workbook(detail: NetworkHeadBudget, name: str, generated_on: date) -> bytes:
    """The .xlsx of the bilan d'exécution for one network head and year."""
    summary = detail.summary
    plan, costs = summary.plan, summary.costs
    resources = realised_resources(plan, costs.total_eligible_cost)
    book = Workbook()
    book.remove(book.active)

    ws = _sheet(book, "synthese", ["Rubrique", "Prévu (convention)", "Réalisé", "Écart"], [58, 20, 20, 20])
    rows = [
        ("Dépenses de personnel éligibles", plan.planned_staff_cost, costs.eligible_staff_costs),
        (
            f"Forfait de {detail.flat_rate * 100:.0f} % (autres coûts directs et indirects)",
            plan.planned_flat_rate,
            costs.flat_rate,
        ),
        ("Coût total éligible", plan.planned_total_cost, costs.total_eligible_cost),
        ("Ressources : FSE+", plan.esf_amount, resources.esf),
        ("Ressources : contrepartie du Département", plan.department_amount, resources.department),
        ("Ressources : autofinancement", plan.self_financing, resources.self_financing),
    ]
    for label, planned, realised in rows:
        ws.append([label, planned, realised, realised - planned])
    balance = summary.balance
    ws.append([])
    ws.append(["Dépenses de personnel déclarées (y compris lignes inéligibles)", None, costs.declared_staff_costs])
    ws.append(["Avance versée", None, plan.advance_paid])
    label = {
        BalanceKind.TO_PAY: "Solde estimé à verser",
        BalanceKind.TO_RECOVER: "Trop-perçu estimé à récupérer",
        BalanceKind.SETTLED: "Solde estimé",
    }[balance.kind]
    ws.append([label, None, abs(balance.amount)])
    ws.append(["Taux de consommation du coût total prévu", None, summary.consumption])
    _money(ws, "BCD")
    ws.cell(ws.max_row, 3).number_format = PERCENT
    ws.append([])
    notes = [
        f"Bilan d'exécution {detail.year} – {name} ({detail.convention.network_head}), établi le "
        f"{format_date(generated_on)} à partir des versions courantes des dépôts.",
        "Estimation avant examen du bilan final par le service instructeur : le montant dû par le Département "
        "suit le coût total éligible réalisé à sa part du plan de financement, sans dépasser la convention.",
        f"Bilan final attendu au plus tard le {format_date(detail.deadline.due)}.",
    ]
    notice = hypothesis_notice(detail.year)
    if notice:
        notes.append(f"{notice}.")
    for note in notes:
        ws.append([note])

    ws = _sheet(
        book,
        "personnel_eligible",
        [
            "Salarié",
            "Fonction",
            "Mois",
            "Coût mensuel",
            "Taux d'affectation (%)",
            "Montant éligible",
            "Fichier",
            "Ligne",
        ],
        [10, 36, 8, 16, 20, 18, 38, 8],
    )
    lines = detail.lines
    is_eligible = lines["eligible"].astype(bool)  # an empty frame has no typed columns
    eligible = lines[is_eligible].sort_values(["employee", "month"])
    for r in eligible.itertuples():
        ws.append(
            [
                r.employee,
                neutralise_formula(r.job_title),
                r.month,
                r.monthly_cost,
                r.assignment_rate,
                r.amount,
                neutralise_formula(r.file_name),
                r.source_line,
            ]
        )
    ws.append(["Total", None, None, None, None, sum(eligible["amount"], Decimal("0"))])
    ws.cell(ws.max_row, 1).font = BOLD
    _money(ws, "DF")

    ws = _sheet(
        book,
        "lignes_ineligibles",
        [
            "Salarié",
            "Fonction",
            "Mois",
            "Coût mensuel",
            "Taux d'affectation (%)",
            "Montant",
            "Motif",
            "Fichier",
            "Ligne",
        ],
        [10, 36, 8, 16, 20, 16, 44, 38, 8],
    )
    for r in lines[~is_eligible].sort_values(["employee", "month"]).itertuples():
        ws.append(
            [
                r.employee,
                neutralise_formula(r.job_title),
                r.month,
                r.monthly_cost,
                r.assignment_rate,
                r.amount,
                r.reason,
                neutralise_formula(r.file_name),
                r.source_line,
            ]
        )
    _money(ws, "DF")

    ws = _sheet(book, "mensuel", ["Mois", "Dépenses éligibles", "Forfait", "Total éligible"], [18, 20, 16, 18])
    labels = month_labels(detail.monthly, detail.year)
    for label, r in zip(labels, detail.monthly.itertuples(), strict=True):
        ws.append([label, r.eligible, r.flat_rate, r.total])
    _money(ws, "BCD")

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
