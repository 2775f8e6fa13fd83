"""Tables shaped for display: French headers, statuses coloured like everywhere else."""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from iaedash.charts.palette import STATUS_COLORS
from iaedash.domain.review import ReviewStatus
from iaedash.formatting import format_date

REVIEWED = {ReviewStatus.VALIDATED.value, ReviewStatus.RETURNED.value, ReviewStatus.LOCKED.value}


def completeness_table(grid: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Network head × quarter: the text of each cell, and its status (for the colour).

    Rows are named by code, as on every chart: with full names, a 1280-pixel screen with the sidebar open
    showed only T1 and T2, and a late T4 sat out of sight.

    `grid`: network_head, quarter, status, first_received_on, versions, review (reports.overview.completeness);
    a reviewed quarter says its review status after its receipt: « reçu à temps le 14/04/2025 · validé ».
    """
    text: dict[str, dict[str, str]] = {}
    status: dict[str, dict[str, str]] = {}
    for r in grid.itertuples():
        row = r.network_head
        cell = r.status
        if r.first_received_on is not None and not pd.isna(r.first_received_on):
            cell += f" le {format_date(r.first_received_on)}"
        if r.versions > 1:
            cell += f" (v{r.versions})"  # short: all four quarters must fit beside the sidebar
        if getattr(r, "review", None) in REVIEWED:  # « reçu » and « attendu » say nothing the cell does not
            cell += f" · {r.review}"
        text.setdefault(row, {})[f"T{r.quarter}"] = cell
        status.setdefault(row, {})[f"T{r.quarter}"] = r.status
    shown = pd.DataFrame.from_dict(text, orient="index").rename_axis("Réseau").reset_index()
    states = pd.DataFrame.from_dict(status, orient="index").rename_axis("Réseau").reset_index()
    return shown, states


def style_statuses(shown: pd.DataFrame, states: pd.DataFrame) -> Styler:
    """Colour each cell by its status (the colours of the legend under the grid)."""

    def colours(_: pd.DataFrame) -> pd.DataFrame:
        out = states.copy()
        for column in out.columns:
            if column == "Réseau":
                out[column] = ""
            else:
                out[column] = [f"background-color: {STATUS_COLORS.get(s, '')}" for s in states[column]]
        return out

    return shown.style.apply(colours, axis=None)
