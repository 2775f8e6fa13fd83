"""Indicator page frames, cut from the SQL marts (already aggregated): one indicator at a time."""

from __future__ import annotations

import pandas as pd

from iaedash.domain.monitoring import target_achievement
from iaedash.formatting import format_percent


def evolution(by_quarter: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """network_head, quarter, value, sources of one indicator."""
    rows = by_quarter[by_quarter["indicator"] == indicator]
    return rows[["network_head", "quarter", "value", "sources"]].reset_index(drop=True)


def target_of(targets: object, indicator: str) -> int | None:
    """A convention's target for an indicator; None when it was never set (« pas d'objectif »)."""
    if not isinstance(targets, dict):
        return None
    value = targets.get(indicator)
    return None if value is None or pd.isna(value) else int(value)


def progress(by_quarter: pd.DataFrame, conventions: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """Per network head with a convention: achieved over the chosen quarters, annual target, share reached."""
    achieved = evolution(by_quarter, indicator).groupby("network_head")["value"].sum()
    rows = []
    for conv in conventions.itertuples():
        target = target_of(conv.targets, indicator)
        done = int(achieved.get(conv.network_head, 0))
        share = target_achievement(done, target)
        rows.append(
            {
                "network_head": conv.network_head,
                "achieved": done,
                "target": target,
                "share": "pas d'objectif" if share is None else format_percent(share, 0),
            }
        )
    return pd.DataFrame(rows, columns=["network_head", "achieved", "target", "share"])


def table(
    by_quarter: pd.DataFrame, conventions: pd.DataFrame, indicator: str, quarters: tuple[int, ...]
) -> pd.DataFrame:
    """The table behind the charts: one row per network head, a column per chosen quarter, total, target, share."""
    evo = evolution(by_quarter, indicator)
    wide = evo.pivot_table(index="network_head", columns="quarter", values="value", aggfunc="sum")
    wide = wide.reindex(columns=list(quarters)).fillna(0)
    wide.columns = [f"T{q}" for q in wide.columns]
    prog = progress(by_quarter, conventions, indicator).set_index("network_head")
    out = prog.join(wide, how="left").fillna({c: 0 for c in wide.columns})
    quarter_columns = list(wide.columns)
    out = out.reset_index()[["network_head", *quarter_columns, "achieved", "target", "share"]]
    out[quarter_columns] = out[quarter_columns].astype(int)
    return out.rename(
        columns={"network_head": "Réseau", "achieved": "Total", "target": "Objectif annuel", "share": "Atteint"}
    )
