"""Where the activity is: indicator sums by territory, and by area of the call (its cross-cutting aims)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from iaedash.db import queries as q
from iaedash.db.connection import connect
from iaedash.domain.access import Viewer
from iaedash.domain.reference import DEFAULT_TERRITORY
from iaedash.domain.territories import Area, area_members
from iaedash.filters import Filters
from iaedash.reports.common import scoped

# The parts of a network head's activity that are no area (area codes are upper case, these never are).
ELSEWHERE = "elsewhere"  # located in a territory that no area holds
WHOLE_DEPARTMENT = "department"  # reported for the whole Département (DEP): located nowhere, in no area


def territory_sums(db: Path, viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """network_head, territory, indicator, value, sources — summed over the chosen quarters and orientations."""
    with connect(db, read_only=True) as con:
        return q.fetch_df(con, "territory_sums", scoped(viewer, filters))


def area_sums(db: Path, viewer: Viewer, filters: Filters, areas: tuple[Area, ...]) -> pd.DataFrame:
    """network_head, indicator, part, value, sources: one row per part of a network head's activity that has
    any — an area's code, ELSEWHERE or WHOLE_DEPARTMENT. The parts of a network head add up to its total."""
    params = scoped(viewer, filters, areas=area_members(areas), whole_department=DEFAULT_TERRITORY)
    with connect(db, read_only=True) as con:
        frame = q.fetch_df(con, "area_sums", params)
    frame["part"] = [
        area if isinstance(area, str) else (ELSEWHERE if located else WHOLE_DEPARTMENT)
        for area, located in zip(frame["area"], frame["located"], strict=True)
    ]
    return frame[["network_head", "indicator", "part", "value", "sources"]]
