"""Datasets for analysts and the files they download: French-Excel CSV, XLSX.

Aggregation happens in SQL; the money rules (flat rate on the sum, consumption
rate) are applied on those sums by the domain layer.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd

from iaedash.calls import call_for_year
from iaedash.db import queries as q
from iaedash.db.connection import connect
from iaedash.domain.money import percent
from iaedash.domain.staff import summarise_costs

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")


def indicators_dataset(con: duckdb.DuckDBPyConnection, year: int | None = None) -> pd.DataFrame:
    """Current indicator values, long format, zeros left out."""
    return q.fetch_df(con, "export_indicators", {"year": year, "network_head": None})


def budget_dataset(con: duckdb.DuckDBPyConnection, year: int | None = None) -> pd.DataFrame:
    """One row per current convention: declared and eligible staff costs, flat rate, consumption."""
    rows = []
    for network_head, yr, declared, eligible, planned in q.fetch_all(
        con, "staff_cost_sums", {"year": year, "network_head": None}
    ):
        costs = summarise_costs(call_for_year(yr), declared, eligible)
        rows.append(
            {
                "reseau": network_head,
                "annee": yr,
                "depenses_personnel_declarees": costs.declared_staff_costs,
                "depenses_personnel_eligibles": costs.eligible_staff_costs,
                "forfait_40": costs.flat_rate,
                "cout_total_eligible": costs.total_eligible_cost,
                "cout_total_prevu": planned,
                "taux_consommation": percent(costs.total_eligible_cost, planned),
            }
        )
    columns = [
        "reseau",
        "annee",
        "depenses_personnel_declarees",
        "depenses_personnel_eligibles",
        "forfait_40",
        "cout_total_eligible",
        "cout_total_prevu",
        "taux_consommation",
    ]
    return pd.DataFrame(rows, columns=columns)


DATASETS: dict[str, Callable[..., pd.DataFrame]] = {
    "indicateurs": indicators_dataset,
    "budget": budget_dataset,
}


def neutralise_formula(value: object) -> object:
    """OWASP CSV injection: a text starting like a formula gets a leading apostrophe; numbers untouched."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _french_cell(value: object) -> object:
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    return neutralise_formula(value)


def to_french_csv(frame: pd.DataFrame) -> bytes:
    """What French Excel opens cleanly: UTF-8 with BOM, `;`, decimal comma, CRLF."""
    shown = frame.astype(object).map(_french_cell) if len(frame) else frame
    text = shown.to_csv(sep=";", index=False, lineterminator="\r\n")
    return text.encode("utf-8-sig")


def to_xlsx(frame: pd.DataFrame, sheet: str) -> bytes:
    """Typed cells (numbers stay numbers), frozen header, formula-looking text neutralised."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = sheet[:31]
    ws.append(list(frame.columns))
    for record in frame.itertuples(index=False):
        ws.append([neutralise_formula(v) for v in record])
    for index, column in enumerate(frame.columns, start=1):
        if frame[column].map(lambda v: isinstance(v, Decimal)).any():
            for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "#,##0.00"
        width = max([len(str(column)), *(len(str(v)) for v in frame[column])]) + 2
        ws.column_dimensions[ws.cell(1, index).column_letter].width = min(width, 60)
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_dataset(db_path: Path, name: str, out: Path, fmt: str = "csv", year: int | None = None) -> int:
    """Write dataset `name` to `out`; returns the number of rows written."""
    with connect(db_path, read_only=True) as con:
        frame = DATASETS[name](con, year)
    data = to_xlsx(frame, name) if fmt == "xlsx" else to_french_csv(frame)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return len(frame)
