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


def parse_call(path: Path) -> Call:
    """Read one call file; money and rates are read as text so they stay exact decimals."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
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
