"""Budget read models: consumption per network head through a quarter (overview alerts, network head's
page), the budget pages (summary with totals, one network head's detail) and the `budget` export."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd

from iaedash.calls import call_for_year
from iaedash.db import queries as q
from iaedash.db.connection import connect
from iaedash.domain.access import Viewer
from iaedash.domain.budget import (
    BudgetSummary,
    Deadline,
    FinancingPlan,
    MonthCosts,
    consumption_gap,
    consumption_rate,
    expected_advance,
    final_report_deadline,
    monthly_flat_rates,
    summarise_budget,
)
from iaedash.domain.money import ZERO, percent
from iaedash.domain.monitoring import consumption_stands_out, elapsed_share
from iaedash.domain.staff import CostSummary, RateChange, find_rate_changes, summarise_costs
from iaedash.filters import ALL_QUARTERS, Filters
from iaedash.reports.common import scoped


@dataclass(frozen=True)
class Consumption:
    network_head: str
    name: str
    through_quarter: int
    planned_total: Decimal
    costs: CostSummary
    rate: Decimal | None  # total eligible cost / planned total, in %
    elapsed: Decimal  # share of the operation elapsed at the end of the quarter, in %
    ineligible_lines: int
    ineligibility_reasons: str | None


def consumption(db: Path, viewer: Viewer, filters: Filters, through_quarter: int) -> list[Consumption]:
    """Cumulative consumption from T1 to `through_quarter`, whatever quarters the filter shows."""
    call = call_for_year(filters.year)
    params = scoped(viewer, replace(filters, quarters=tuple(q_ for q_ in ALL_QUARTERS if q_ <= through_quarter)))
    with connect(db, read_only=True) as con:
        heads = q.fetch_records(con, "conventions_of_year", params)
        sums = q.fetch_records(con, "staff_costs_by_quarter", params)
    declared: dict[str, Decimal] = defaultdict(Decimal)
    eligible: dict[str, Decimal] = defaultdict(Decimal)
    ineligible: dict[str, int] = defaultdict(int)
    reasons: dict[str, set[str]] = defaultdict(set)
    for r in sums:
        head = r["network_head"]
        declared[head] += r["declared_staff_costs_eur"]
        eligible[head] += r["eligible_staff_costs_eur"]
        ineligible[head] += r["ineligible_lines"]
        if r["ineligibility_reasons"]:
            reasons[head].update(r["ineligibility_reasons"].split(" ; "))
    elapsed = elapsed_share(call, through_quarter)
    out = []
    for conv in heads:
        head, planned_total = conv["network_head"], conv["planned_total_cost_eur"]
        costs = summarise_costs(call, declared.get(head), eligible.get(head))
        out.append(
            Consumption(
                head,
                conv["name"],
                through_quarter,
                planned_total,
                costs,
                percent(costs.total_eligible_cost, planned_total),
                elapsed,
                ineligible[head],
                " ; ".join(sorted(reasons[head])) or None,
            )
        )
    return out


# --- the budget pages: every figure of a convention through a quarter, and the export ---

TOTAL_LABEL = "Total"

# Columns of `budget_summary`, one row per network head then the totals row (network_head = "Total").
SUMMARY_COLUMNS = [
    "network_head",
    "name",
    "planned_staff_cost",
    "planned_flat_rate",
    "planned_total_cost",
    "declared_staff_costs",
    "eligible_staff_costs",
    "flat_rate",
    "total_eligible_cost",
    "consumption",
    "elapsed",
    "gap",
    "stands_out",
    "projection",
    "department_amount",
    "participation",
    "advance_paid",
    "balance",
]

# Exactly the columns of `iaedash export budget`.
EXPORT_COLUMNS = [
    "reseau",
    "annee",
    "depenses_personnel_declarees",
    "depenses_personnel_eligibles",
    "forfait_40",
    "cout_total_eligible",
    "cout_total_prevu",
    "taux_consommation",
]


@dataclass(frozen=True)
class ConventionBudget:
    """One current convention with every budget figure through a quarter (money in Decimal)."""

    network_head: str
    name: str
    summary: BudgetSummary
    months: dict[int, MonthCosts]  # months with at least one staff line, up to the quarter
    sources: dict[int, str]  # month → files and versions its lines come from
    advance_date: date | None
    version: int
    file_name: str
    received_on: date


def _plan(row: dict) -> FinancingPlan:
    return FinancingPlan(
        row["planned_staff_cost_eur"],
        row["planned_total_cost_eur"],
        row["esf_amount_eur"],
        row["department_amount_eur"],
        row["self_financing_eur"],
        row["advance_paid_eur"],
    )


def _quarters_through(through_quarter: int) -> list[int]:
    return [q_ for q_ in ALL_QUARTERS if q_ <= through_quarter]


def convention_budgets(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    year: int,
    network_heads: tuple[str, ...],
    through_quarter: int,
    as_of: date | None,
) -> list[ConventionBudget]:
    """Aggregation in SQL (monthly sums, Decimal), every money rule in domain.budget; the data as they stood
    on `as_of` (None: today)."""
    params = {
        "year": year,
        "network_heads": list(network_heads),
        "quarters": _quarters_through(through_quarter),
        "allowed": viewer.allowed(),
        "as_of": as_of,
    }
    conventions = q.fetch_records(con, "conventions_of_year", params)
    if not conventions:  # a year without conventions may also have no call file: nothing to compute
        return []
    call = call_for_year(year)
    months: dict[str, dict[int, MonthCosts]] = defaultdict(dict)
    sources: dict[str, dict[int, str]] = defaultdict(dict)
    for r in q.fetch_records(con, "staff_costs_by_month", params):
        head, month = r["network_head"], r["month"]
        months[head][month] = MonthCosts(r["declared_staff_costs_eur"], r["eligible_staff_costs_eur"])
        sources[head][month] = r["sources"]
    out = []
    for row in conventions:
        head = row["network_head"]
        out.append(
            ConventionBudget(
                head,
                row["name"],
                summarise_budget(call, _plan(row), months[head], through_quarter),
                dict(months[head]),
                dict(sources[head]),
                row["advance_date"],
                row["version"],
                row["file_name"],
                row["received_on"],
            )
        )
    return out


def _summary_record(c: ConventionBudget) -> dict:
    s = c.summary
    return {
        "network_head": c.network_head,
        "name": c.name,
        "planned_staff_cost": s.plan.planned_staff_cost,
        "planned_flat_rate": s.plan.planned_flat_rate,
        "planned_total_cost": s.plan.planned_total_cost,
        "declared_staff_costs": s.costs.declared_staff_costs,
        "eligible_staff_costs": s.costs.eligible_staff_costs,
        "flat_rate": s.costs.flat_rate,
        "total_eligible_cost": s.costs.total_eligible_cost,
        "consumption": s.consumption,
        "elapsed": s.elapsed,
        "gap": s.gap,
        "stands_out": s.stands_out,
        "projection": s.projection.total_eligible_cost if s.projection else None,
        "department_amount": s.plan.department_amount,
        "participation": s.participation.amount,
        "advance_paid": s.plan.advance_paid,
        "balance": s.balance.amount,
    }


def _totals_record(budgets: list[ConventionBudget], elapsed: Decimal) -> dict:
    """Sums across network heads; each flat rate was computed once on its own convention's sum."""

    def total(column: str) -> Decimal:
        return sum((r[column] for r in records), ZERO)

    records = [_summary_record(c) for c in budgets]
    total_cost, planned = total("total_eligible_cost"), total("planned_total_cost")
    rate = consumption_rate(total_cost, planned)
    projections = [r["projection"] for r in records if r["projection"] is not None]
    return {
        "network_head": TOTAL_LABEL,
        "name": None,  # the totals row: its label (« 6 réseaux ») is the presenter's
        **{
            column: total(column)
            for column in SUMMARY_COLUMNS
            if column not in ("network_head", "name", "consumption", "elapsed", "gap", "stands_out", "projection")
        },
        "consumption": rate,
        "elapsed": elapsed,
        "gap": consumption_gap(rate, elapsed),
        "stands_out": consumption_stands_out(rate, elapsed),
        "projection": sum(projections, ZERO) if projections else None,
    }


