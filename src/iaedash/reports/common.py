"""Reads shared by several pages. Every read takes the viewer: it returns only what the viewer may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from iaedash.charts.palette import network_head_colors
from iaedash.db import queries as q
from iaedash.db.connection import connect
from iaedash.domain.access import Viewer
from iaedash.filters import Filters


def scoped(viewer: Viewer, filters: Filters | None = None, **extra: object) -> dict:
    """The bound parameters of a read: the filter bar's values and the viewer's restriction (`$allowed`).

    The one place where a read learns who is looking; every SQL file that lists network heads filters with
    `in_view(network_head, $network_heads, $allowed)` or `visible(network_head, $allowed)`.
    """
    base = filters.params() if filters is not None else {}
    return {**base, "allowed": viewer.allowed(), **extra}


@dataclass(frozen=True)
class AsOf:
    """How current the figures are: the as-of line under every screen."""

    data_as_of: date | None  # latest date received among current submissions
    last_imported_at: datetime | None


def as_of(db: Path, viewer: Viewer, day: date | None = None) -> AsOf:
    """`day`: the day the figures stand at (None: today)."""
    with connect(db, read_only=True) as con:
        [row] = q.fetch_records(con, "as_of", scoped(viewer, as_of=day))
    return AsOf(row["data_as_of"], row["last_imported_at"])


def network_heads(db: Path, viewer: Viewer, day: date | None = None) -> pd.DataFrame:
    """Every network head the viewer may see (code, name) with a convention received by `day`, sorted by code."""
    with connect(db, read_only=True) as con:
        return q.fetch_df(con, "network_heads_all", scoped(viewer, as_of=day))


def colours(db: Path, viewer: Viewer) -> dict[str, str]:
    """The colour of each network head the viewer may see, fixed by its rank among every network head known:
    CABM has the same colour on a network head's screen as on the Direction's (the other codes stay here)."""
    with connect(db, read_only=True) as con:
        every = [r["code"] for r in q.fetch_records(con, "network_head_codes")]
    return {code: colour for code, colour in network_head_colors(every).items() if viewer.sees(code)}


def years(db: Path, viewer: Viewer, day: date | None = None) -> list[int]:
    """Years that have at least one convention the viewer may see (received by `day`), newest first."""
    with connect(db, read_only=True) as con:
        return [r["year"] for r in q.fetch_records(con, "years_with_data", scoped(viewer, as_of=day))]


@dataclass(frozen=True)
class IndicatorSums:
    """The indicator values of the filters summed at the three grains the pages draw (one query, one pass)."""

    by_quarter: pd.DataFrame  # network_head, quarter, indicator, value, sources
    by_orientation: pd.DataFrame  # network_head, orientation, indicator, value, sources
    by_quarter_and_orientation: pd.DataFrame  # network_head, quarter, orientation, indicator, value


_GRAINS = {
    "quarter": ["network_head", "quarter", "indicator", "value", "sources"],
    "orientation": ["network_head", "orientation", "indicator", "value", "sources"],
    "quarter_orientation": ["network_head", "quarter", "orientation", "indicator", "value"],
}


def indicator_sums(db: Path, viewer: Viewer, filters: Filters) -> IndicatorSums:
    """Summed in SQL over the mart of indicator values (orientations, territories or quarters added up)."""
    with connect(db, read_only=True) as con:
        frame = q.fetch_df(con, "indicator_sums", scoped(viewer, filters))
    parts = {}
    for grain, columns in _GRAINS.items():
        part = frame.loc[frame["grain"] == grain, columns].reset_index(drop=True)
        parts[grain] = part.astype({c: "int64" for c in ("quarter",) if c in columns})
    return IndicatorSums(parts["quarter"], parts["orientation"], parts["quarter_orientation"])


def by_quarter(db: Path, viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """network_head, quarter, indicator, value, sources — summed over orientations and territories."""
    return indicator_sums(db, viewer, filters).by_quarter


def by_orientation(db: Path, viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """network_head, orientation, indicator, value, sources — summed over the chosen quarters."""
    return indicator_sums(db, viewer, filters).by_orientation


def by_quarter_and_orientation(db: Path, viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """network_head, quarter, orientation, indicator, value."""
    return indicator_sums(db, viewer, filters).by_quarter_and_orientation


def conventions(db: Path, viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """Current conventions of the year with their targets (a dict indicator → target or None); money as Decimal."""
    with connect(db, read_only=True) as con:
        return q.fetch_exact_df(con, "conventions_of_year", scoped(viewer, filters))


def comments(db: Path, viewer: Viewer, filters: Filters) -> pd.DataFrame:
    with connect(db, read_only=True) as con:
        return q.fetch_df(con, "comments", scoped(viewer, filters))


def submission_history(db: Path, viewer: Viewer, filters: Filters) -> pd.DataFrame:
    with connect(db, read_only=True) as con:
        return q.fetch_df(con, "submission_history", scoped(viewer, filters))


def import_history(db: Path, viewer: Viewer, day: date | None = None) -> pd.DataFrame:
    """Accepted files received by `day`, newest first; a network head's account sees only the files about its
    own."""
    with connect(db, read_only=True) as con:
        return q.fetch_df(con, "import_history", scoped(viewer, as_of=day))
