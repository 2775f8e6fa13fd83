"""What each mart holds — its grain and its columns — described once (db/sql/marts.sql defines them).

Pages, exports and documents read these marts, never the raw tables, so a figure is computed in one place;
each is a table macro of the day the figures stand at (`mart_indicator_values($as_of)`, null for today), and
reads filter them with the `in_view` / `visible` macros. tests/test_marts.py checks on the demo database that
each mart has exactly these columns and that its grain is unique and never null.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mart:
    name: str
    meaning: str
    grain: tuple[str, ...]  # the columns that identify a row
    columns: dict[str, str]  # every column, in order, with its meaning


MARTS: tuple[Mart, ...] = (
    Mart(
        "mart_indicator_values",
        "The current value of every indicator a network head reported, with where it comes from.",
        ("network_head", "year", "quarter", "orientation", "indicator", "territory"),
        {
            "network_head": "network head code",
            "year": "year of the call",
            "quarter": "quarter (1 to 4)",
            "orientation": "orientation code (PRO, MAR, INT, DIV)",
            "indicator": "indicator code (GOUV, FORM, JURI, VEIL, WEBI, COMI)",
            "territory": "territory code (DEP: the whole Département)",
            "value": "count of the quarter alone (never a running total)",
            "comment": "free comment sent with the value",
            "file_name": "file the current version comes from",
            "sheet": "its sheet (workbooks), else null",
            "version": "version of the (kind, network head, year, quarter) scope",
            "source_line": "line of the file (header = 1)",
            "submission_id": "the submission row",
        },
    ),
    Mart(
        "mart_monthly_staff_costs",
        "Staff costs of each month of a network head, from the current staff lines.",
        ("network_head", "year", "month"),
        {
            "network_head": "network head code",
            "year": "year of the call",
            "month": "month (1 to 12)",
            "quarter": "the month's quarter",
            "declared_staff_costs_eur": "sum of cost × rate / 100, rounded per line (every line)",
            "eligible_staff_costs_eur": "same sum over eligible lines only",
            "lines": "staff lines of the month",
            "ineligible_lines": "lines refused (support function, assignment below the minimum)",
            "ineligibility_reasons": "their distinct reasons, « ; »-separated",
            "sources": "files and versions of the lines",
        },
    ),
    Mart(
        "mart_submission_calendar",
        "For every current convention and quarter, when its indicators came in.",
        ("network_head", "year", "quarter"),
        {
            "network_head": "network head code",
            "year": "year of the call",
            "quarter": "quarter (1 to 4)",
            "first_received_on": "date the first version was received (null: nothing yet)",
            "last_received_on": "date the latest version was received",
            "versions": "indicator versions received (0: none)",
            "files": "their file names, oldest first",
            "staff_versions": "current version of the quarter's staff costs (0: none)",
        },
    ),
    Mart(
        "mart_conventions",
        "The current convention of each network head and year, with its annual targets.",
        ("network_head", "year"),
        {
            "network_head": "network head code",
            "year": "year of the call",
            "name": "network head's name as the convention gives it",
            "start_date": "start of the operation",
            "end_date": "end of the operation",
            "planned_staff_cost_eur": "planned direct staff costs",
            "planned_total_cost_eur": "planned total eligible cost (staff + flat rate)",
            "esf_amount_eur": "ESF+ share of the financing plan",
            "department_amount_eur": "the Département's counterpart",
            "self_financing_eur": "self-financing",
            "advance_paid_eur": "advance paid",
            "advance_date": "date of the advance",
            "version": "version of the convention",
            "file_name": "file it comes from",
            "received_on": "date received",
            "submission_id": "the submission row",
            "targets": "indicator → annual target (null: « pas d'objectif »)",
        },
    ),
)
