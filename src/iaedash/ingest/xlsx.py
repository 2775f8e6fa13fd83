"""Read the sheets of an .xlsx workbook, bounded: the archive is measured before anything is unzipped.

Why not openpyxl here (it still writes our workbooks): a submission workbook comes from outside, and
openpyxl's reader trusts what the file says — it unzips a part whatever its size, fills every row up to
a declared row number (a row numbered 2,000,000,000 is two billion empty rows), takes the second of two
rows with one number silently, and stops with a traceback on a bad shared-string or style index. This
reader checks the archive's parts against `limits` first (count, unpacked sizes, encryption,
compression), parses the XML with defusedxml (no DTD, no entity), reads rows sparsely by their own
numbers, and refuses what a sheet cannot hold in French, naming the cell. It reads only what the checks
need: values as shown (a percent-formatted 0.5 is « 50 % », a date-formatted number a date), cached
results of formulas, texts shared or inline.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal, InvalidOperation
from posixpath import dirname, join, normpath
from typing import IO, Any
from xml.etree.ElementTree import Element, ParseError
from xml.etree.ElementTree import iterparse as fast_iterparse

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring, iterparse
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from iaedash.ingest import limits
from iaedash.ingest.fields import is_blank, normalise_header
from iaedash.ingest.limits import Limits, shown_bytes, shown_count
from iaedash.ingest.problems import Problem
from iaedash.ingest.read import KINDS, RawTable, UnreadableFile

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_STRICT_DOC_REL = "http://purl.oclc.org/ooxml/officeDocument/relationships"
_DIGITS = "0123456789"
_LETTERS = re.compile(r"^[A-Z]{1,3}$")
_RANGE = re.compile(r"^\$?[A-Za-z]{1,3}\$?\d+:\$?([A-Za-z]{1,3})\$?(\d+)$")
_NUMBER_DIGITS = 30  # a longer number is handed on as text: the checks name it « trop grand »

DAMAGED = "classeur .xlsx illisible ou endommagé : ouvrez-le dans Excel ou LibreOffice et enregistrez-le à nouveau"
_SAVE_AGAIN = "ouvrez-le dans Excel ou LibreOffice et enregistrez-le à nouveau en .xlsx"


class _Refused(Exception):
    def __init__(self, message: str, line: int | None = None, column: str | None = None) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def column_letters(index: int) -> str:
    """1 → A, 27 → AA: how a spreadsheet names a column."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: str) -> int:
    index = 0
    for char in letters.upper():
        index = index * 26 + ord(char) - 64
    return index


def read_workbook(file_name: str, data: bytes, bound: Limits = limits.SUBMISSION) -> list[RawTable]:
    """Every sheet named after a kind (other sheets, e.g. instructions, are ignored)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError, OSError):
        raise UnreadableFile(Problem(file_name, f"{DAMAGED} (archive incomplète ou abîmée)")) from None
    try:
        with archive:
            return _Workbook(file_name, archive, bound).tables()
    except _Refused as refused:
        raise UnreadableFile(Problem(file_name, refused.message, refused.line, refused.column)) from None
    except _SheetRefused as refused:
        raise UnreadableFile(refused.problem) from None
    except DefusedXmlException:
        raise UnreadableFile(
            Problem(
                file_name,
                f"classeur refusé : il déclare une DTD ou des entités XML, ce qu'Excel n'écrit pas ; {_SAVE_AGAIN}",
            )
        ) from None
    except (zipfile.BadZipFile, ParseError, zlib.error, EOFError, OSError, KeyError, ValueError):
        raise UnreadableFile(Problem(file_name, DAMAGED)) from None


_ELEMENT = re.compile(rb"<[A-Za-z_:]")
_PROLOG_BYTES = 1 << 16


class _Prefixed(io.RawIOBase):
    """A stream whose first bytes were read already (to look at its prolog), given back in order."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self.head, self.rest = head, rest

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self.head:
            chunk, self.head = (
                (self.head, b"")
                if size < 0 or size >= len(self.head)
                else (
                    self.head[:size],
                    self.head[size:],
                )
            )
            return chunk
        return self.rest.read(size)


