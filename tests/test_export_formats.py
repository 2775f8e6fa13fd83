"""Every dataset in every format, read back with the analyst's tool, equals the dataset itself."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook
from viewers import MANAGER

from iaedash.cli import main
from iaedash.exports import DATASETS, FORMATS, build, dictionary_frame, file_name, render
from iaedash.exports.dictionary import DATE, DATETIME, INTEGER, MONEY, PERCENT, column_type
from iaedash.filters import Filters

TODAY = date(2026, 11, 24)


def canonical(value: object, kind: str) -> object:
    """One comparable form per type, whatever the format gave back."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str) and value == "":
        return None
    if kind in (MONEY, PERCENT):
        return Decimal(str(value).replace(",", ".")).quantize(Decimal("0.01"))
    if kind == INTEGER:
        return int(value)
    if kind == DATE:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = str(value)
        return datetime.strptime(text, "%d/%m/%Y").date() if "/" in text else date.fromisoformat(text)
    if kind == DATETIME:
        if isinstance(value, datetime):
            return value.replace(second=0, microsecond=0)
        text = str(value)
        parsed = datetime.strptime(text, "%d/%m/%Y %H:%M") if "/" in text else datetime.fromisoformat(text)
        return parsed.replace(second=0, microsecond=0)
    return str(value)


def expected_rows(frame, name: str) -> list[list]:
    return [
        [canonical(v, column_type(name, c)) for c, v in zip(frame.columns, row, strict=True)]
        for row in frame.itertuples(index=False)
    ]


def read_back(data: bytes, fmt: str) -> tuple[list[str], list[list]]:
    if fmt == "csv":
        assert data.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    elif fmt == "csv-brut":
        assert not data.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(data.decode("utf-8")), delimiter=","))
    elif fmt == "xlsx":
        ws = load_workbook(io.BytesIO(data)).worksheets[0]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
    else:
        table = pq.read_table(io.BytesIO(data))
        return table.column_names, [list(r.values()) for r in table.to_pylist()]
    return [str(h) for h in rows[0]], rows[1:]


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("name", list(DATASETS))
def test_every_dataset_round_trips_in_every_format(demo_db: Path, name: str, fmt: str):
    frame = build(demo_db, MANAGER, name, Filters(2025), TODAY)
    assert len(frame) > 0, name
    header, rows = read_back(render(frame, name, fmt, dictionary_frame(name)), fmt)
    assert header == list(frame.columns)
    got = [
        [
            canonical(str(v) if fmt in ("csv", "csv-brut") else v, column_type(name, c))
            for c, v in zip(header, row, strict=True)
        ]
        for row in rows
    ]
    expected = expected_rows(frame, name)
    if fmt in ("csv", "csv-brut", "xlsx"):  # formula-looking text comes back with its neutralising apostrophe
        expected = [[f"'{v}" if isinstance(v, str) and v.startswith("=") else v for v in row] for row in expected]
    assert got == expected


def test_xlsx_cells_are_typed_and_described(demo_db: Path):
    frame = build(demo_db, MANAGER, "completude", Filters(2025), TODAY)
    book = load_workbook(io.BytesIO(render(frame, "completude", "xlsx", dictionary_frame("completude"))))
    ws = book["completude"]
    assert ws.freeze_panes == "A2"
    assert isinstance(ws["E2"].value, datetime) and ws["E2"].number_format == "dd/mm/yyyy"
    assert isinstance(ws["C2"].value, int)
    assert ws.column_dimensions["D"].width >= len("reçu en retard")
    assert [c.value for c in book["dictionnaire"]["B"]][1:] == [c.name for c in DATASETS["completude"].columns]


def test_a_formula_typed_by_a_network_head_is_neutralised(demo_db: Path):
    frame = build(demo_db, MANAGER, "indicateurs", Filters(2025, network_heads=("FEIAL",), quarters=(1,)), TODAY)
    [comment] = [c for c in frame["commentaire"] if isinstance(c, str) and c.startswith("=")]
    assert f"'{comment}".encode() in render(frame, "indicateurs", "csv")
    assert f"'{comment}".encode() in render(frame, "indicateurs", "csv-brut")
    ws = load_workbook(io.BytesIO(render(frame, "indicateurs", "xlsx"))).active
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "SOMME" in c.value]
    assert [(c.value, c.data_type) for c in cells] == [(f"'{comment}", "s")]
    assert all(isinstance(c.value, int) for c in ws["G"][1:])  # numbers stay numbers


def test_completeness_dataset_shows_the_late_quarter(demo_db: Path):
    frame = build(demo_db, MANAGER, "completude", Filters(2025, network_heads=("CETTI",)), TODAY)
    late = frame[frame["trimestre"] == 4].iloc[0]
    assert (late["statut"], late["recu_le"], late["date_limite"]) == (
        "reçu en retard",
        date(2026, 2, 20),
        date(2026, 1, 30),
    )


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(2025, quarters=(1, 2, 3)), "iae_indicateurs_2025_T1-T3_tous-reseaux.csv"),
        (Filters(2025, network_heads=("FEIAL", "CABM"), quarters=(2,)), "iae_indicateurs_2025_T2_CABM-FEIAL.csv"),
        (Filters(2025, quarters=(1, 3)), "iae_indicateurs_2025_T1+T3_tous-reseaux.csv"),
        (Filters(None), "iae_indicateurs_toutes-annees_T1-T4_tous-reseaux.csv"),
    ],
)
def test_file_names_say_what_they_hold(filters: Filters, expected: str):
    assert file_name("indicateurs", filters, "csv") == expected


def test_cli_export_honours_filters_and_names_the_file(demo_db: Path, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = main(
        [
            "export",
            "indicateurs_large",
            "--db",
            str(demo_db),
            "--annee",
            "2025",
            "--reseau",
            "cabm",
            "--trimestre",
            "1",
            "--trimestre",
            "2",
            "--format",
            "parquet",
        ]
    )
    assert code == 0
    table = pq.read_table(tmp_path / "iae_indicateurs_large_2025_T1-T2_CABM.parquet")
    assert table.column("reseau").to_pylist() == ["CABM", "CABM"]
    assert table.column("trimestre").to_pylist() == [1, 2]
    assert "form_pro" in table.column_names and "webi_div" in table.column_names


def test_dictionary_describes_every_column_of_every_dataset(demo_db: Path):
    for name in DATASETS:
        frame = build(demo_db, MANAGER, name, Filters(2025), TODAY)
        described = set(dictionary_frame(name)["colonne"])
        for column in frame.columns:
            assert column in described or (name == "indicateurs_large" and "_" in column), (name, column)


def test_whole_year_datasets_do_not_claim_a_quarter_filter():
    chosen = Filters(2025, network_heads=("CABM",), quarters=(1,))
    assert file_name("budget", chosen, "xlsx") == "iae_budget_2025_T1-T4_CABM.xlsx"
    assert file_name("personnel_mensuel", chosen, "csv") == "iae_personnel_mensuel_2025_T1_CABM.csv"
