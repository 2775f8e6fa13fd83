"""Turn the bytes of a CSV or .xlsx file into raw tables with spreadsheet line numbers.

Nothing is interpreted here but the container: encoding, separator, sheets.
"""

from __future__ import annotations

import csv
import io
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from iaedash.ingest import limits
from iaedash.ingest.fields import is_blank
from iaedash.ingest.limits import Limits, shown_bytes, shown_count
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


def check_regular(path: Path, bound: Limits) -> int:
    """The size of a regular file within the limit (for readers that stream it: a bulk file), else
    `UnreadableFile`; looked at without opening it, so a FIFO cannot block."""
    try:
        info = path.stat()
    except OSError as error:
        raise UnreadableFile(Problem(str(path), unreadable_reason(error))) from None
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableFile(Problem(str(path), f"fichier introuvable ou illisible ({_not_regular(info.st_mode)})"))
    if info.st_size > bound.file_bytes:
        raise UnreadableFile(too_big(str(path), info.st_size, bound))
    return info.st_size


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


def read_csv(file_name: str, data: bytes, bound: Limits = limits.SUBMISSION) -> RawTable:
    try:
        text = decode(data)
    except UnicodeDecodeError:
        raise UnreadableFile(
            Problem(file_name, "encodage illisible : enregistrez le fichier en CSV UTF-8 ou CSV (point-virgule)")
        ) from None
    first = next((line for line in io.StringIO(text, newline=None) if line.strip()), None)
    if first is None:
        raise UnreadableFile(Problem(file_name, "le fichier est vide", line=1))
    sep = sniff_separator(first)
    # One record is one spreadsheet row, even when a quoted cell holds a line break: number records, not lines.
    table: RawTable | None = None
    width = 0
    try:
        for index, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=sep)):
            if len(row) > bound.columns:
                raise UnreadableFile(_too_wide(file_name, index + 1, len(row), bound))
            if table is None:
                if any(c.strip() for c in row):
                    headers = _without_blank_tail(row)
                    table = RawTable(file_name, None, headers, header_line=index + 1)
                    width = len(headers)
                continue
            if len(row) > width and not any(row[width:]):  # a stray keystroke far right: empty columns
                row = row[:width]
            if not all(is_blank(c) for c in row):
                if len(table.rows) >= bound.rows:
                    raise UnreadableFile(_too_long(file_name, index + 1, bound))
                table.rows.append((index + 1, row))
    except csv.Error:
        raise UnreadableFile(Problem(file_name, CSV_TOO_LONG_CELL)) from None
    if table is None:  # separators only: what Excel saves for an empty sheet
        raise UnreadableFile(Problem(file_name, "le fichier est vide (aucune cellule remplie)", line=1))
    return table


def _without_blank_tail(row: list[str]) -> list[str]:
    end = len(row)
    while end and not row[end - 1].strip():
        end -= 1
    return row[:end]


def _too_wide(file_name: str, line: int, count: int, bound: Limits) -> Problem:
    return Problem(
        file_name,
        f"{shown_count(count)} colonnes sur cette ligne, au-delà de la limite de {shown_count(bound.columns)} : "
        "supprimez les colonnes vides à droite du tableau",
        line,
    )


def _too_long(file_name: str, line: int, bound: Limits) -> Problem:
    return Problem(
        file_name,
        f"plus de {shown_count(bound.rows)} lignes de données, la limite d'un fichier : découpez-le (un fichier par "
        "trimestre et par réseau)",
        line,
    )


def read_xlsx(file_name: str, data: bytes) -> list[RawTable]:
    """Every sheet named after a kind, read by the bounded reader (`ingest.xlsx`)."""
    from iaedash.ingest.xlsx import read_workbook

    return read_workbook(file_name, data)


