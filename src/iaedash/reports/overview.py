"""Home page: indicator tiles, the completeness grid, and the alerts that need action."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd

from iaedash.calls import call_for_year
from iaedash.db import queries as q
from iaedash.db.connection import connect
from iaedash.domain.access import Viewer
from iaedash.domain.calls import quarter_end, submission_due_date
from iaedash.domain.monitoring import (
    TARGET_ALERT_SHARE,
    SubmissionStatus,
    consumption_stands_out,
    is_outlier,
    submission_status,
    target_achievement,
)
from iaedash.domain.reference import INDICATORS, ORIENTATION_CODES
from iaedash.domain.review import ReviewStatus
from iaedash.filters import ALL_QUARTERS, Filters
from iaedash.formatting import format_date, format_number, format_percent
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
    """One indicator on the home page."""

    indicator: str
    label: str
    short: str
    unit: str
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
        rows = {r[0]: r[1:] for r in q.fetch_all(con, "indicator_tiles", params)}
    out = []
    for ind in INDICATORS:
        total, target, with_target, heads, total_with_target, last_value, previous_value = rows[ind.code]
        out.append(
            Tile(
                ind.code,
                ind.label,
                ind.short,
                ind.unit,
                total,
                target,
                with_target,
                heads,
                target_achievement(total_with_target, target),
                last,
                last_value if last else None,
                previous_value if previous else None,
            )
        )
    return out


STATUS_LABELS = {s: s.value for s in SubmissionStatus}


def completeness(db: Path, viewer: Viewer, filters: Filters, today: date) -> pd.DataFrame:
    """One row per network head and quarter: status, first date received, versions, due date, review status."""
    call = call_for_year(filters.year)
    with connect(db, read_only=True) as con:
        rows = q.fetch_records(con, "submission_calendar", scoped(viewer, filters))
    reviews = {
        (s.scope.network_head, s.scope.quarter): s.status
        for s in review_states(db, viewer, filters.year, filters.network_heads)
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


@dataclass(frozen=True)
class Alert:
    """Something the Direction should act on, said in one French sentence."""

    kind: str
    network_head: str
    message: str


ALERT_KINDS = {
    "manquant": "Dépôt manquant",
    "retard": "Dépôt en retard",
    "objectif": "Objectif en danger",
    "ineligible": "Lignes de personnel inéligibles",
    "consommation": "Consommation atypique",
    "atypique": "Valeur trimestrielle atypique",
    "zero": "Indicateur à zéro malgré du personnel déclaré",
}


def alerts(db: Path, viewer: Viewer, filters: Filters, today: date) -> list[Alert]:
    """Every alert of the view, most urgent kinds first."""
    out: list[Alert] = []
    grid = completeness(db, viewer, filters, today)
    for r in grid.itertuples():
        if r.quarter not in filters.quarters:
            continue
        if r.status == SubmissionStatus.MISSING.value:
            out.append(
                Alert(
                    "manquant",
                    r.network_head,
                    f"{r.network_head} : dépôt du T{r.quarter} {filters.year} non reçu "
                    f"(attendu au plus tard le {format_date(r.due_date)}).",
                )
            )
        elif r.status == SubmissionStatus.LATE.value:
            days = (r.first_received_on - r.due_date).days
            out.append(
                Alert(
                    "retard",
                    r.network_head,
                    f"{r.network_head} : dépôt du T{r.quarter} {filters.year} reçu le "
                    f"{format_date(r.first_received_on)}, {days} jour(s) après l'échéance du "
                    f"{format_date(r.due_date)}.",
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
    if through != 3:
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
            share = target_achievement(achieved[(conv.network_head, ind.code)], int(target))
            if share is not None and share < TARGET_ALERT_SHARE:
                out.append(
                    Alert(
                        "objectif",
                        conv.network_head,
                        f"{conv.network_head} : {_lower_first(ind.label)} à {format_percent(share)} de l'objectif "
                        f"annuel ({format_number(achieved[(conv.network_head, ind.code)])} sur "
                        f"{format_number(int(target))} {ind.unit}) à un trimestre de la fin.",
                    )
                )
    return out


def replace_quarters(filters: Filters, through: int) -> Filters:
    """The same view, cumulated from T1 to `through`."""
    return replace(filters, quarters=tuple(q_ for q_ in ALL_QUARTERS if q_ <= through))


def _lower_first(label: str) -> str:
    return label[:1].lower() + label[1:]


def _budget_alerts(db: Path, viewer: Viewer, filters: Filters, through: int) -> list[Alert]:
    out = []
    for c in budget.consumption(db, viewer, filters, through):
        if c.ineligible_lines:
            out.append(
                Alert(
                    "ineligible",
                    c.network_head,
                    f"{c.network_head} : {c.ineligible_lines} ligne(s) de personnel inéligible(s) "
                    f"sur {replace_quarters(filters, through).period_label()} ({c.ineligibility_reasons}).",
                )
            )
        if consumption_stands_out(c.rate, c.elapsed):
            out.append(
                Alert(
                    "consommation",
                    c.network_head,
                    f"{c.network_head} : {format_percent(c.rate)} du coût total prévu consommé à la fin du "
                    f"T{through}, pour {format_percent(c.elapsed, 0)} de l'opération écoulée.",
                )
            )
    return out


def _outlier_alerts(db: Path, viewer: Viewer, filters: Filters) -> list[Alert]:
    """A quarterly total far outside the network head's own history (robust z-score on the median)."""
    with connect(db, read_only=True) as con:
        history = q.fetch_all(con, "indicator_history", scoped(viewer, filters))
    series: dict[tuple[str, str], list[tuple[int, int, int]]] = defaultdict(list)
    for head, year, quarter, indicator, value in history:
        series[(head, indicator)].append((year, quarter, value))
    labels = {i.code: i for i in INDICATORS}
    out = []
    for (head, indicator), points in series.items():
        values = [v for _, _, v in points]
        for year, quarter, value in points:
            if year == filters.year and quarter in filters.quarters and is_outlier(value, values):
                ind = labels[indicator]
                out.append(
                    Alert(
                        "atypique",
                        head,
                        f"{head} : {format_number(value)} {ind.unit} ({_lower_first(ind.label)}) au T{quarter} "
                        f"{year}, loin de ses autres trimestres (médiane "
                        f"{format_number(statistics.median(values), 1)}).",
                    )
                )
    return out


def _zero_alerts(db: Path, viewer: Viewer, filters: Filters) -> list[Alert]:
    """A quarter with staff costs declared but nothing reported for an indicator."""
    with connect(db, read_only=True) as con:
        staff = q.fetch_all(con, "staff_costs_by_quarter", scoped(viewer, filters))
    # staff costs have no orientation: compare them with what was reported in every orientation
    quarterly = common.by_quarter(db, viewer, replace(filters, orientations=ORIENTATION_CODES))
    reported = {(r.network_head, r.quarter, r.indicator) for r in quarterly.itertuples() if r.value > 0}
    out = []
    for head, quarter, _declared, eligible, *_ in staff:
        if eligible <= 0:
            continue
        missing = [i.code for i in INDICATORS if (head, quarter, i.code) not in reported]
        if missing:
            out.append(
                Alert(
                    "zero",
                    head,
                    f"{head} : aucune valeur pour {', '.join(missing)} au T{quarter} {filters.year} alors "
                    "que des dépenses de personnel sont déclarées.",
                )
            )
    return out
