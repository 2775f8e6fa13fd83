"""How activity spreads across the call's four orientations."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from iaedash.charts.layout import QUARTER_LABELS, empty_figure, style
from iaedash.charts.palette import ORIENTATION_COLORS, text_color_on
from iaedash.domain.reference import ORIENTATIONS
from iaedash.formatting import format_number, format_percent

ORIENTATION_NAMES = {o.code: f"{o.code} – {o.label}" for o in ORIENTATIONS}


def orientation_heatmap(frame: pd.DataFrame, title: str, unit: str, *, meeting: bool = False) -> go.Figure:
    """Network head × orientation, the count in each cell; an empty cell reads 0 (nothing reported).

    `frame`: network_head, orientation, value.
    """
    if frame.empty:
        return empty_figure("Aucune valeur déclarée pour cette sélection.", title, meeting=meeting)
    columns = [o.code for o in ORIENTATIONS if o.code in set(frame["orientation"])]
    grid = frame.pivot_table(index="network_head", columns="orientation", values="value", aggfunc="first")
    grid = grid.reindex(columns=columns).fillna(0).sort_index(ascending=False)
    fig = go.Figure(
        go.Heatmap(
            z=grid.values,
            x=[ORIENTATION_NAMES[c].split(" – ")[0] for c in grid.columns],
            y=list(grid.index),
            colorscale="Blues",
            text=[[format_number(v) for v in row] for row in grid.values],
            texttemplate="%{text}",
            hovertemplate=f"%{{y}} – %{{x}} : %{{z:,}} {unit}<extra></extra>",
            colorbar={"title": {"text": unit}},
            xgap=2,
            ygap=2,
        )
    )
    fig.update_xaxes(side="top", title=None)
    style(fig, title, meeting=meeting, height=max(300, 140 + 50 * len(grid)))
    fig.update_layout(margin={"t": 100})  # room for the orientation names above the grid, under the title
    return fig


def orientation_shares(frame: pd.DataFrame, title: str, *, meeting: bool = False) -> go.Figure:
    """Stacked 100 % bars: the share of each orientation in each row's activity.

    `frame`: row (network head or indicator label), orientation, value.
    """
    if frame.empty or frame["value"].sum() == 0:
        return empty_figure("Aucune valeur déclarée pour cette sélection.", title, meeting=meeting)
    rows = sorted(set(frame["row"]), reverse=True)
    fig = go.Figure()
    for o in ORIENTATIONS:
        part = frame[frame["orientation"] == o.code].set_index("row")["value"].reindex(rows).fillna(0)
        totals = frame.groupby("row")["value"].sum().reindex(rows)
        shares = [100 * v / t if t else 0 for v, t in zip(part, totals, strict=True)]
        fig.add_bar(
            orientation="h",
            name=ORIENTATION_NAMES[o.code],
            y=rows,
            x=shares,
            customdata=list(part),
            marker_color=ORIENTATION_COLORS[o.code],
            text=[format_percent(s, 0) if s >= 7 else "" for s in shares],
            textposition="inside",
            insidetextfont={"color": text_color_on(ORIENTATION_COLORS[o.code])},
            hovertemplate=f"%{{y}} – {o.code} : %{{x:.1f}} % (%{{customdata:,}})<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title="part de l'activité (%)", range=[0, 100], ticksuffix="\u202f%")
    fig.update_yaxes(title=None)
    return style(fig, title, meeting=meeting, height=max(300, 140 + 42 * len(rows)))


def quarters_by_orientation(frame: pd.DataFrame, title: str, unit: str, *, meeting: bool = False) -> go.Figure:
    """One network head's indicator by quarter, stacked by orientation. `frame`: quarter, orientation, value."""
    if frame.empty:
        return empty_figure("Aucune valeur déclarée pour cette sélection.", title, meeting=meeting)
    fig = go.Figure()
    for o in ORIENTATIONS:
        rows = frame[frame["orientation"] == o.code].sort_values("quarter")
        if rows.empty:
            continue
        fig.add_bar(
            name=ORIENTATION_NAMES[o.code],
            x=[QUARTER_LABELS[q] for q in rows["quarter"]],
            y=rows["value"],
            marker_color=ORIENTATION_COLORS[o.code],
            hovertemplate=f"%{{x}} – {o.code} : %{{y:,}} {unit}<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title=None, categoryorder="array", categoryarray=list(QUARTER_LABELS.values()))
    fig.update_yaxes(title=unit, tickformat=",d")
    return style(fig, title, meeting=meeting)
