"""Load the calls' data files (data/appels/<year>.toml) into domain `Call` values."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from functools import cache
from pathlib import Path

from iaedash.domain.calls import Call
from iaedash.settings import calls_dir


class UnknownCallError(LookupError):
    """No call data file covers the year asked."""


class CallFileError(ValueError):
    """A call data file that says something iaedash cannot use (the message is French, with file and line)."""


def _where(path: Path, text: str, key: str) -> str:
    """« data/appels/2026.toml:17:1 », the place of `key` in the file, for a French error message."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.split("=")[0].strip() == key:
            return f"{path}:{number}:1"
    return str(path)


def _working_hypothesis(path: Path, text: str, raw: dict) -> str | None:
    """The note of a call taken as a working hypothesis (`hypothese_de_travail = true`), None otherwise."""
    flag = raw.get("hypothese_de_travail", False)
    if not isinstance(flag, bool):
        raise CallFileError(
            f"{_where(path, text, 'hypothese_de_travail')}: hypothese_de_travail : valeur « {flag} » "
            "refusée, true ou false attendu"
        )
    note = raw.get("note_hypothese")
    if not flag:
        return None
    if not isinstance(note, str) or not note.strip() or "\n" in note.strip():
        raise CallFileError(
            f"{_where(path, text, 'note_hypothese')}: note_hypothese : une ligne de texte est attendue pour dire "
            "d'où viennent les paramètres provisoires (par exemple « paramètres provisoires repris de 2025 »), "
            f"lu : « {note if note is not None else 'absente'} »"
        )
    return note.strip()


def parse_call(path: Path) -> Call:
    """Read one call file; money and rates are read as text so they stay exact decimals."""
    text = path.read_text(encoding="utf-8")
    raw = tomllib.loads(text)
    return Call(
        year=int(raw["annee"]),
        name=str(raw["nom"]),
        operation_start=raw["debut_operation"],
        operation_end=raw["fin_operation"],
        final_report_due=raw["bilan_final_au_plus_tard"],
        flat_rate=Decimal(str(raw["taux_forfait"])),
        min_assignment_rate=Decimal(str(raw["taux_affectation_minimum"])),
        submission_delay_days=int(raw.get("delai_depot_jours", 30)),
        advance_rate=Decimal(str(raw["taux_avance"])),
        working_hypothesis=_working_hypothesis(path, text, raw),
    )


@cache
def _calls_in(folder: Path) -> dict[int, Call]:
    calls = {}
    for path in sorted(folder.glob("*.toml")):
        call = parse_call(path)
        calls[call.year] = call
    return calls


def all_calls() -> dict[int, Call]:
    """Every known call, by year of operation."""
    return _calls_in(calls_dir().resolve())


def call_for_year(year: int) -> Call:
    """The call whose operation runs in `year`."""
    try:
        return all_calls()[year]
    except KeyError:
        raise UnknownCallError(year) from None
