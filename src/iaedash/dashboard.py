"""Read models of the pages: named queries shaped for display, no Streamlit here."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from iaedash.db import queries as q
from iaedash.db.connection import connect
from iaedash.domain.reference import INDICATORS


def years(db_path: Path) -> list[int]:
    """Years that have at least one convention, newest first."""
    with connect(db_path, read_only=True) as con:
        return [row[0] for row in q.fetch_all(con, "years_with_data")]


def indicator_totals(db_path: Path, year: int) -> pd.DataFrame:
    """Year-to-date totals: one row per network head, one column per indicator (summed in SQL)."""
    with connect(db_path, read_only=True) as con:
        long = q.fetch_df(con, "indicator_totals_by_network_head", {"year": year})
    if long.empty:
        return pd.DataFrame(columns=["Code", "Tête de réseau", *(i.label for i in INDICATORS)])
    wide = long.pivot(index=["network_head", "name"], columns="indicator", values="total")
    wide = wide[[i.code for i in INDICATORS]].reset_index()
    return wide.rename(
        columns={"network_head": "Code", "name": "Tête de réseau", **{i.code: i.label for i in INDICATORS}}
    )