_SIGNATURES = (  # what a file renamed .xlsx or .csv often really is
    (b"\x89PNG\r\n\x1a\n", "une image PNG"),
    (b"\xff\xd8\xff", "une image JPEG"),
    (b"GIF8", "une image GIF"),
    (b"%PDF-", "un document PDF"),
    (b"\x1f\x8b", "une archive gzip"),
    (b"7z\xbc\xaf\x27\x1c", "une archive 7-Zip"),
    (b"Rar!", "une archive RAR"),
)
_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .xls, .doc — and of a password-protected .xlsx
_SEND = "envoyez le classeur .xlsx ou le CSV du dépôt (modèle : iaedash template)"


def _looks_utf16(sample: bytes) -> bool:
    """UTF-16 without its mark: text of Latin letters has a zero byte in every other place, and only there."""
    even, odd = sample[0::2], sample[1::2]
    if len(odd) < 8:
        return False
    for zeros, other in ((odd, even), (even, odd)):
        if zeros.count(0) >= 0.9 * len(zeros) and other.count(0) <= 0.1 * len(other):
            return True
    return False


def container_problem(file_name: str, data: bytes) -> Problem | None:
    """A file that is no CSV nor .xlsx, told by its first bytes: what it is and what to send instead."""
    if data.startswith(_CFB):
        if "EncryptedPackage".encode("utf-16-le") in data:
            return Problem(
                file_name,
                "classeur protégé par un mot de passe : ouvrez-le dans Excel, enlevez le mot de passe (Fichier > "
                "Informations > Protéger le classeur > Chiffrer avec mot de passe, laisser vide) et enregistrez-le "
                "en .xlsx",
            )
        return Problem(file_name, "ancien format Excel 97-2003 (.xls) : enregistrez-le en classeur Excel (.xlsx)")
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            return Problem(file_name, f"ce fichier est {what}, pas un tableau : {_SEND}")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(data[:4096]):
        return Problem(
            file_name,
            "fichier texte en UTF-16 (« Texte Unicode » d'Excel) : enregistrez-le en « CSV UTF-8 (délimité par "
            "des virgules) » ou « CSV (séparateur : point-virgule) »",
        )
    zero = data.find(b"\x00")
    if zero >= 0:
        line = data.count(b"\n", 0, zero) + 1
        return Problem(
            file_name,
            "caractère nul (octet 0) dans le fichier : ce n'est pas un texte CSV (fichier binaire ou abîmé) ; " + _SEND,
            line=line,
        )
    if file_name.lower().endswith(".xlsx"):
        return Problem(file_name, f"ce fichier porte l'extension .xlsx mais n'est pas un classeur Excel : {_SEND}")
    return None


def check_name(file_name: str) -> None:
    """A name the kept copy can carry whole (`limits.NAME_BYTES`), else `UnreadableFile`."""
    size = len(file_name.encode("utf-8", "surrogateescape"))
    if size > limits.NAME_BYTES:
        raise UnreadableFile(
            Problem(
                file_name,
                f"nom de fichier trop long ({size} octets, {limits.NAME_BYTES} au plus : la copie conservée porte "
                "ce nom en entier) : raccourcissez-le, par exemple RESEAU_2025_T1_indicateurs.csv",
            )
        )


def read_file(file_name: str, data: bytes, bound: Limits = limits.SUBMISSION) -> list[RawTable]:
    """Tables of a file, by its content: an .xlsx is a zip archive, anything else is read as CSV."""
    check_name(file_name)
    if len(data) > bound.file_bytes:
        raise UnreadableFile(too_big(file_name, len(data), bound))
    if file_name.lower().endswith((".xls", ".xlsm", ".xlsb", ".ods", ".numbers")):
        raise UnreadableFile(Problem(file_name, "format non pris en charge : envoyez un .xlsx ou un .csv"))
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return read_xlsx(file_name, data)
    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        raise UnreadableFile(Problem(file_name, "le fichier est vide", line=1))
    problem = container_problem(file_name, data)
    if problem is not None:
        raise UnreadableFile(problem)
    return [read_csv(file_name, data, bound)]
