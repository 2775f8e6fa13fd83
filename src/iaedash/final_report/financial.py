"""Bilan d'exécution workbook: staff costs by employee and month, ineligible lines with their reason,
the flat rate, the total against the convention, the resources realised vs planned, advance and balance.

Every figure comes from the budget read model (`reports.budget.network_head_budget`), so the workbook
shows what the budget pages show.
"""

from __future__ import annotations

import io
import math
from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from iaedash.domain.access import Viewer
from iaedash.domain.budget import BalanceKind, realised_resources
from iaedash.exports.writers import neutralise_formula
from iaedash.final_report.narrative import NoConventionError
from iaedash.formatting import format_date, format_euros
from iaedash.presenters.budget import month_labels
from iaedash.presenters.calls import hypothesis_notice
from iaedash.reports.budget import NetworkHeadBudget, network_head_budget

# French display whatever the reader's locale (« 72 450,00 € », « 103,06 % »); the cells stay numbers.
EUROS = '[$-40C]#,##0.00\\ "€"'
PERCENT = '[$-40C]0.00\\ "%"'
RATE = "[$-40C]General"  # 62,5 rather than 62.5 in LibreOffice under another locale
# The font named on every styled cell: a font with no name is printed by LibreOffice in its default serif.
BOLD = Font(name="Calibri", size=11, bold=True)
TITLE = Font(name="Calibri", size=16, bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
_EDGE = Side(style="thin", color="8EA9C1")
GRID = Border(left=_EDGE, right=_EDGE, top=_EDGE, bottom=_EDGE)
# Column widths count in widths of « 0 » in Calibri 11. Text is measured for the wider DejaVu Sans, in which
# LibreOffice prints where Calibri is missing: a column that holds its text there holds it in Calibri too.
NARROW = set(" .,;:'’()[]|/-ijltfr")
WIDE = set("0123456789€%MWmw") | {chr(c) for c in range(ord("A"), ord("Z") + 1)}
PADDING = 2.5
LINE_HEIGHT = 15  # points, one line of Calibri 11 with its leading
SHEET_TITLES = {
    "synthese": "Synthèse",
    "personnel_eligible": "Personnel éligible",
    "lignes_ineligibles": "Lignes inéligibles",
    "mensuel": "Dépenses mois par mois",
}


def load(
    db: Path, viewer: Viewer, network_head: str, year: int, today: date, as_of: date | None = None
) -> NetworkHeadBudget:
    """The whole year (T1 to T4) of one network head's budget as the data stood on `as_of` (None: today); the
    workbook lists staff lines, so only for a viewer who may see them."""
    viewer.require(viewer.sees_staff_lines(network_head), f"bilan d'exécution de {network_head}")
    detail = network_head_budget(db, viewer, year, network_head, 4, today, as_of)
    if detail is None:
        raise NoConventionError(f"aucune convention {year} pour le réseau « {network_head} »")
    return detail


def _shown(value: object, number_format: str) -> str:
    """Roughly what a cell shows, to size its column."""
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        if number_format == EUROS:
            return format_euros(value)
        return str(value).replace(".", ",") + (" %" if number_format == PERCENT else "")
    return "" if value is None else str(value)


def _text_width(text: str, bold: bool = False) -> float:
    """Width of `text` in column units, for DejaVu Sans 11 (digits and capitals are a third wider than
    Calibri's « 0 », most small letters a sixth, spaces and punctuation narrower)."""
    width = sum(0.75 if c in NARROW else 1.35 if c in WIDE else 1.15 for c in text)
    return width * (1.1 if bold else 1)


def _wrapped_lines(text: str, width: float) -> int:
    """How many lines a bold header takes in a column `width` wide, broken at spaces only."""
    lines, used, room = 1, 0.0, width - PADDING
    for word in text.split():
        needed = _text_width(word, bold=True)
        if used and used + _text_width(" ", bold=True) + needed > room:
            lines, used = lines + 1, needed
        else:
            used += needed + (_text_width(" ", bold=True) if used else 0)
    return lines


def _table(ws: Worksheet, header_row: int, last_row: int, columns: int) -> None:
    """Bold shaded header wrapped between its words, a thin grid, and columns as wide as the values they hold
    and the longest word of their header."""
    for row in ws.iter_rows(min_row=header_row, max_row=last_row, max_col=columns):
        for cell in row:
            cell.border = GRID
    lines = 1
    for index in range(1, columns + 1):
        header = ws.cell(header_row, index)
        values = [ws.cell(r, index) for r in range(header_row + 1, last_row + 1)]
        longest = max([_text_width(_shown(c.value, c.number_format), bool(c.font.b)) for c in values], default=0)
        longest_word = max(_text_width(word, bold=True) for word in str(header.value).split())
        width = math.ceil(max(longest, longest_word) + PADDING)
        ws.column_dimensions[get_column_letter(index)].width = width
        numeric = any(isinstance(c.value, Decimal | int | float) for c in values)
        header.font, header.fill = BOLD, HEADER_FILL
        header.alignment = Alignment(wrap_text=True, vertical="bottom", horizontal="right" if numeric else "left")
        lines = max(lines, _wrapped_lines(str(header.value), width))
    ws.row_dimensions[header_row].height = lines * LINE_HEIGHT  # neither Excel nor LibreOffice is left to guess


def _across(ws: Worksheet, row: int, columns: int) -> None:
    """A line of text (title block, note) across the table's width, wrapped between words, its row as high as
    its lines: neither Excel nor LibreOffice gives a merged cell its height."""
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    cell = ws.cell(row, 1)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    size = (cell.font.sz or 11) / 11
    width = sum(ws.column_dimensions[get_column_letter(i)].width for i in range(1, columns + 1))
    lines = math.ceil(_text_width(str(cell.value), bool(cell.font.b)) * size / (width - PADDING))
    ws.row_dimensions[row].height = max(lines, 1) * LINE_HEIGHT * size


def _print_setup(
    ws: Worksheet, heading: str, as_of: str, *, landscape: bool, one_page: bool = False, titles: str | None = None
) -> None:
    """A4, one page wide (and one page high for `one_page`), header row repeated on every printed page, the
    document, sheet and page number in the margins."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0  # 0: as many pages high as it takes
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # without it, Excel and LibreOffice ignore fitTo*
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.75, bottom=0.75, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    ws.print_area = f"A1:{get_column_letter(ws.max_column)}{ws.max_row}"
    if titles:
        ws.print_title_rows = titles
    escape = str.maketrans({"&": "&&"})  # & starts a header code (&P, &N…)
    ws.oddHeader.left.text = heading.translate(escape)
    ws.oddHeader.right.text = SHEET_TITLES[ws.title]
    ws.oddFooter.left.text = f"Chiffres au {as_of}"
    ws.oddFooter.center.text = "Page &P sur &N"


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list[object]]) -> Worksheet:
    ws = book.create_sheet(title)
    ws.append(header)
    for row in rows:
        ws.append(row)
    ws.freeze_panes = "A2"
    return ws


def _number_format(ws: Worksheet, columns: str, first_row: int = 2, number_format: str = EUROS) -> None:
    for column in columns:
        for cell in ws[column][first_row - 1 :]:
            cell.number_format = number_format


def execution_workbook(detail: NetworkHeadBudget, name: str, generated_on: date) -> bytes:
    """The .xlsx of the bilan d'exécution for one network head and year, laid out to print: the summary on one
    A4 page under its title, the staff sheets one page wide with their header row on every page."""
    summary = detail.summary
    plan, costs = summary.plan, summary.costs
    resources = realised_resources(plan, costs.total_eligible_cost)
    code = detail.convention.network_head
    heading = f"Bilan d'exécution {detail.year} – {code}"
    as_of = format_date(generated_on)
    book = Workbook()
    book.remove(book.active)

    ws = book.create_sheet("synthese")
    title_block = [
        (f"Bilan d'exécution {detail.year}", TITLE),
        (f"Tête de réseau : {name} ({code})", BOLD),
        (f"Année : {detail.year}", None),
        (
            f"Chiffres au {as_of}, à partir des versions courantes des dépôts (convention version "
            f"{detail.convention.version}, reçue le {format_date(detail.convention.received_on)}).",
            None,
        ),
    ]
    for row, (text, font) in enumerate(title_block, start=1):
        ws.cell(row, 1, text)
        if font is not None:
            ws.cell(row, 1).font = font
    ws.append([])  # a row between the title block and the table
    ws.append(["Rubrique", "Prévu (convention)", "Réalisé", "Écart"])
    header_row = ws.max_row
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
    plan_end = ws.max_row
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
    _number_format(ws, "BCD", header_row + 1)
    ws.cell(ws.max_row, 3).number_format = PERCENT
    _table(ws, header_row, ws.max_row, 4)
    for row in ws.iter_rows(min_row=plan_end + 1, max_row=plan_end + 1, max_col=4):
        for cell in row:
            cell.border = Border()  # the gap between the plan and the other figures
    for row in range(1, len(title_block) + 1):
        _across(ws, row, 4)  # now that the columns have their widths
    ws.append([])
    notes = [
        "Estimation avant examen du bilan final par le service instructeur : le montant dû par le Département "
        "suit le coût total éligible réalisé à sa part du plan de financement, sans dépasser la convention.",
        f"Bilan final attendu au plus tard le {format_date(detail.deadline.due)}.",
    ]
    notice = hypothesis_notice(detail.year)
    if notice:
        notes.append(f"{notice}.")
    for note in notes:
        ws.append([note])
        _across(ws, ws.max_row, 4)
    _print_setup(ws, heading, as_of, landscape=True, one_page=True)

    lines = detail.lines
    is_eligible = lines["eligible"].astype(bool)  # an empty frame has no typed columns
    eligible = lines[is_eligible].sort_values(["employee", "month"])
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
        [
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
            for r in eligible.itertuples()
        ],
    )
    ws.append(["Total", None, None, None, None, sum(eligible["amount"], Decimal("0"))])
    ws.cell(ws.max_row, 1).font = BOLD
    ws.cell(ws.max_row, 6).font = BOLD
    _number_format(ws, "DF")
    _number_format(ws, "E", number_format=RATE)
    _table(ws, 1, ws.max_row, 8)
    _print_setup(ws, heading, as_of, landscape=True, titles="1:1")

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
        [
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
            for r in lines[~is_eligible].sort_values(["employee", "month"]).itertuples()
        ],
    )
    _number_format(ws, "DF")
    _number_format(ws, "E", number_format=RATE)
    _table(ws, 1, ws.max_row, 9)
    _print_setup(ws, heading, as_of, landscape=True, titles="1:1")

    ws = _sheet(
        book,
        "mensuel",
        ["Mois", "Dépenses éligibles", "Forfait", "Total éligible"],
        [
            [label, r.eligible, r.flat_rate, r.total]
            for label, r in zip(month_labels(detail.monthly, detail.year), detail.monthly.itertuples(), strict=True)
        ],
    )
    _number_format(ws, "BCD")
    _table(ws, 1, ws.max_row, 4)
    _print_setup(ws, heading, as_of, landscape=False, titles="1:1")

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
