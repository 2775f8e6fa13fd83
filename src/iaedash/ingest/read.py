"""Turn the bytes of a CSV or .xlsx file into raw tables with spreadsheet line numbers.

Nothing is interpreted here but the container: encoding, separator, sheets.
"""

from __future__ import annotations

import csv
import io
import os
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from iaedash.ingest import limits
from iaedash.ingest.fields import is_blank, normalise_header
from iaedash.ingest.limits import Limits, shown_bytes
from iaedash.ingest.problems import Problem

KINDS = ("indicateurs", "personnel", "conventions")

# A comment pasted from a document can be long: let the checks say « texte trop long » instead of csv failing.
csv.field_size_limit(max(csv.field_size_limit(), 10_000_000))


@dataclass
class RawTable:
    """One sheet or one CSV: headers as written and rows as (line number, cells)."""

    file_name: str
    sheet: str | None
    headers: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    kind: str | None = None  # known from the sheet name; for a CSV, told by its header later
    header_line: int = 1  # blank lines above the header shift it down


CSV_TOO_LONG_CELL = (
    "une cellule dépasse 10 millions de caractères (souvent un guillemet ouvert et jamais fermé) : "
    "vérifiez les guillemets du fichier"
)


class UnreadableFile(Exception):
    """The container itself cannot be read; carries the problem to report."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, the two encodings French Excel writes."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def sniff_separator(first_line: str) -> str:
    """`;` or `,`, whichever splits the header line (quotes respected)."""
    counts = {}
    for sep in (";", ","):
        counts[sep] = len(next(csv.reader([first_line], delimiter=sep))) - 1
    return ";" if counts[";"] >= counts[","] and counts[";"] > 0 else ","


def unreadable_reason(error: OSError) -> str:
    """Why a path cannot be read, in French (the system's own reason is in English)."""
    if isinstance(error, FileNotFoundError):
        why = "aucun fichier à ce chemin"
    elif isinstance(error, IsADirectoryError):
        why = "c'est un dossier, pas un fichier"
    elif isinstance(error, PermissionError):
        why = "lecture refusée par les droits du fichier"
    else:
        why = "erreur du système de fichiers"
    return f"fichier introuvable ou illisible ({why})"


def _not_regular(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "c'est un dossier, pas un fichier"
    if stat.S_ISFIFO(mode):
        return "c'est un tube (FIFO), pas un fichier ordinaire"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "c'est un périphérique, pas un fichier ordinaire"
    if stat.S_ISSOCK(mode):
        return "c'est une prise réseau (socket), pas un fichier ordinaire"
    return "ce n'est pas un fichier ordinaire"


def too_big(file_name: str, size: int, bound: Limits) -> Problem:
    return Problem(
        file_name,
        f"fichier trop volumineux ({shown_bytes(size)}) : la limite est de {shown_bytes(bound.file_bytes)} par "
        "fichier ; découpez-le (un fichier par trimestre et par réseau) ou enlevez ce qui n'est pas le tableau",
    )


def read_path(path: Path, bound: Limits = limits.SUBMISSION) -> bytes:
    """The bytes of a regular file within the size limit, else `UnreadableFile`.

    Opened without blocking and checked on the open descriptor (no race with a rename): a FIFO, a device or
    a folder is refused before any read, and at most the limit plus one byte is ever read, so a file that
    grows while read (or reads like /dev/zero) cannot take the memory. A symbolic link is followed.
    """
    name = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        raise UnreadableFile(Problem(name, unreadable_reason(error))) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile(Problem(name, f"fichier introuvable ou illisible ({_not_regular(info.st_mode)})"))
        if info.st_size > bound.file_bytes:
            raise UnreadableFile(too_big(name, info.st_size, bound))
        chunks, left = [], bound.file_bytes + 1
        while left > 0:
            try:
                chunk = os.read(fd, min(left, 1 << 20))
            except OSError as error:
                raise UnreadableFile(Problem(name, unreadable_reason(error))) from None
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > bound.file_bytes:  # grew while read
            raise UnreadableFile(too_big(name, len(data), bound))
        return data
    finally:
        os.close(fd)


def read_csv(file_name: str, data: bytes) -> RawTable:
    try:
        text = decode(data)
    except UnicodeDecodeError:
        raise UnreadableFile(
            Problem(file_name, "encodage illisible : enregistrez le fichier en CSV UTF-8 ou CSV (point-virgule)")
        ) from None
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), None)
    if first is None:
        raise UnreadableFile(Problem(file_name, "le fichier est vide", line=1))
    sep = sniff_separator(first)
    # One record is one spreadsheet row, even when a quoted cell holds a line break: number records, not lines.
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    except csv.Error:
        raise UnreadableFile(Problem(file_name, CSV_TOO_LONG_CELL)) from None
    header_index = next((i for i, row in enumerate(rows) if any(c.strip() for c in row)), None)
    if header_index is None:  # separators only: what Excel saves for an empty sheet
        raise UnreadableFile(Problem(file_name, "le fichier est vide (aucune cellule remplie)", line=1))
    table = RawTable(file_name, None, rows[header_index], header_line=header_index + 1)
    for index in range(header_index + 1, len(rows)):
        if not all(is_blank(c) for c in rows[index]):
            table.rows.append((index + 1, rows[index]))
    return table