def _iterparse(stream: IO[bytes]) -> Iterator[tuple[str, Element]]:
    """End events of a part, refusing any DTD (so no entity can be declared, nor fetched).

    A DTD can only stand in the prolog, before the first element: when the prolog is plain bytes and holds
    none, the part is parsed by the C parser (defusedxml's Python-level parser is 3× slower on a big sheet);
    otherwise (an UTF-16 part, a prolog longer than 64 kB) by defusedxml, which refuses it if it has one.
    """
    head = stream.read(_PROLOG_BYTES)
    root = _ELEMENT.search(head)
    if root is None or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return iterparse(_Prefixed(head, stream), events=("end",), forbid_dtd=True)
    if b"<!DOCTYPE" in head[: root.start()]:
        raise DefusedXmlException("DTD")
    return fast_iterparse(_Prefixed(head, stream), events=("end",))


class _SheetRefused(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class _Workbook:
    def __init__(self, file_name: str, archive: zipfile.ZipFile, bound: Limits) -> None:
        self.file_name, self.archive, self.bound = file_name, archive, bound
        self.parts = {info.filename: info for info in archive.infolist()}
        self._check_archive(archive.infolist())

    def _check_archive(self, infos: list[zipfile.ZipInfo]) -> None:
        bound = self.bound
        if len(infos) > bound.parts:
            raise _Refused(
                f"classeur refusé : l'archive compte {shown_count(len(infos))} parties, au-delà de la limite de "
                f"{shown_count(bound.parts)} ; {_SAVE_AGAIN}"
            )
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise _Refused(
                    "classeur chiffré (partie « " + info.filename + " ») : enlevez le mot de passe dans Excel "
                    "(Fichier > Informations > Protéger le classeur) et enregistrez-le en .xlsx"
                )
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise _Refused(
                    f"classeur compressé d'une façon qu'Excel n'emploie pas (méthode {info.compress_type}, partie "
                    f"« {info.filename} ») ; {_SAVE_AGAIN}"
                )
            total += info.file_size
            if info.file_size > bound.unpacked_bytes or total > bound.unpacked_bytes:
                raise _Refused(
                    f"classeur refusé : une fois décompressé il dépasse {shown_bytes(bound.unpacked_bytes)}, la "
                    "limite d'un dépôt (une partie gonflée, ou un tableau bien plus grand qu'un trimestre) ; "
                    "envoyez le seul tableau du trimestre"
                )

    def _open(self, name: str) -> IO[bytes]:
        return self.archive.open(self.parts[name])

    def _xml(self, name: str) -> Element:
        with self._open(name) as stream:
            return fromstring(stream.read(), forbid_dtd=True)

    def _relations(self, name: str) -> dict[str, tuple[str, str]]:
        """Relationship id → (type's last word, part name) of a part, targets resolved from its folder."""
        folder = dirname(dirname(name))  # xl/_rels/workbook.xml.rels → xl
        found = {}
        if name not in self.parts:
            return found
        for rel in self._xml(name):
            target = rel.get("Target", "")
            if rel.get("TargetMode") == "External" or not target:
                continue
            part = normpath(target.lstrip("/") if target.startswith("/") else join(folder, target))
            found[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], part)
        return found

    def tables(self) -> list[RawTable]:
        if "[Content_Types].xml" in self.parts:  # what a spreadsheet reads first: broken, it opens nothing
            self._xml("[Content_Types].xml")
        root_rels = self._relations("_rels/.rels")
        book = next((part for kind, part in root_rels.values() if kind == "officeDocument"), "xl/workbook.xml")
        if book not in self.parts:
            raise _Refused(
                "archive .zip qui n'est pas un classeur Excel (aucune partie « classeur ») : envoyez le .xlsx "
                "enregistré par Excel ou LibreOffice, ou un CSV"
            )
        rels = self._relations(join(dirname(book), "_rels", book.rsplit("/", 1)[-1] + ".rels"))
        workbook = self._xml(book)
        ns = workbook.tag[1:].split("}", 1)[0] if workbook.tag.startswith("{") else ""
        if ns not in (_MAIN, _STRICT):
            raise _Refused(f"{DAMAGED} (partie « {book} » inattendue)")
        self.tag = {name: f"{{{ns}}}{name}" for name in ("sheet", "row", "c", "v", "is", "t", "r", "si", "dimension")}
        properties = workbook.find(f"{{{ns}}}workbookPr")
        date1904 = properties is not None and properties.get("date1904", "0").lower() in ("1", "true")
        self.epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        wanted: dict[str, tuple[str, str]] = {}
        for sheet in workbook.iter(self.tag["sheet"]):
            title = sheet.get("name", "")
            kind = normalise_header(title)
            if kind not in KINDS:
                continue
            rid = sheet.get(f"{{{_DOC_REL}}}id") or sheet.get(f"{{{_STRICT_DOC_REL}}}id") or ""
            if rid not in rels or rels[rid][1] not in self.parts:
                raise _Refused(f"{DAMAGED} (l'onglet « {title} » n'a pas de contenu)")
            if kind in wanted:
                raise _Refused(
                    f"deux onglets du même type dans le classeur : « {wanted[kind][0]} » et « {title} » ; "
                    "gardez-en un seul (un fichier ne porte qu'une version d'un trimestre)"
                )
            wanted[kind] = (title, rels[rid][1])
        if not wanted:
            raise _Refused("aucun onglet nommé indicateurs, personnel ou conventions dans le classeur")
        parts = {kind: part for kind, part in rels.values()}
        self.strings = self._shared_strings(parts.get("sharedStrings"))
        self.styles = self._style_kinds(parts.get("styles"))
        return [self._sheet(title, kind, part) for kind, (title, part) in wanted.items()]

    def _shared_strings(self, part: str | None) -> list[str]:
        if part is None or part not in self.parts:
            return []
        strings: list[str] = []
        si, t, r = self.tag["si"], self.tag["t"], self.tag["r"]
        with self._open(part) as stream:
            for _, element in _iterparse(stream):
                if element.tag != si:
                    continue
                texts = []
                for child in element:  # runs of rich text; phonetic guides (rPh) are not what is shown
                    if child.tag == t:
                        texts.append(child.text or "")
                    elif child.tag == r:
                        texts.extend(run.text or "" for run in child if run.tag == t)
                strings.append("".join(texts))
                element.clear()
                if len(strings) > self.bound.shared_strings:
                    raise _Refused(
                        f"classeur refusé : plus de {shown_count(self.bound.shared_strings)} textes distincts, "
                        "au-delà de la limite d'un dépôt ; envoyez le seul tableau du trimestre"
                    )
        return strings

    def _style_kinds(self, part: str | None) -> list[str | None]:
        """Per cell style: « percent », « date » or None — all the checks need of a number's format."""
        if part is None or part not in self.parts:
            return []
        styles = self._xml(part)
        ns = styles.tag[: styles.tag.index("}") + 1] if styles.tag.startswith("{") else ""
        custom = {}
        formats = styles.find(f"{ns}numFmts")
        for fmt in formats if formats is not None else ():
            custom[fmt.get("numFmtId", "")] = fmt.get("formatCode", "")
        kinds: list[str | None] = []
        cell_xfs = styles.find(f"{ns}cellXfs")
        for xf in cell_xfs if cell_xfs is not None else ():
            ident = xf.get("numFmtId", "0")
            code = custom.get(ident) or BUILTIN_FORMATS.get(int(ident) if ident.isdigit() else -1, "General")
            kinds.append("date" if is_date_format(code) else "percent" if "%" in code else None)
        return kinds

    def _sheet(self, title: str, kind: str, part: str) -> RawTable:
        reader = _SheetReader(self, title, part)
        try:
            rows = reader.rows()
            first = next(rows, None)
            headers = [] if first is None else ["" if v is None else str(v) for v in first[1]]
            while headers and not headers[-1].strip():
                headers.pop()
            table = RawTable(self.file_name, title, headers, kind=kind, header_line=1 if first is None else first[0])
            width = len(headers)
            for line, values in rows:  # every row as wide as the header, as the checks read it
                if len(values) < width:
                    values.extend([None] * (width - len(values)))
                table.rows.append((line, values))
        except _Refused as refused:
            raise _SheetRefused(Problem(self.file_name, refused.message, refused.line, refused.column, title)) from None
        return table


