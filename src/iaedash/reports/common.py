"""Reads shared by several pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from iaedash.db import queries as q
from iaedash.db.connection import connect
from iaedash.filters import Filters


@dataclass(frozen=True)
class AsOf:
    """How current the figures are: the as-of line under every screen."""

    data_as_of: date | None  # latest date received among current submissions
    last_imported_at: datetime | None


def as_of(db: Path) -> AsOf:
    with connect(db, read_only=True) as con:
        data_as_of, last_imported_at = q.fetch_one(con, "as_of")
    return AsOf(data_as_of, last_imported_at)


def network_heads(db: Path) -> pd.DataFrame:
    """Every network head known (code, name), sorted by code: the order that fixes colours."""
    with connect(db, read_only=True) as con:
        return q.fetch_df(con, "network_heads_all")


def years(db: Path) -> list[int]:
    """Years that have at least one convention, newest first."""
    with connect(db, read_only=True) as con:
        return [row[0] for row in q.fetch_all(con, "years_with_data")]


def by_quarter(db: Path, filters: Filters) -> pd.DataFrame:
    """network_head, quarter, indicator, value, sources — summed in SQL over orientations and territories."""
    with connect(db, read_only=True) as con:
        return q.fetch_df(con, "indicator_by_quarter", filters.params())


def by_orientation(db: Path, filters: Filters) -> pd.DataFrame:
    """network_head, orientation, indicator, value, sources — summed in SQL over the chosen quarters."""
    with connect(db, read_only=True) as con:
        return q.fetch_df(con, "indicator_by_orientation", filters.params())


def by_quarter_and_orientation(db: Path, filters: Filters) -> pd.DataFrame:
    """network_head, quarter, orientation, indicator, value."""
    with connect(db, read_only=True) as con:
        return q.fetch_df(con, "indicator_by_quarter_orientation", filters.params())


def conventions(db: Path, filters: Filters) -> pd.DataFrame:
    """Current conventions of the year with their targets (a dict indicator → target or None); money as Decimal."""
    with connect(db, read_only=True) as con:
        return q.fetch_exact_df(con, "conventions_of_year", filters.params())


def comments(db: Path, filters: Filters) -> pd.DataFrame:
    with connect(db, read_only=True) as con:
        return q.fetch_df(con, "comments", filters.params())


def submission_history(db: Path, filters: Filters) -> pd.DataFrame:
    with connect(db, read_only=True) as con:
        return q.fetch_df(con, "submission_history", filters.params())


def import_history(db: Path) -> pd.DataFrame:
    with connect(db, read_only=True) as con:
        return q.fetch_df(con, "import_history")
