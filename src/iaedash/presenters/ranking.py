"""Charts readable at any size: beyond 12 network heads, a chart shows the first ones and « autres », or a
ranked view of the first 12, and says so in its title. Colours stay those of each network head."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from iaedash.formatting import format_number

MAX_NETWORK_HEADS = 12
OTHERS = "autres"
# « autres » adds up at most this many network heads: beyond, their sum would dwarf every bar drawn (5,000
# network heads: the first 11 were flat lines beside it, seen on a screenshot), so the first 12 are drawn alone.
OTHERS_AT_MOST = 100


@dataclass(frozen=True)
class Ranked:
    """The frame a chart draws (cut when needed) and the sentence that says how; `note` is "" when uncut."""

    frame: pd.DataFrame
    note: str

    def title(self, title: str) -> str:
        """The chart's title, with the note under it when the chart does not show every network head."""
        return f"{title}<br><sup>{self.note}</sup>" if self.note else title


def keep_top(
    frame: pd.DataFrame,
    by: Sequence[str],
    *,
    value: str = "value",
    key: str = "network_head",
    limit: int = MAX_NETWORK_HEADS,
) -> Ranked:
    """The `limit − 1` network heads with the most `value` (over every row), the others added up in one
    « autres » per `by` group (other columns of theirs are dropped)."""
    totals = frame.groupby(key)[value].sum().sort_values(ascending=False, kind="stable")
    if len(totals) <= limit:
        return Ranked(frame, "")
    if len(totals) - (limit - 1) > OTHERS_AT_MOST:
        first = list(totals.index[:limit])
        note = (
            f"les {limit} têtes de réseaux les plus actives sur {format_number(len(totals))} ; "
            f"les {format_number(len(totals) - limit)} autres ne sont pas dessinées"
        )
        return Ranked(frame[frame[key].isin(first)], note)
    top = list(totals.index[: limit - 1])
    rest = frame[~frame[key].isin(top)]
    others = rest.groupby(list(by), as_index=False)[value].sum()
    others[key] = OTHERS
    kept = pd.concat([frame[frame[key].isin(top)], others], ignore_index=True)
    count = len(totals) - len(top)
    note = (
        f"les {len(top)} têtes de réseaux les plus actives, les {format_number(count)} autres regroupées "
        f"dans « {OTHERS} »"
    )
    return Ranked(kept[[c for c in frame.columns if c in kept.columns]], note)


def rank_top(frame: pd.DataFrame, *, value: str, key: str = "network_head", limit: int = MAX_NETWORK_HEADS) -> Ranked:
    """The first `limit` rows by `value` (one row per network head): a ranked view, without « autres »,
    for figures that do not add up (shares of a target, consumption)."""
    if frame[key].nunique() <= limit:
        return Ranked(frame, "")
    first = frame.sort_values(value, ascending=False, kind="stable").head(limit)
    return Ranked(first, f"les {limit} premières têtes de réseaux sur {format_number(frame[key].nunique())}, classées")