def budget_summary(db: Path, viewer: Viewer, filters: Filters, through_quarter: int) -> pd.DataFrame:
    """One row per network head of the filter (T1 to `through_quarter`, cumulative), then the totals row.

    Money and rates are Decimal (object columns): pages format them, CSVs write them exactly.
    """
    with connect(db, read_only=True) as con:
        budgets = convention_budgets(con, viewer, filters.year, filters.network_heads, through_quarter, filters.as_of)
    if not budgets:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    records = [_summary_record(c) for c in budgets]
    records.append(_totals_record(budgets, elapsed_share(call_for_year(filters.year), through_quarter)))
    return pd.DataFrame(records, columns=SUMMARY_COLUMNS)


def budget_export_frame(
    db: Path | duckdb.DuckDBPyConnection, viewer: Viewer, year: int | None = None, as_of: date | None = None
) -> pd.DataFrame:
    """The `iaedash export budget` dataset, computed like the budget pages over the whole year (T1 to T4).

    One row per current convention (every year when `year` is None), sorted by network head then year; the data
    as they stood on `as_of` (None: today). `db` is a database path, or an open connection (what
    `exports.DATASETS` functions receive).
    """
    if isinstance(db, duckdb.DuckDBPyConnection):
        return _export_frame(db, viewer, year, as_of)
    with connect(db, read_only=True) as con:
        return _export_frame(con, viewer, year, as_of)


