"""Orientation page frames: who works on which of the call's four orientations."""

from __future__ import annotations

import pandas as pd

from iaedash.domain.reference import INDICATORS, ORIENTATIONS


def for_indicator(by_orientation: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """network_head, orientation, value, sources of one indicator."""
    rows = by_orientation[by_orientation["indicator"] == indicator]
    return rows[["network_head", "orientation", "value", "sources"]].reset_index(drop=True)


def shares_by_indicator(by_orientation: pd.DataFrame) -> pd.DataFrame:
    """row (indicator label), orientation, value: every network head of the selection together."""
    labels = {i.code: i.short for i in INDICATORS}
    totals = by_orientation.groupby(["indicator", "orientation"], as_index=False)["value"].sum()
    totals["row"] = totals["indicator"].map(labels)
    return totals[["row", "orientation", "value"]]


def uncovered(by_orientation: pd.DataFrame, network_heads: list[str], orientations: list[str]) -> dict[str, list[str]]:
    """Orientation → network heads that reported nothing at all in it (over every indicator)."""
    active = by_orientation[by_orientation["value"] > 0].groupby("orientation")["network_head"].unique()
    out = {}
    for o in ORIENTATIONS:
        if o.code not in orientations:
            continue
        done = set(active.get(o.code, []))
        missing = [h for h in network_heads if h not in done]
        if missing:
            out[o.code] = missing
    return out
