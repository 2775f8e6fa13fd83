"""Year against year at the same point of the year: the chosen year's figures against the previous year's over
the same quarters (T1 to T3 2026 against T1 to T3 2025, never against the whole of 2025), for the Indicateurs
and Budget pages. Typed, no French: the presenters (`presenters/comparison.py`) write the sentences."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd

from iaedash.db import queries as q
from iaedash.db.connection import connect
from iaedash.domain.access import Viewer
from iaedash.domain.budget import consumption_rate
from iaedash.domain.calls import quarter_months
from iaedash.domain.money import ZERO
from iaedash.domain.monitoring import year_on_year_change
from iaedash.domain.reference import INDICATOR_CODES
from iaedash.filters import Filters
from iaedash.reports.budget import ConventionBudget, convention_budgets
from iaedash.reports.common import scoped
from iaedash.reports.overview import through_quarter


def same_point(filters: Filters, today: date) -> Filters | None:
    """The view cut to its quarters that have ended by `today` (the year so far); None when none has ended."""
    through = through_quarter(filters, today)
    if through is None:
        return None
    return replace(filters, quarters=tuple(q_ for q_ in filters.quarters if q_ <= through))


def previous_year(filters: Filters) -> Filters:
    """The same view a year earlier: quarters, network heads, orientations (and every other filter) carried over."""
    return replace(filters, year=filters.year - 1)


def _not_received(calendar: list[dict], quarters: tuple[int, ...]) -> dict[str, tuple[int, ...]]:
    """Network head → the quarters of the period whose indicators it has not sent (a convention, no file)."""
    out: dict[str, list[int]] = {}
    for r in calendar:
        if r["quarter"] in quarters and r["first_received_on"] is None:
            out.setdefault(r["network_head"], []).append(r["quarter"])
    return {head: tuple(sorted(found)) for head, found in sorted(out.items())}


@dataclass(frozen=True)
class IndicatorYearOnYear:
    """The six indicators of every network head with a convention in the year, summed over the period's
    quarters, against the same quarters of the previous year."""

    year: int
    previous_year: int
    quarters: tuple[int, ...]
    # network_head, indicator, current, previous (None: no convention the previous year), change (% or None)
    heads: pd.DataFrame
    # indicator, current, previous, change: the network heads with a convention both years (like for like)
    totals: pd.DataFrame
    new_heads: tuple[str, ...]  # a convention in the year, none in the previous one
    not_received: dict[int, dict[str, tuple[int, ...]]]  # year → network head → quarters of the period not sent

    @property
    def previous_known(self) -> bool:
        """At least one network head of the view had a convention the previous year."""
        return bool(len(self.heads)) and self.heads["previous"].notna().any()


HEAD_COLUMNS = ["network_head", "indicator", "current", "previous", "change"]
TOTAL_COLUMNS = ["indicator", "current", "previous", "change"]


def indicator_year_on_year(db: Path, viewer: Viewer, filters: Filters) -> IndicatorYearOnYear:
    """`filters` is the period to compare (see `same_point`); the previous year is read with the same filters."""
    before = previous_year(filters)
    with connect(db, read_only=True) as con:
        sums = q.fetch_records(con, "indicator_totals_two_years", scoped(viewer, filters))
        heads_now = [r["network_head"] for r in q.fetch_records(con, "conventions_of_year", scoped(viewer, filters))]
        heads_then = {r["network_head"] for r in q.fetch_records(con, "conventions_of_year", scoped(viewer, before))}
        calendars = {f.year: q.fetch_records(con, "submission_calendar", scoped(viewer, f)) for f in (filters, before)}
    current = {(r["network_head"], r["indicator"]): r["value"] for r in sums if r["year"] == filters.year}
    previous = {(r["network_head"], r["indicator"]): r["value"] for r in sums if r["year"] == before.year}
    rows = []
    for head in heads_now:
        for indicator in INDICATOR_CODES:
            value = int(current.get((head, indicator), 0))
            earlier = int(previous.get((head, indicator), 0)) if head in heads_then else None
            rows.append((head, indicator, value, earlier, year_on_year_change(value, earlier)))
    frame = pd.DataFrame(rows, columns=HEAD_COLUMNS).astype({"previous": "object"})
    both = frame[frame["network_head"].isin(heads_then)]
    totals = []
    if len(both):
        for indicator in INDICATOR_CODES:
            part = both[both["indicator"] == indicator]
            value, earlier = int(part["current"].sum()), int(sum(part["previous"]))
            totals.append((indicator, value, earlier, year_on_year_change(value, earlier)))
    return IndicatorYearOnYear(
        filters.year,
        before.year,
        tuple(filters.quarters),
        frame,
        pd.DataFrame(totals, columns=TOTAL_COLUMNS),
        tuple(h for h in heads_now if h not in heads_then),
        {year: _not_received(rows_, tuple(filters.quarters)) for year, rows_ in calendars.items()},
    )


@dataclass(frozen=True)
class BudgetYearOnYear:
    """Every convention of the year consumed from T1 to the quarter, against the previous year's at the same
    quarter (money in Decimal, rates in % with two decimals)."""

    year: int
    previous_year: int
    through_quarter: int
    # one row per network head with a convention in the year, then the totals row (network_head = TOTAL);
    # the *_previous columns are None for a network head without a convention the previous year
    rows: pd.DataFrame
    new_heads: tuple[str, ...]
    # year → network head → quarters (T1 to the quarter) without any staff line
    not_received: dict[int, dict[str, tuple[int, ...]]]

    @property
    def previous_known(self) -> bool:
        heads = self.rows[self.rows["network_head"] != TOTAL]
        return bool(len(heads)) and heads["total_previous"].notna().any()


TOTAL = "Total"
BUDGET_COLUMNS = [
    "network_head",
    "eligible",
    "eligible_previous",
    "eligible_change",
    "total",
    "total_previous",
    "total_change",
    "planned_total",
    "planned_total_previous",
    "consumption",
    "consumption_previous",
    "consumption_points",  # consumption − consumption of the previous year, in points
]


def _budget_row(head: str, now: ConventionBudget | None, then: ConventionBudget | None) -> dict:
    def figures(c: ConventionBudget | None) -> tuple:
        if c is None:
            return None, None, None, None
        s = c.summary
        return s.costs.eligible_staff_costs, s.costs.total_eligible_cost, s.plan.planned_total_cost, s.consumption

    eligible, total, planned, rate = figures(now)
    eligible_then, total_then, planned_then, rate_then = figures(then)
    return {
        "network_head": head,
        "eligible": eligible,
        "eligible_previous": eligible_then,
        "eligible_change": year_on_year_change(eligible, eligible_then),
        "total": total,
        "total_previous": total_then,
        "total_change": year_on_year_change(total, total_then),
        "planned_total": planned,
        "planned_total_previous": planned_then,
        "consumption": rate,
        "consumption_previous": rate_then,
        "consumption_points": None if rate is None or rate_then is None else rate - rate_then,
    }


def _quarters_without_staff(c: ConventionBudget, through: int) -> tuple[int, ...]:
    return tuple(q_ for q_ in range(1, through + 1) if not set(quarter_months(q_)) & set(c.months))


def budget_year_on_year(db: Path, viewer: Viewer, filters: Filters, through: int) -> BudgetYearOnYear:
    """T1 to `through` of the year against T1 to `through` of the previous year; the totals row adds up the
    network heads with a convention both years (like for like), each flat rate computed on its own sum."""
    before = previous_year(filters)
    with connect(db, read_only=True) as con:
        now = {
            c.network_head: c
            for c in convention_budgets(con, viewer, filters.year, filters.network_heads, through, filters.as_of)
        }
        then = {
            c.network_head: c
            for c in convention_budgets(con, viewer, before.year, before.network_heads, through, before.as_of)
        }
    rows = [_budget_row(head, now[head], then.get(head)) for head in sorted(now)]
    both = [head for head in sorted(now) if head in then]
    if both:

        def total(year: dict[str, ConventionBudget], part: str) -> Decimal:
            if part == "eligible":
                return sum((year[h].summary.costs.eligible_staff_costs for h in both), ZERO)
            if part == "total":
                return sum((year[h].summary.costs.total_eligible_cost for h in both), ZERO)
            return sum((year[h].summary.plan.planned_total_cost for h in both), ZERO)

        rate = consumption_rate(total(now, "total"), total(now, "planned"))
        rate_then = consumption_rate(total(then, "total"), total(then, "planned"))
        rows.append(
            {
                "network_head": TOTAL,
                "eligible": total(now, "eligible"),
                "eligible_previous": total(then, "eligible"),
                "eligible_change": year_on_year_change(total(now, "eligible"), total(then, "eligible")),
                "total": total(now, "total"),
                "total_previous": total(then, "total"),
                "total_change": year_on_year_change(total(now, "total"), total(then, "total")),
                "planned_total": total(now, "planned"),
                "planned_total_previous": total(then, "planned"),
                "consumption": rate,
                "consumption_previous": rate_then,
                "consumption_points": None if rate is None or rate_then is None else rate - rate_then,
            }
        )
    return BudgetYearOnYear(
        filters.year,
        before.year,
        through,
        pd.DataFrame(rows, columns=BUDGET_COLUMNS),
        tuple(head for head in sorted(now) if head not in then),
        {
            year: {h: found for h, c in sorted(budgets.items()) if (found := _quarters_without_staff(c, through))}
            for year, budgets in ((filters.year, now), (before.year, then))
        },
    )