def _xlsx_value(cell: Any) -> Any:
    """A percent-formatted cell holds 0.5 for 50 %: give back what the person saw."""
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        fmt = getattr(cell, "number_format", "") or ""
        if "%" in fmt:
            return f"{format((Decimal(repr(value)) * 100).normalize(), 'f')} %"
    return value


def read_xlsx(file_name: str, data: bytes) -> list[RawTable]:
    """Every sheet named after a kind (other sheets, e.g. instructions, are ignored)."""
    from openpyxl import load_workbook

    try:
        return _read_sheets(file_name, load_workbook(io.BytesIO(data), read_only=True, data_only=True))
    except UnreadableFile:
        raise
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError, EOFError, SyntaxError, zlib.error):
        # read-only mode parses sheets lazily: damage can surface while iterating rows, not only on open;
        # SyntaxError covers both ElementTree and lxml (which openpyxl uses when installed) parse errors
        raise UnreadableFile(Problem(file_name, "classeur .xlsx illisible ou endommagé")) from None


def _read_sheets(file_name: str, book: Any) -> list[RawTable]:
    tables = []
    try:
        for sheet in book.worksheets:
            kind = normalise_header(sheet.title)
            if kind not in KINDS:
                continue
            rows = sheet.iter_rows()
            header_cells = next(rows, ())
            headers = [("" if c.value is None else str(c.value)) for c in header_cells]
            while headers and not headers[-1].strip():
                headers.pop()
            table = RawTable(file_name, sheet.title, headers, kind=kind)
            for line, cells in enumerate(rows, start=2):  # openpyxl fills skipped rows, so this is the row
                values = [_xlsx_value(c) for c in cells]
                if all(is_blank(v) for v in values):
                    continue
                table.rows.append((line, values))
            tables.append(table)
    finally:
        book.close()
    if not tables:
        raise UnreadableFile(
            Problem(file_name, "aucun onglet nommé indicateurs, personnel ou conventions dans le classeur")
        )
    return tables


def read_file(file_name: str, data: bytes) -> list[RawTable]:
    """Tables of a file, by its content: an .xlsx is a zip archive, anything else is read as CSV."""
    if not data.strip():
        raise UnreadableFile(Problem(file_name, "le fichier est vide", line=1))
    if file_name.lower().endswith((".xls", ".xlsm", ".xlsb", ".ods", ".numbers")):
        raise UnreadableFile(Problem(file_name, "format non pris en charge : envoyez un .xlsx ou un .csv"))
    if data.startswith(b"PK\x03\x04"):
        return read_xlsx(file_name, data)
    return [read_csv(file_name, data)]
