"""The filter bar's values, shared by every page, and how they read in titles and file names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from iaedash.domain.reference import ORIENTATION_CODES

ALL_QUARTERS = (1, 2, 3, 4)


@dataclass(frozen=True)
class Filters:
    """Year (None = every year, for exports), network heads (empty = all), quarters, orientations, and the day
    the figures stand at (`as_of`, None = today: everything received so far)."""

    year: int | None
    network_heads: tuple[str, ...] = ()
    quarters: tuple[int, ...] = ALL_QUARTERS
    orientations: tuple[str, ...] = ORIENTATION_CODES
    as_of: date | None = None

    def params(self) -> dict[str, Any]:
        """Bound parameters of the filtered queries (lists bind as DuckDB lists)."""
        return {
            "year": self.year,
            "network_heads": list(self.network_heads),
            "quarters": list(self.quarters),
            "orientations": list(self.orientations),
            "as_of": self.as_of,
        }

    @property
    def selects_nothing(self) -> bool:
        return not self.quarters or not self.orientations

    @property
    def last_quarter(self) -> int | None:
        return max(self.quarters) if self.quarters else None

    def period_label(self) -> str:
        """« T1 à T3 2025 », « T2 2025 », « T1, T3 2025 »."""
        quarters = sorted(self.quarters)
        year = self.year if self.year is not None else "toutes années"
        if not quarters:
            return f"aucun trimestre {year}"
        if len(quarters) == 1:
            return f"T{quarters[0]} {year}"
        if quarters == list(range(quarters[0], quarters[-1] + 1)):
            return f"T{quarters[0]} à T{quarters[-1]} {year}"
        return ", ".join(f"T{q}" for q in quarters) + f" {year}"

    def scope_label(self) -> str:
        """« tous réseaux », « CABM », « CABM, FEIAL »."""
        return ", ".join(sorted(self.network_heads)) if self.network_heads else "tous réseaux"

    def orientations_label(self) -> str:
        if set(self.orientations) == set(ORIENTATION_CODES):
            return "toutes orientations"
        return ", ".join(o for o in ORIENTATION_CODES if o in self.orientations)

    def as_of_label(self) -> str:
        """« état au 15/05/2025 » for a day in the past, else nothing: today needs no saying."""
        return f"état au {self.as_of:%d/%m/%Y}" if self.as_of is not None else ""

    def describe(self) -> str:
        """The active filters in one line, for the as-of line under every screen (which says the day first)."""
        return f"{self.period_label()} · {self.scope_label()} · {self.orientations_label()}"

    def slug(self) -> str:
        """File-name part: « 2025_T1-T3_tous-reseaux », « 2025_T2_CABM », « 2025_T1+T3_tous-reseaux »."""
        quarters = sorted(self.quarters)
        if not quarters:
            period = "aucun-trimestre"
        elif len(quarters) == 1:
            period = f"T{quarters[0]}"
        elif quarters == list(range(quarters[0], quarters[-1] + 1)):
            period = f"T{quarters[0]}-T{quarters[-1]}"
        else:
            period = "+".join(f"T{q}" for q in quarters)
        heads = "-".join(sorted(self.network_heads)) if self.network_heads else "tous-reseaux"
        year = self.year if self.year is not None else "toutes-annees"
        day = f"_au-{self.as_of.isoformat()}" if self.as_of is not None else ""
        return f"{year}_{period}_{heads}{day}"
