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


def _frame(name: str, data: pd.DataFrame | list[dict]) -> pd.DataFrame:
    """The dataset's columns by name, as the dictionary describes them (a query whose columns differ is an error,
    never a silent shift), typed by it: an integer column with blanks stays integer (« 28 », not 28,0)."""
    columns = [c.name for c in DICTIONARY[name].columns]
    if isinstance(data, pd.DataFrame):
        frame = data
    else:  # rows by name: a key the dictionary does not know is an error, not an empty column
        frame = pd.DataFrame.from_records(data) if data else pd.DataFrame(columns=columns)
    if list(frame.columns) != columns:
        raise ValueError(f"dataset {name}: columns {list(frame.columns)} are not the dictionary's {columns}")
    integers = {c.name: "Int64" for c in DICTIONARY[name].columns if c.type == INTEGER}
    return frame.astype(integers) if len(frame) else frame


def _read(con: duckdb.DuckDBPyConnection, query: str, viewer: Viewer, filters: Filters) -> pd.DataFrame:
    return q.fetch_exact_df(con, query, scoped(viewer, filters))


def indicators(con: duckdb.DuckDBPyConnection, viewer: Viewer, filters: Filters, today: date) -> pd.DataFrame:
    return _frame("indicateurs", _read(con, "export_indicators", viewer, filters))


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
        {
            "reseau": r["network_head"],
            "annee": r["year"],
            "indicateur": r["indicator"],
            "realise": r["achieved"],
            "objectif": r["target"],
            "taux_atteinte": target_achievement(r["achieved"], r["target"]),
        }
        for r in q.fetch_records(con, "export_targets", scoped(viewer, filters))
    ]
    return _frame("objectifs", rows)


def completeness(con: duckdb.DuckDBPyConnection, viewer: Viewer, filters: Filters, today: date) -> pd.DataFrame:
    rows = []
    for r in q.fetch_records(con, "submission_calendar", scoped(viewer, filters)):
        if r["quarter"] not in filters.quarters:
            continue
        call = call_for_year(r["year"])
        first, quarter = r["first_received_on"], r["quarter"]
        rows.append(
            {
                "reseau": r["network_head"],
                "annee": r["year"],
                "trimestre": quarter,
                "statut": submission_status(call, quarter, first, today).value,
                "date_limite": submission_due_date(call, quarter),
                "recu_le": first,
                "derniere_version_le": r["last_received_on"],
                "versions": r["versions"],
            }
        )
    return _frame("completude", rows)


def budget(con: duckdb.DuckDBPyConnection, viewer: Viewer, filters: Filters, today: date) -> pd.DataFrame:
    """The full year of every current convention, computed by the same read model as the budget pages."""
    frame = budget_export_frame(con, viewer, filters.year, filters.as_of)
    if filters.network_heads:
        frame = frame[frame["reseau"].isin(filters.network_heads)].reset_index(drop=True)
    return frame


def monthly_staff_costs(con: duckdb.DuckDBPyConnection, viewer: Viewer, filters: Filters, today: date) -> pd.DataFrame:
    return _frame("personnel_mensuel", _read(con, "export_monthly_staff_costs", viewer, filters))


def imports(con: duckdb.DuckDBPyConnection, viewer: Viewer, filters: Filters, today: date) -> pd.DataFrame:
    return _frame("imports", _read(con, "export_imports", viewer, filters))


def comments(con: duckdb.DuckDBPyConnection, viewer: Viewer, filters: Filters, today: date) -> pd.DataFrame:
    return _frame("commentaires", _read(con, "export_comments", viewer, filters))


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
