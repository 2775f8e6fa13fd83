"""File formats of the exports: CSV for French Excel, plain CSV, typed XLSX, Parquet.

A text cell that starts like a spreadsheet formula is neutralised (OWASP CSV injection) in CSV and XLSX,
so a comment typed by a network head can never run on an analyst's machine; numbers stay numbers.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pandas as pd

from iaedash.exports.dictionary import DATE, DATETIME, MONEY, PERCENT, column_type

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")

FORMATS = {
    "csv": ("CSV pour Excel (français)", ".csv", "text/csv"),
    "csv-brut": ("CSV standard (UTF-8, virgule, point décimal)", ".csv", "text/csv"),
    "xlsx": ("Classeur Excel (.xlsx)", ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "parquet": ("Parquet", ".parquet", "application/vnd.apache.parquet"),
}


def neutralise_formula(value: object) -> object:
    """A text starting like a formula gets a leading apostrophe; anything else is returned as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value)


def _french_cell(value: object) -> object:
    if _missing(value):
        return ""
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars: plain Python numbers
        return _french_cell(value.item())
    if isinstance(value, datetime | pd.Timestamp):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return neutralise_formula(value)


def _plain_cell(value: object) -> object:
    if _missing(value):
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | pd.Timestamp):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return neutralise_formula(value)


def to_french_csv(frame: pd.DataFrame) -> bytes:
    """What French Excel opens cleanly: UTF-8 with BOM, `;`, decimal comma, dates dd/mm/yyyy, CRLF."""
    shown = frame.astype(object).map(_french_cell) if len(frame) else frame
    return shown.to_csv(sep=";", index=False, lineterminator="\r\n").encode("utf-8-sig")


def to_plain_csv(frame: pd.DataFrame) -> bytes:
    """For other tools: UTF-8 without BOM, `,`, decimal point, ISO dates."""
    shown = frame.astype(object).map(_plain_cell) if len(frame) else frame
    return shown.to_csv(sep=",", index=False, lineterminator="\n").encode("utf-8")


_XLSX_FORMATS = {MONEY: '#,##0.00 "€"', PERCENT: '0.00" %"', DATE: "dd/mm/yyyy", DATETIME: "dd/mm/yyyy hh:mm"}


def to_xlsx(frame: pd.DataFrame, dataset: str, dictionary: pd.DataFrame | None = None) -> bytes:
    """Typed cells (numbers as numbers, euros and dates formatted), frozen header, widths that fit;
    the data dictionary of the dataset in a second sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    ws = book.active
    ws.title = dataset[:31]
    ws.append(list(frame.columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for record in frame.itertuples(index=False):
        ws.append([None if _missing(v) else neutralise_formula(v.item() if hasattr(v, "item") else v) for v in record])
    for index, column in enumerate(frame.columns, start=1):
        kind = column_type(dataset, column)
        if kind in _XLSX_FORMATS:
            for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = _XLSX_FORMATS[kind]
        shown = [_french_cell(v) for v in frame[column]]
        width = max([len(str(column)), *(len(str(v)) for v in shown)]) + 3
        ws.column_dimensions[ws.cell(1, index).column_letter].width = min(width, 60)
    ws.freeze_panes = "A2"
    if dictionary is not None:
        sheet = book.create_sheet("dictionnaire")
        sheet.append(list(dictionary.columns))
        for record in dictionary.itertuples(index=False):
            sheet.append([neutralise_formula(v) for v in record])
        for letter, width in zip("ABCDE", (18, 30, 80, 22, 14), strict=True):
            sheet.column_dimensions[letter].width = width
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_parquet(frame: pd.DataFrame, dataset: str) -> bytes:
    """Money as exact decimals, dates as dates: Parquet keeps the types."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    fields = []
    for column in frame.columns:
        kind = column_type(dataset, column)
        if kind == MONEY:
            fields.append(pa.field(column, pa.decimal128(14, 2)))
        elif kind == PERCENT:
            fields.append(pa.field(column, pa.decimal128(9, 2)))
        elif kind == DATE:
            fields.append(pa.field(column, pa.date32()))
        else:
            fields.append(None)
    arrays = []
    for column, typed in zip(frame.columns, fields, strict=True):
        values = [None if _missing(v) else (v.item() if hasattr(v, "item") else v) for v in frame[column]]
        arrays.append(pa.array(values, type=typed.type) if typed else pa.array(values))
    table = pa.table(dict(zip(frame.columns, arrays, strict=True)))
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def render(frame: pd.DataFrame, dataset: str, fmt: str, dictionary: pd.DataFrame | None = None) -> bytes:
    """The bytes of `frame` in format `fmt` (one of FORMATS)."""
    if fmt == "csv":
        return to_french_csv(frame)
    if fmt == "csv-brut":
        return to_plain_csv(frame)
    if fmt == "xlsx":
        return to_xlsx(frame, dataset, dictionary)
    if fmt == "parquet":
        return to_parquet(frame, dataset)
    raise ValueError(f"format inconnu : {fmt}")
