"""Home page: indicator tiles, the completeness grid, and the alerts that need action."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import Enum
from pathlib import Path

import pandas as pd

from iaedash.calls import call_for_year
from iaedash.db import queries as q
from iaedash.db.connection import connect
from iaedash.domain.access import Viewer
from iaedash.domain.calls import quarter_end, submission_due_date
from iaedash.domain.monitoring import (
    TARGET_ALERT_QUARTER,
    SubmissionStatus,
    consumption_stands_out,
    is_outlier,
    submission_status,
    target_achievement,
    target_at_risk,
)
from iaedash.domain.reference import INDICATORS, ORIENTATION_CODES
from iaedash.domain.review import ReviewStatus
from iaedash.filters import ALL_QUARTERS, Filters
from iaedash.reports import budget, common
from iaedash.reports.common import scoped
from iaedash.review import review_states


def through_quarter(filters: Filters, today: date) -> int | None:
    """Last quarter the view covers: the filter's last quarter, but no later than the last one ended."""
    ended = [q_ for q_ in ALL_QUARTERS if quarter_end(filters.year, q_) < today]
    if not filters.quarters or not ended:
        return None
    return min(max(filters.quarters), max(ended))


@dataclass(frozen=True)
class Tile:
    """One indicator on the home page, over the filters (its labels are the presenter's)."""

    indicator: str
    total: int
    target: int | None  # sum of the targets that were set; None: no network head has one
    heads_with_target: int
    heads: int
    achievement: Decimal | None
    last_quarter: int | None
    last_value: int | None
    previous_value: int | None

    @property
    def change(self) -> int | None:
        if self.last_value is None or self.previous_value is None:
            return None
        return self.last_value - self.previous_value


def tiles(db: Path, viewer: Viewer, filters: Filters) -> list[Tile]:
    """The six indicators over the filter, each against the targets that were set (never a 0 % for none)."""
    quarters = sorted(filters.quarters)
    last = quarters[-1] if quarters else None
    # the change compares consecutive quarters of the view: with T1 + T3 there is no previous quarter shown
    previous = last - 1 if last and last - 1 in filters.quarters else None
    params = scoped(viewer, filters, last_quarter=last, previous_quarter=previous)
    with connect(db, read_only=True) as con:
        rows = {r["indicator"]: r for r in q.fetch_records(con, "indicator_tiles", params)}
    out = []
    for ind in INDICATORS:
        r = rows[ind.code]
        out.append(
            Tile(
                ind.code,
                r["total"],
                r["target"],
                r["heads_with_target"],
                r["heads"],
                target_achievement(r["total_with_target"], r["target"]),
                last,
                r["last_value"] if last else None,
                r["previous_value"] if previous else None,
            )
        )
    return out


def completeness(db: Path, viewer: Viewer, filters: Filters, today: date) -> pd.DataFrame:
    """One row per network head and quarter: status, first date received, versions, due date, review status."""
    call = call_for_year(filters.year)
    with connect(db, read_only=True) as con:
        rows = q.fetch_records(con, "submission_calendar", scoped(viewer, filters))
    reviews = {
        (s.scope.network_head, s.scope.quarter): s.status
        for s in review_states(db, viewer, filters.year, filters.network_heads, filters.as_of)
    }
    records = []
    for r in rows:
        head, quarter = r["network_head"], r["quarter"]
        status = submission_status(call, quarter, r["first_received_on"], today)
        review = reviews.get((head, quarter), ReviewStatus.EXPECTED)
        records.append(
            {
                "network_head": head,
                "quarter": quarter,
                "status": status.value,
                "first_received_on": r["first_received_on"],
                "last_received_on": r["last_received_on"],
                "versions": r["versions"],
                "staff_versions": r["staff_versions"],
                "due_date": submission_due_date(call, quarter),
                "files": r["files"],
                "review": review.value,
            }
        )
    columns = [
        "network_head",
        "quarter",
        "status",
        "first_received_on",
        "last_received_on",
        "versions",
        "staff_versions",
        "due_date",
        "files",
        "review",
    ]
    return pd.DataFrame.from_records(records, columns=columns)


class AlertKind(Enum):
    """What an alert is about, most urgent first (the presenter gives each its French label)."""

    MISSING = "manquant"
    LATE = "retard"
    TARGET = "objectif"
    INELIGIBLE = "ineligible"
    CONSUMPTION = "consommation"
    OUTLIER = "atypique"
    ZERO = "zero"


@dataclass(frozen=True)
class Alert:
    """Something the Direction should act on, with the figures it is about (presenters.overview says it)."""

    kind: AlertKind
    network_head: str
    year: int
    quarter: int | None = None
    indicator: str | None = None
    due_date: date | None = None
    received_on: date | None = None
    value: int | None = None  # the quarter's value (outlier), or what was achieved (target)
    target: int | None = None
    share: Decimal | None = None  # of the target, or of the planned cost consumed, in %
    elapsed: Decimal | None = None  # share of the operation elapsed, in %
    median: float | None = None  # of the network head's quarters (outlier)
    lines: int | None = None  # ineligible staff lines
    reasons: str | None = None
    through: int | None = None  # the view's last ended quarter (budget alerts)
    missing: tuple[str, ...] = ()  # indicators without any value (zero)

    @property
    def days_late(self) -> int | None:
        if self.received_on is None or self.due_date is None:
            return None
        return (self.received_on - self.due_date).days


