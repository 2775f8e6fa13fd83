"""The call's territorial areas: groupings of the Département's territories that its cross-cutting aims follow
(the coast of the Grand Site des Deux-Caps, the mining basin). The groupings are data (data/territoires.toml,
read by `iaedash.territories`); the territory codes are those of the submission format (`reference`)."""

from __future__ import annotations

from dataclasses import dataclass

from iaedash.domain.reference import DEFAULT_TERRITORY, TERRITORY_CODES

# The territories an area may hold: every code of the format but DEP, which says « the whole Département », a
# value located nowhere in particular.
LOCATED_TERRITORIES = tuple(code for code in TERRITORY_CODES if code != DEFAULT_TERRITORY)


@dataclass(frozen=True)
class Area:
    """One area of the call, as its data file gives it."""

    code: str
    label: str
    territories: tuple[str, ...]
    description: str


def area_members(areas: tuple[Area, ...]) -> list[dict[str, str]]:
    """The grouping as the bound SQL parameter of the area sums: one {area, territory} per territory held."""
    return [{"area": area.code, "territory": territory} for area in areas for territory in area.territories]
