"""The analysts' datasets: named SQL (aggregated in DuckDB), money rules from the domain, French column names."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import duckdb
import pandas as pd

from iaedash.calls import call_for_year
from iaedash.db import queries as q
from iaedash.domain.access import Viewer
from iaedash.domain.calls import submission_due_date
from iaedash.domain.monitoring import submission_status, target_achievement
from iaedash.exports.dictionary import DATASETS as DICTIONARY
from iaedash.exports.dictionary import INTEGER
from iaedash.filters import Filters
from iaedash.reports.budget import budget_export_frame
from iaedash.reports.common import scoped

Builder = Callable[[duckdb.DuckDBPyConnection, Viewer, Filters, date], pd.DataFrame]


def everything(year: int | None = None) -> Filters:
    """No filter but the year (None = every year): what the CLI exports by default."""
    return Filters(year=year)


def _frame(name: str, rows: list[tuple]) -> pd.DataFrame:
    """Columns named and typed by the dictionary: an integer column with blanks stays integer (« 28 », not 28,0)."""
    columns = DICTIONARY[name].columns
    frame = pd.DataFrame(rows, columns=[c.name for c in columns])
    integers = {c.name: "Int64" for c in columns if c.type == INTEGER}
    return frame.astype(integers) if len(frame) else frame


def indicators(con: duckdb.DuckDBPyConnection, viewer: Viewer, filters: Filters, today: date) -> pd.DataFrame:
    return _frame("indicateurs", q.fetch_all(con, "export_indicators", scoped(viewer, filters)))


def indicators_wide(con: duckdb.DuckDBPyConnection, viewer: Viewer, filters: Filters, today: date) -> pd.DataFrame:
    long = q.fetch_df(con, "export_indicators_wide", scoped(viewer, filters))
    if long.empty:
        return pd.DataFrame(columns=["reseau", "annee", "trimestre"])
    long["column"] = long["indicator"].str.lower() + "_" + long["orientation"].str.lower()
    order = list(dict.fromkeys(long["column"]))  # SQL orders indicators then orientations
    wide = long.pivot_table(
        index=["network_head", "year", "quarter"], columns="column", values="value", aggfunc="sum", sort=False
    )
    wide = wide[order].reset_index().rename(columns={"network_head": "reseau", "year": "annee", "quarter": "trimestre"})
    wide.columns.name = None
    return wide.astype({c: "int64" for c in order})


def targets(con: duckdb.DuckDBPyConnection, viewer: Viewer, filters: Filters, today: date) -> pd.DataFrame:
    rows = [
        (head, year, indicator, achieved, target, target_achievement(achieved, target))
        for head, year, indicator, achieved, target in q.fetch_all(con, "export_targets", scoped(viewer, filters))
    ]
    return _frame("objectifs", rows)


def completeness(con: duckdb.DuckDBPyConnection, viewer: Viewer, filters: Filters, today: date) -> pd.DataFrame:
    rows = []
    for r in q.fetch_records(con, "submission_calendar", scoped(viewer, filters)):
        if r["quarter"] not in filters.quarters:
            continue
        call = call_for_year(r["year"])
        first, quarter = r["first_received_on"], r["quarter"]
        status = submission_status(call, quarter, first, today).value
        rows.append(
            (r["network_head"], r["year"], quarter, status, submission_due_date(call, quarter), first,
             r["last_received_on"], r["versions"])
        )  # fmt: skip
    return _frame("completude", rows)


def budget(con: duckdb.DuckDBPyConnection, viewer: Viewer, filters: Filters, today: date) -> pd.DataFrame:
    """The full year of every current convention, computed by the same read model as the budget pages."""
    frame = budget_export_frame(con, viewer, filters.year)
    if filters.network_heads:
        frame = frame[frame["reseau"].isin(filters.network_heads)].reset_index(drop=True)
    return frame


def monthly_staff_costs(con: duckdb.DuckDBPyConnection, viewer: Viewer, filters: Filters, today: date) -> pd.DataFrame:
    return _frame("personnel_mensuel", q.fetch_all(con, "export_monthly_staff_costs", scoped(viewer, filters)))


def imports(con: duckdb.DuckDBPyConnection, viewer: Viewer, filters: Filters, today: date) -> pd.DataFrame:
    return _frame("imports", q.fetch_all(con, "export_imports", scoped(viewer, filters)))


def comments(con: duckdb.DuckDBPyConnection, viewer: Viewer, filters: Filters, today: date) -> pd.DataFrame:
    return _frame("commentaires", q.fetch_all(con, "export_comments", scoped(viewer, filters)))


BUILDERS: dict[str, Builder] = {
    "indicateurs": indicators,
    "indicateurs_large": indicators_wide,
    "objectifs": targets,
    "completude": completeness,
    "budget": budget,
    "personnel_mensuel": monthly_staff_costs,
    "imports": imports,
    "commentaires": comments,
}