def _export_frame(con: duckdb.DuckDBPyConnection, viewer: Viewer, year: int | None, as_of: date | None) -> pd.DataFrame:
    known = [r["year"] for r in q.fetch_records(con, "years_with_data", scoped(viewer, as_of=as_of))]
    years = [year] if year is not None else known
    rows = []
    for yr in years:
        for c in convention_budgets(con, viewer, yr, (), ALL_QUARTERS[-1], as_of):
            s = c.summary
            rows.append(
                {
                    "reseau": c.network_head,
                    "annee": yr,
                    "depenses_personnel_declarees": s.costs.declared_staff_costs,
                    "depenses_personnel_eligibles": s.costs.eligible_staff_costs,
                    "forfait_40": s.costs.flat_rate,
                    "cout_total_eligible": s.costs.total_eligible_cost,
                    "cout_total_prevu": s.plan.planned_total_cost,
                    "taux_consommation": s.consumption,
                }
            )
    rows.sort(key=lambda r: (r["reseau"], r["annee"]))
    return pd.DataFrame(rows, columns=EXPORT_COLUMNS)


@dataclass(frozen=True)
class IneligibleLines:
    """Refused staff lines of one reason: how many and their amount, no employee named (fit for every role)."""

    reason: str
    lines: int
    amount: Decimal


@dataclass(frozen=True)
class NetworkHeadBudget:
    """The detail page of one network head: its figures, its months, its staff lines, its deadline."""

    year: int
    convention: ConventionBudget
    monthly: pd.DataFrame  # month, declared, eligible, flat_rate, total, sources
    lines: pd.DataFrame  # one row per staff line, with rate_changed (bool); empty when withheld
    rate_changes: list[RateChange]  # empty when withheld
    ineligible: list[IneligibleLines]  # by reason, for every viewer
    employees_with_rate_changes: int  # for every viewer
    withheld: bool  # the viewer may not see staff lines: `lines` and `rate_changes` are empty
    expected_advance: Decimal
    deadline: Deadline
    flat_rate: Decimal  # the call's flat rate (0.40)
    min_assignment_rate: Decimal  # the call's minimum rate (30)

    @property
    def summary(self) -> BudgetSummary:
        return self.convention.summary


def network_head_budget(
    db: Path,
    viewer: Viewer,
    year: int,
    network_head: str,
    through_quarter: int,
    today: date,
    as_of: date | None = None,
) -> NetworkHeadBudget | None:
    """Everything the detail page shows for one network head, T1 to `through_quarter`; None without convention
    (or for a network head the viewer may not see). `today` counts the days to the final report; `as_of` is the
    day the data stand at (None: today).

    Staff lines are personal data: for a viewer who may not see them (a lecteur), they are read here only
    to be counted — the result holds no identifier, so no page, chart or download can show one.
    """
    call = call_for_year(year)
    params = {
        "year": year,
        "network_head": network_head,
        "quarters": _quarters_through(through_quarter),
        "allowed": viewer.allowed(),
        "as_of": as_of,
    }
    with connect(db, read_only=True) as con:
        found = convention_budgets(con, viewer, year, (network_head,), through_quarter, as_of)
        lines = q.fetch_exact_df(con, "staff_lines_of_network_head", params)
    if not found:
        return None
    [convention] = found
    eligible = {m: c.eligible for m, c in convention.months.items()}
    flats = monthly_flat_rates(call, eligible)
    monthly = pd.DataFrame(
        [
            {
                "month": m,
                "declared": c.declared,
                "eligible": c.eligible,
                "flat_rate": flats[m],
                "total": c.eligible + flats[m],
                "sources": convention.sources.get(m, ""),
            }
            for m, c in sorted(convention.months.items())
        ],
        columns=["month", "declared", "eligible", "flat_rate", "total", "sources"],
    )
    frame = lines
    changes = find_rate_changes(zip(frame["employee"], frame["month"], frame["assignment_rate"], strict=True))
    changed = {(c.employee, m) for c in changes for m in c.months}
    frame["rate_changed"] = [(e, m) in changed for e, m in zip(frame["employee"], frame["month"], strict=True)]
    refused = frame.loc[~frame["eligible"].astype(bool)]
    ineligible = [
        IneligibleLines(str(reason), len(group), sum(group["amount"], ZERO))
        for reason, group in refused.groupby("reason", sort=True)
    ]
    employees = len(changes)
    withheld = not viewer.sees_staff_lines(network_head)
    if withheld:
        frame, changes = frame.iloc[0:0].copy(), []
    return NetworkHeadBudget(
        year,
        convention,
        monthly,
        frame,
        changes,
        ineligible,
        employees,
        withheld,
        expected_advance(call, convention.summary.plan.department_amount),
        final_report_deadline(call, today),
        call.flat_rate,
        call.min_assignment_rate,
    )
