"""Shared builders for the ingestion tests (read, fields, check).

Lives beside conftest.py rather than in it: the inputs are built here from plain
literals and openpyxl, so that what the tests expect never comes from the code under test.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from iaedash.domain.calls import Call
from iaedash.ingest.check import CheckedTable, check_table
from iaedash.ingest.problems import Problem
from iaedash.ingest.read import RawTable, read_file

# The 2025 call, written out here rather than read from data/appels/, so the tests do not depend on it.
CALL_2025 = Call(
    year=2025,
    name="Appel de test 2025",
    operation_start=date(2025, 1, 1),
    operation_end=date(2025, 12, 31),
    final_report_due=date(2026, 3, 31),
    flat_rate=Decimal("0.40"),
    min_assignment_rate=Decimal("30"),
    submission_delay_days=30,
    advance_rate=Decimal("0.50"),
)
CALLS: dict[int, Call] = {2025: CALL_2025}

INDICATOR_HEADER = ["reseau", "annee", "trimestre", "orientation", "indicateur", "territoire", "valeur", "commentaire"]
STAFF_HEADER = [
    "reseau",
    "annee",
    "mois",
    "salarie",
    "fonction",
    "fonction_support",
    "cout_mensuel",
    "taux_affectation",
]
CONVENTION_HEADER = [
    "reseau",
    "nom",
    "annee",
    "date_debut",
    "date_fin",
    "cout_personnel_prevu",
    "montant_fse",
    "contrepartie_departement",
    "autofinancement",
    "avance_versee",
    "date_avance",
    "objectif_gouv",
    "objectif_form",
    "objectif_juri",
    "objectif_veil",
    "objectif_webi",
    "objectif_comi",
]

# 92 400,00 × 1,40 = 129 360,00 = 77 616,00 + 38 808,00 + 12 936,00 (the worked example of the brief).
CONVENTION_ROW = [
    "CABM",
    "Coordination de test (fictive)",
    "2025",
    "01/01/2025",
    "31/12/2025",
    "92400,00",
    "77616,00",
    "38808,00",
    "12936,00",
    "19404,00",
    "17/03/2025",
    "20",
    "16",
    "12",
    "12",
    "150",
    "24",
]


def csv_text(header: Sequence[str], *rows: Sequence[Any], sep: str = ";") -> str:
    """Lines joined by CRLF, as Excel writes them; cells are written as given (no quoting)."""
    lines = [sep.join(header), *(sep.join(str(c) for c in row) for row in rows)]
    return "\r\n".join(lines) + "\r\n"


def xlsx_bytes(
    sheets: Mapping[str, Sequence[Sequence[Any]]], formats: Mapping[tuple[str, str], str] | None = None
) -> bytes:
    """A workbook with one sheet per entry (rows appended from row 1); `formats` maps (sheet, cell) to a format."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    for (title, ref), number_format in (formats or {}).items():
        book[title][ref].number_format = number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def check_bytes(name: str, data: bytes, calls: Mapping[int, Call] = CALLS) -> list[CheckedTable]:
    return [check_table(table, calls) for table in read_file(name, data)]


def check_one(name: str, data: bytes, calls: Mapping[int, Call] = CALLS) -> CheckedTable:
    [checked] = check_bytes(name, data, calls)
    return checked


def check_rows(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    file_name: str = "depot.csv",
    sheet: str | None = None,
    kind: str | None = None,
    calls: Mapping[int, Call] = CALLS,
    first_line: int = 2,
) -> CheckedTable:
    """Check a RawTable built by hand; rows take consecutive line numbers from `first_line`."""
    table = RawTable(
        file_name,
        sheet,
        list(header),
        [(first_line + i, list(row)) for i, row in enumerate(rows)],
        kind=kind,
    )
    return check_table(table, calls)


def plain(text: str) -> str:
    """Message text with no-break and narrow no-break spaces made ordinary spaces, for readable fragments."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def where(problems: Iterable[Problem]) -> set[tuple[int | None, str | None]]:
    """(line, column) of every problem."""
    return {(p.line, p.column) for p in problems}


def at(problems: Iterable[Problem], line: int | None, column: str | None) -> list[Problem]:
    """Problems reported at that line and column (column as written in the file)."""
    return [p for p in problems if p.line == line and p.column == column]


def only_at(problems: Sequence[Problem], line: int | None, column: str | None) -> Problem:
    """The single problem at that place, failing with the whole list otherwise."""
    found = at(problems, line, column)
    assert len(found) == 1, f"expected one problem at {line}:{column}, got: {[str(p) for p in problems]}"
    return found[0]


def shown(problems: Iterable[Problem]) -> list[str]:
    return [plain(str(p)) for p in problems]