def alerts(db: Path, viewer: Viewer, filters: Filters, today: date) -> list[Alert]:
    """Every alert of the view, most urgent kinds first."""
    out: list[Alert] = []
    grid = completeness(db, viewer, filters, today)
    for r in grid.itertuples():
        if r.quarter not in filters.quarters:
            continue
        if r.status == SubmissionStatus.MISSING.value:
            out.append(Alert(AlertKind.MISSING, r.network_head, filters.year, r.quarter, due_date=r.due_date))
        elif r.status == SubmissionStatus.LATE.value:
            out.append(
                Alert(
                    AlertKind.LATE,
                    r.network_head,
                    filters.year,
                    r.quarter,
                    due_date=r.due_date,
                    received_on=r.first_received_on,
                )
            )
    through = through_quarter(filters, today)
    if through is None:
        return out
    out += _target_alerts(db, viewer, filters, through)
    out += _budget_alerts(db, viewer, filters, through)
    out += _outlier_alerts(db, viewer, filters)
    out += _zero_alerts(db, viewer, filters)
    return out


def _target_alerts(db: Path, viewer: Viewer, filters: Filters, through: int) -> list[Alert]:
    """Below half of a target with one quarter left (the view reaches T3)."""
    if through != TARGET_ALERT_QUARTER:
        return []
    quarterly = common.by_quarter(db, viewer, replace_quarters(filters, through))
    achieved = defaultdict(int)
    for r in quarterly.itertuples():
        achieved[(r.network_head, r.indicator)] += int(r.value)
    out = []
    for conv in common.conventions(db, viewer, filters).itertuples():
        for ind in INDICATORS:
            target = conv.targets.get(ind.code)
            if target is None or pd.isna(target):
                continue
            done = achieved[(conv.network_head, ind.code)]
            share = target_achievement(done, int(target))
            if target_at_risk(share, through):
                out.append(
                    Alert(
                        AlertKind.TARGET,
                        conv.network_head,
                        filters.year,
                        indicator=ind.code,
                        value=done,
                        target=int(target),
                        share=share,
                    )
                )
    return out


def replace_quarters(filters: Filters, through: int) -> Filters:
    """The same view, cumulated from T1 to `through`."""
    return replace(filters, quarters=tuple(q_ for q_ in ALL_QUARTERS if q_ <= through))


def _budget_alerts(db: Path, viewer: Viewer, filters: Filters, through: int) -> list[Alert]:
    out = []
    for c in budget.consumption(db, viewer, filters, through):
        if c.ineligible_lines:
            out.append(
                Alert(
                    AlertKind.INELIGIBLE,
                    c.network_head,
                    filters.year,
                    lines=c.ineligible_lines,
                    reasons=c.ineligibility_reasons,
                    through=through,
                )
            )
        if consumption_stands_out(c.rate, c.elapsed):
            out.append(
                Alert(
                    AlertKind.CONSUMPTION,
                    c.network_head,
                    filters.year,
                    share=c.rate,
                    elapsed=c.elapsed,
                    through=through,
                )
            )
    return out


def _outlier_alerts(db: Path, viewer: Viewer, filters: Filters) -> list[Alert]:
    """A quarterly total far outside the network head's own history (robust z-score on the median)."""
    with connect(db, read_only=True) as con:
        history = q.fetch_records(con, "indicator_history", scoped(viewer, filters))
    series: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in history:
        series[(r["network_head"], r["indicator"])].append(r)
    out = []
    for (head, indicator), points in series.items():
        values = [p["value"] for p in points]
        for p in points:
            if p["year"] == filters.year and p["quarter"] in filters.quarters and is_outlier(p["value"], values):
                out.append(
                    Alert(
                        AlertKind.OUTLIER,
                        head,
                        p["year"],
                        p["quarter"],
                        indicator=indicator,
                        value=p["value"],
                        median=statistics.median(values),
                    )
                )
    return out


def _zero_alerts(db: Path, viewer: Viewer, filters: Filters) -> list[Alert]:
    """A quarter with staff costs declared but nothing reported for an indicator."""
    with connect(db, read_only=True) as con:
        staff = q.fetch_records(con, "staff_costs_by_quarter", scoped(viewer, filters))
    # staff costs have no orientation: compare them with what was reported in every orientation
    quarterly = common.by_quarter(db, viewer, replace(filters, orientations=ORIENTATION_CODES))
    reported = {(r.network_head, r.quarter, r.indicator) for r in quarterly.itertuples() if r.value > 0}
    out = []
    for r in staff:
        head, quarter = r["network_head"], r["quarter"]
        if r["eligible_staff_costs_eur"] <= 0:
            continue
        missing = tuple(i.code for i in INDICATORS if (head, quarter, i.code) not in reported)
        if missing:
            out.append(Alert(AlertKind.ZERO, head, filters.year, quarter, missing=missing))
    return out