class _SheetReader:
    """Rows of one sheet as (line, values), blank rows skipped, each row numbered as the sheet numbers it."""

    def __init__(self, book: _Workbook, title: str, part: str) -> None:
        self.book, self.title, self.part = book, title, part
        self.bound = book.bound
        self.last_line = min(self.bound.rows + 1, limits.EXCEL_LAST_ROW)  # header + data rows
        self.style_of: dict[str, str | None] = {}
        self.columns: dict[str, int] = {}  # « AB » → 28, as met

    def _column(self, letters: str, ref: str, line: int) -> int:
        if not _LETTERS.match(letters):
            raise _Refused(f"{DAMAGED} (cellule « {ref[:20]} » rangée dans la ligne {line})", line)
        self.columns[letters] = _column_index(letters)
        return self.columns[letters]

    def _too_many(self, where: str, line: int | None = None) -> _Refused:
        return _Refused(
            f"l'onglet va jusqu'à {where}, au-delà de la limite de {shown_count(self.bound.rows)} lignes ou "
            f"{shown_count(self.bound.columns)} colonnes par fichier : supprimez les lignes et colonnes vides "
            "sous et à droite du tableau, puis enregistrez à nouveau",
            line,
        )

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        tag = self.book.tag
        row_tag, cell_tag, dimension = tag["row"], tag["c"], tag["dimension"]
        previous = 0
        with self.book._open(self.part) as stream:
            for _, element in _iterparse(stream):
                if element.tag == dimension:
                    self._check_dimension(element.get("ref", ""))
                    continue
                if element.tag != row_tag:
                    continue
                number = element.get("r")
                line = previous + 1 if number is None else self._line(number)
                if line <= previous:
                    shown = "ces deux lignes" if line == previous else "cette ligne et la précédente"
                    raise _Refused(
                        f"deux lignes de l'onglet portent le numéro {line} ({shown} dans le fichier) : classeur "
                        f"abîmé ou produit par un autre outil ; {_SAVE_AGAIN}",
                        line,
                    )
                previous = line
                values = self._values(element, cell_tag, line)
                element.clear()
                if values is None:
                    continue
                if line > self.last_line:
                    raise self._too_many(f"la ligne {shown_count(line)}", line)
                yield line, values

    def _line(self, number: str) -> int:
        if not number.isdigit() or len(number) > 7 or int(number) > limits.EXCEL_LAST_ROW:
            raise _Refused(
                f"une ligne de l'onglet porte le numéro « {number[:20]} », qu'aucun tableur ne peut avoir "
                f"(au plus {shown_count(limits.EXCEL_LAST_ROW)}) : classeur abîmé ; {_SAVE_AGAIN}"
            )
        return int(number)

    def _check_dimension(self, ref: str) -> None:
        match = _RANGE.match(ref.strip())
        if not match:
            return  # one cell (« A1 ») or nothing declared: rows are checked one by one anyway
        last_column, last_row = _column_index(match.group(1)), int(match.group(2))
        if last_row > self.last_line or last_column > self.bound.columns:
            raise self._too_many(f"la cellule {match.group(1).upper()}{shown_count(last_row)} (zone déclarée {ref})")

    def _values(self, row: Element, cell_tag: str, line: int) -> list[Any] | None:
        """The row's values by column (None where empty), or None for a row with nothing in it."""
        cells: dict[int, Any] = {}
        column = 0
        number, columns = str(line), self.columns
        for cell in row:
            if cell.tag != cell_tag:
                continue
            ref = cell.get("r")
            if ref is None:
                column += 1
            else:
                letters = ref.rstrip(_DIGITS)
                if ref[len(letters) :] != number:
                    raise _Refused(f"{DAMAGED} (cellule « {ref[:20]} » rangée dans la ligne {line})", line)
                column = columns.get(letters) or self._column(letters, ref, line)
            if column > self.bound.columns:
                raise self._too_many(f"la colonne {column_letters(column)}")
            if column in cells:
                raise _Refused(
                    f"deux cellules {column_letters(column)}{line} dans l'onglet : classeur abîmé ; {_SAVE_AGAIN}",
                    line,
                    column_letters(column),
                )
            value = self._value(cell, line, column)
            if value is not None:
                cells[column] = value
        if not cells or all(is_blank(v) for v in cells.values()):
            return None
        values: list[Any] = [None] * max(cells)
        for index, value in cells.items():
            values[index - 1] = value
        return values

    def _value(self, cell: Element, line: int, column: int) -> Any:
        kind = cell.get("t")
        tag = self.book.tag
        if kind == "inlineStr":
            inline = cell.find(tag["is"])
            return None if inline is None else "".join(t.text or "" for t in inline.iter(tag["t"]))
        v = cell.find(tag["v"])
        text = None if v is None else v.text
        if text is None:
            return None
        if kind == "s":
            strings = self.book.strings
            if not text.isdigit() or int(text) >= len(strings):
                raise _Refused(
                    f"la cellule renvoie au texte partagé n° {text[:20]}, absent du classeur (il en compte "
                    f"{shown_count(len(strings))}) : classeur abîmé ; {_SAVE_AGAIN}",
                    line,
                    column_letters(column),
                )
            return strings[int(text)]
        if kind in ("str", "e"):
            return text
        if kind == "b":
            return text.strip() in ("1", "true")
        if kind == "d":
            try:
                return datetime.fromisoformat(text.strip())
            except ValueError:
                return text
        return self._number(text, cell.get("s"), line, column)

    def _number(self, text: str, style: str | None, line: int, column: int) -> Any:
        shown = self._style(style, line, column) if style is not None else None
        stripped = text.strip()
        if len(stripped) > _NUMBER_DIGITS:
            return stripped
        try:
            number: int | float = float(stripped) if any(c in stripped for c in ".eE") else int(stripped)
        except ValueError:
            return stripped  # not a number at all: the checks say so, naming it
        if shown == "percent":
            try:
                # as a spreadsheet shows it: 0.07 written 0.07000000000000001 is 7 %
                return f"{format((Decimal(repr(float(stripped))) * 100).normalize(), 'f')} %"
            except (InvalidOperation, ValueError):
                return stripped
        if shown == "date":
            try:
                return from_excel(number, self.book.epoch)
            except (ValueError, OverflowError, TypeError):
                return number
        return number

    def _style(self, style: str, line: int, column: int) -> str | None:
        try:
            return self.style_of[style]
        except KeyError:
            pass
        kinds = self.book.styles
        if not style.isdigit() or (int(style) >= len(kinds) and int(style) > 0):
            raise _Refused(
                f"la cellule a le style n° {style[:20]}, absent du classeur (il en compte {shown_count(len(kinds))}) : "
                f"classeur abîmé ; {_SAVE_AGAIN}",
                line,
                column_letters(column),
            )
        self.style_of[style] = kinds[int(style)] if int(style) < len(kinds) else None
        return self.style_of[style]
