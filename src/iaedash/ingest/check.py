"""Check a raw table against the submission format v1 and type its rows.

Every problem of a table is collected before anything is decided, so a network
head gets the whole list at once (pandera's way), each naming line, column and value.
Checks that need the database (is there a convention?) are in `load`.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from iaedash.domain.calls import Call, quarter_of_month
from iaedash.domain.reference import (
    DEFAULT_TERRITORY,
    INDICATOR_CODES,
    ORIENTATION_CODES,
    TERRITORY_CODES,
)
from iaedash.domain.staff import planned_total_cost
from iaedash.formatting import format_euros, format_number
from iaedash.ingest import fields as f
from iaedash.ingest.problems import Problem
from iaedash.ingest.read import KINDS, RawTable

_REQUIRED = object()  # marker: an empty cell is an error


@dataclass(frozen=True)
class Column:
    name: str
    parse: f.Parser
    required: bool = True  # the column must be in the header
    if_blank: Any = _REQUIRED  # value of an empty cell; _REQUIRED makes it an error


TARGET_COLUMNS = tuple(f"objectif_{code.lower()}" for code in INDICATOR_CODES)

COLUMNS: dict[str, tuple[Column, ...]] = {
    "indicateurs": (
        Column("reseau", f.parse_network_head),
        Column("annee", f.parse_year),
        Column("trimestre", f.parse_quarter),
        Column("orientation", f.parse_code(ORIENTATION_CODES)),
        Column("indicateur", f.parse_code(INDICATOR_CODES)),
        Column("territoire", f.parse_code(TERRITORY_CODES), required=False, if_blank=DEFAULT_TERRITORY),
        Column("valeur", f.parse_count),
        Column("commentaire", f.parse_text, required=False, if_blank=None),
    ),
    "personnel": (
        Column("reseau", f.parse_network_head),
        Column("annee", f.parse_year),
        Column("mois", f.parse_month),
        Column("salarie", f.parse_employee),
        Column("fonction", f.parse_text),
        Column("fonction_support", f.parse_yes_no),
        Column("cout_mensuel", f.parse_money),
        Column("taux_affectation", f.parse_rate),
    ),
    "conventions": (
        Column("reseau", f.parse_network_head),
        Column("nom", f.parse_text),
        Column("annee", f.parse_year),
        Column("date_debut", f.parse_date),
        Column("date_fin", f.parse_date),
        Column("cout_personnel_prevu", f.parse_money),
        Column("montant_fse", f.parse_money),
        Column("contrepartie_departement", f.parse_money),
        Column("autofinancement", f.parse_money),
        Column("avance_versee", f.parse_money, required=False, if_blank=Decimal("0.00")),
        Column("date_avance", f.parse_date, required=False, if_blank=None),
        *(Column(name, f.parse_count, required=False, if_blank=None) for name in TARGET_COLUMNS),
    ),
}

# A header that only one kind has tells the kind of a CSV.
_TELLING = {
    "indicateurs": {"indicateur", "orientation", "valeur", "trimestre"},
    "personnel": {"salarie", "mois", "cout_mensuel", "taux_affectation", "fonction_support"},
    "conventions": {"cout_personnel_prevu", "montant_fse", "contrepartie_departement", "nom"},
}


@dataclass(frozen=True)
class IndicatorRow:
    orientation: str
    indicator: str
    territory: str
    value: int
    comment: str | None
    line: int


@dataclass(frozen=True)
class StaffRow:
    month: int
    employee: str
    job_title: str
    support_function: bool
    monthly_cost: Decimal
    assignment_rate: Decimal
    line: int


@dataclass(frozen=True)
class ConventionRow:
    name: str
    start_date: date
    end_date: date
    planned_staff_cost: Decimal
    planned_total_cost: Decimal
    esf_amount: Decimal
    department_amount: Decimal
    self_financing: Decimal
    advance_paid: Decimal
    advance_date: date | None
    targets: dict[str, int | None]
    line: int


@dataclass
class Scope:
    """What one part of a file replaces: (kind, network head, year, quarter or None)."""

    kind: str  # indicateurs | personnel | conventions
    network_head: str
    year: int
    quarter: int | None
    rows: list[Any]
    first_line: int

    @property
    def key(self) -> tuple[str, str, int, int | None]:
        return (self.kind, self.network_head, self.year, self.quarter)


@dataclass
class CheckedTable:
    file_name: str
    sheet: str | None
    kind: str | None
    scopes: list[Scope] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def detect_kind(headers: list[str]) -> str | None:
    names = {f.normalise_header(h) for h in headers}
    scores = {kind: len(names & telling) for kind, telling in _TELLING.items()}
    best = max(scores.values())
    winners = [kind for kind, score in scores.items() if score == best]
    return winners[0] if best > 0 and len(winners) == 1 else None


class _Checker:
    def __init__(self, table: RawTable, calls: Mapping[int, Call]) -> None:
        self.table = table
        self.calls = calls
        self.problems: list[Problem] = []
        self.labels: dict[str, str] = {}  # column name → header as written

    def problem(self, message: str, line: int | None = None, column: str | None = None) -> None:
        label = self.labels.get(column, column) if column else None
        self.problems.append(Problem(self.table.file_name, message, line, label, self.table.sheet))

    def column_has_values(self, index: int) -> bool:
        """Whether a column without a header holds anything (the bulk path answers it column-wise)."""
        return any(index < len(cells) and not f.is_blank(cells[index]) for _, cells in self.table.rows)

    def map_headers(self, columns: tuple[Column, ...]) -> dict[str, int]:
        known = {f.normalise_header(c.name): c.name for c in columns}
        positions: dict[str, int] = {}
        unknown: list[tuple[str, str | None]] = []  # (header as written, closest known column)
        for index, header in enumerate(self.table.headers):
            norm = f.normalise_header(header)
            if not norm:
                if self.column_has_values(index):
                    message = f"colonne n° {index + 1} sans en-tête alors qu'elle contient des valeurs"
                    self.problem(message, self.table.header_line)
                continue
            name = known.get(norm)
            if name is None:
                close = difflib.get_close_matches(norm, list(known), n=1)
                unknown.append((header, known[close[0]] if close else None))
            elif name in positions:
                at = (self.table.header_line, header.strip(), self.table.sheet)
                self.problems.append(Problem(self.table.file_name, "colonne en double", *at))
            else:
                positions[name] = index
                self.labels[name] = header.strip()
        missing = [c.name for c in columns if c.required and c.name not in positions]
        expected = ", ".join(c.name for c in columns)
        for header, close in unknown:
            if close in missing:  # one typo, one message: the unknown header is the missing column
                missing.remove(close)
                detail = f"la colonne obligatoire « {close} » manque : vouliez-vous l'écrire ainsi ?"
            else:
                detail = f"vouliez-vous dire « {close} » ?" if close else f"colonnes attendues : {expected}"
            at = (self.table.header_line, header.strip(), self.table.sheet)
            self.problems.append(Problem(self.table.file_name, f"colonne inconnue {f.show(header)} ; {detail}", *at))
        for name in missing:
            self.problem(f"colonne obligatoire « {name} » absente", self.table.header_line, name)
        return positions

    def parse_rows(self, columns: tuple[Column, ...], positions: dict[str, int]) -> list[tuple[int, dict, bool]]:
        parsed = []
        width = len(self.table.headers)
        for line, cells in self.table.rows:
            before = len(self.problems)
            if any(not f.is_blank(c) for c in cells[width:]):
                self.problem(f"{len(cells)} valeurs pour {width} colonnes d'en-tête", line)
            record: dict[str, Any] = {}
            for column in columns:
                if column.name not in positions:
                    if not column.required:
                        record[column.name] = column.if_blank
                    continue
                index = positions[column.name]
                raw = cells[index] if index < len(cells) else None
                if f.is_blank(raw):
                    if column.if_blank is _REQUIRED:
                        self.problem("valeur manquante", line, column.name)
                    else:
                        record[column.name] = column.if_blank
                    continue
                try:
                    record[column.name] = column.parse(raw)
                except f.CellError as error:
                    self.problem(str(error), line, column.name)
            complete = all(c.name in positions for c in columns if c.required)
            parsed.append((line, record, complete and len(self.problems) == before))
        return parsed

    def need_call(self, year: int, line: int) -> None:
        if year not in self.calls:
            known = ", ".join(str(y) for y in sorted(self.calls)) or "aucune"
            message = f"aucun appel à projets n'est défini pour l'année {year} (années connues : {known})"
            self.problem(message, line, "annee")

    def same_everywhere(self, parsed: list[tuple[int, dict, bool]], names: tuple[str, ...], rule: str) -> dict:
        """The file-level columns (network head, year, quarter) must not vary between rows."""
        first: dict[str, tuple[Any, int]] = {}
        for line, record, _ in parsed:
            for name in names:
                if name not in record:
                    continue
                if name not in first:
                    first[name] = (record[name], line)
                elif record[name] != first[name][0]:
                    value, first_line = first[name]
                    self.problem(f"« {record[name]} » ici mais « {value} » ligne {first_line} : {rule}", line, name)
        return {name: value for name, (value, _) in first.items()}

    def duplicates(self, parsed: list[tuple[int, dict, bool]], key: tuple[str, ...], column: str) -> None:
        seen: dict[tuple, int] = {}
        for line, record, _ in parsed:
            if not all(k in record for k in key):
                continue
            value = tuple(record[k] for k in key)
            if value in seen:
                shown = " / ".join(str(v) for v in value)
                self.problem(f"doublon : {shown} figure déjà ligne {seen[value]}", line, column)
            else:
                seen[value] = line


def _no_rows(checker: _Checker) -> None:
    checker.problem("aucune ligne de données sous l'en-tête", checker.table.header_line)


def _check_indicators(c: _Checker, parsed: list) -> list[Scope]:
    ident = c.same_everywhere(
        parsed, ("reseau", "annee", "trimestre"), "un fichier ne contient qu'un réseau et un trimestre"
    )
    c.duplicates(parsed, ("orientation", "indicateur", "territoire"), "indicateur")
    if "annee" in ident:
        c.need_call(ident["annee"], parsed[0][0])
    if c.problems or len(ident) < 3:
        return []
    rows = [
        IndicatorRow(r["orientation"], r["indicateur"], r["territoire"], r["valeur"], r["commentaire"], line)
        for line, r, _ in parsed
    ]
    return [Scope("indicateurs", ident["reseau"], ident["annee"], ident["trimestre"], rows, parsed[0][0])]


def _check_staff(c: _Checker, parsed: list) -> list[Scope]:
    ident = c.same_everywhere(parsed, ("reseau", "annee"), "un fichier ne contient qu'un réseau et une année")
    quarter = None
    for line, record, _ in parsed:
        if "mois" not in record:
            continue
        q = quarter_of_month(record["mois"])
        if quarter is None:
            quarter, first_line = q, line
        elif q != quarter:
            c.problem(
                f"le mois {record['mois']} est au T{q} alors que la ligne {first_line} est au T{quarter} : "
                "un fichier de personnel ne couvre qu'un trimestre",
                line,
                "mois",
            )
    c.duplicates(parsed, ("salarie", "mois"), "salarie")
    if "annee" in ident:
        c.need_call(ident["annee"], parsed[0][0])
    if c.problems or len(ident) < 2 or quarter is None:
        return []
    rows = [
        StaffRow(
            r["mois"],
            r["salarie"],
            r["fonction"],
            r["fonction_support"],
            r["cout_mensuel"],
            r["taux_affectation"],
            line,
        )
        for line, r, _ in parsed
    ]
    return [Scope("personnel", ident["reseau"], ident["annee"], quarter, rows, parsed[0][0])]


def _check_conventions(c: _Checker, parsed: list) -> list[Scope]:
    c.duplicates(parsed, ("reseau", "annee"), "reseau")
    scopes = []
    for line, r, ok in parsed:
        if not ok:
            continue
        call = c.calls.get(r["annee"])
        if call is None:
            c.need_call(r["annee"], line)
            continue
        if r["date_debut"] > r["date_fin"]:
            c.problem(f"la date de fin {r['date_fin']:%d/%m/%Y} précède la date de début", line, "date_fin")
        total = planned_total_cost(call, r["cout_personnel_prevu"])
        plan = r["montant_fse"] + r["contrepartie_departement"] + r["autofinancement"]
        if plan != total:
            c.problem(
                f"plan de financement déséquilibré : FSE+ {format_euros(r['montant_fse'])} + contrepartie "
                f"{format_euros(r['contrepartie_departement'])} + autofinancement {format_euros(r['autofinancement'])}"
                f" = {format_euros(plan)}, attendu le coût total prévu {format_euros(total)} "
                f"(coût de personnel prévu × {format_number(1 + call.flat_rate, 2)})",
                line,
                "montant_fse",
            )
        if r["avance_versee"] > r["contrepartie_departement"]:
            c.problem(
                f"avance de {format_euros(r['avance_versee'])} supérieure à la contrepartie du Département "
                f"({format_euros(r['contrepartie_departement'])})",
                line,
                "avance_versee",
            )
        targets = {name.removeprefix("objectif_").upper(): r[name] for name in TARGET_COLUMNS}
        row = ConventionRow(
            r["nom"],
            r["date_debut"],
            r["date_fin"],
            r["cout_personnel_prevu"],
            total,
            r["montant_fse"],
            r["contrepartie_departement"],
            r["autofinancement"],
            r["avance_versee"],
            r["date_avance"],
            targets,
            line,
        )
        scopes.append(Scope("conventions", r["reseau"], r["annee"], None, [row], line))
    return [] if c.problems else scopes


_KIND_CHECKS = {"indicateurs": _check_indicators, "personnel": _check_staff, "conventions": _check_conventions}


def check_table(table: RawTable, calls: Mapping[int, Call]) -> CheckedTable:
    """Type every row of a table and collect every problem; scopes only when there is none."""
    checker = _Checker(table, calls)
    kind = table.kind or detect_kind(table.headers)
    if kind is None:
        checker.problem(
            "type de fichier non reconnu d'après son en-tête : attendu un fichier "
            f"{', '.join(KINDS)} (voir docs/format-depot.md)",
            1,
        )
        return CheckedTable(table.file_name, table.sheet, None, problems=checker.problems)
    columns = COLUMNS[kind]
    positions = checker.map_headers(columns)
    parsed = checker.parse_rows(columns, positions)
    if not parsed:
        _no_rows(checker)
        return CheckedTable(table.file_name, table.sheet, kind, problems=checker.problems)
    scopes = _KIND_CHECKS[kind](checker, parsed)
    problems = sorted(checker.problems, key=lambda p: p.line or 0)  # stable: a row's problems keep column order
    return CheckedTable(table.file_name, table.sheet, kind, scopes, problems)
