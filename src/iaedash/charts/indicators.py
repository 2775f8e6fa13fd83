"""Indicator charts: quarterly evolution per network head, cumulative progress against the annual target."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from iaedash.charts.layout import QUARTER_LABELS, empty_figure, style
from iaedash.charts.palette import TARGET_COLOR
from iaedash.formatting import format_number


def quarterly_evolution(
    frame: pd.DataFrame, title: str, unit: str, colors: dict[str, str], *, meeting: bool = False
) -> go.Figure:
    """Grouped bars, one colour per network head. `frame`: network_head, quarter, value."""
    if frame.empty:
        return empty_figure("Aucune valeur déclarée pour cette sélection.", title, meeting=meeting)
    fig = go.Figure()
    for head, rows in frame.groupby("network_head", sort=True):
        rows = rows.sort_values("quarter")
        fig.add_bar(
            name=head,
            x=[QUARTER_LABELS[q] for q in rows["quarter"]],
            y=rows["value"],
            marker_color=colors.get(head),
            text=[format_number(v) for v in rows["value"]],
            textposition="outside",
            hovertemplate=f"{head} – %{{x}} : %{{y:,}} {unit}<extra></extra>",
        )
    fig.update_layout(barmode="group", bargap=0.2)
    fig.update_xaxes(title=None, categoryorder="array", categoryarray=list(QUARTER_LABELS.values()))
    fig.update_yaxes(title=unit, rangemode="tozero", tickformat=",d")
    return style(fig, title, meeting=meeting)


def progress_against_target(
    frame: pd.DataFrame, title: str, unit: str, colors: dict[str, str], *, meeting: bool = False
) -> go.Figure:
    """Horizontal bars of what was achieved, the annual target as a mark; no target says « pas d'objectif ».

    `frame`: network_head, achieved, target (None / NaN when never set), share (the share reached as the
    domain rounds it, already formatted, e.g. « 85 % »), so the chart and its table never disagree.
    """
    if frame.empty:
        return empty_figure("Aucune tête de réseau dans cette sélection.", title, meeting=meeting)
    frame = frame.sort_values("network_head", ascending=False)
    labels = []
    for achieved, target, share in zip(frame["achieved"], frame["target"], frame["share"], strict=True):
        if target is None or pd.isna(target):
            labels.append(f"{format_number(achieved)} – pas d'objectif")
        elif target == 0:
            labels.append(f"{format_number(achieved)} – objectif 0")
        else:
            labels.append(f"{format_number(achieved)} – {share} de l'objectif")
    fig = go.Figure()
    fig.add_bar(
        orientation="h",
        y=frame["network_head"],
        x=frame["achieved"],
        marker_color=[colors.get(h) for h in frame["network_head"]],
        text=labels,
        textposition="outside",
        cliponaxis=False,
        name="réalisé",
        hovertemplate=f"%{{y}} : %{{x:,}} {unit} réalisés<extra></extra>",
        showlegend=False,
    )
    with_target = frame[frame["target"].notna()]
    fig.add_scatter(
        x=with_target["target"],
        y=with_target["network_head"],
        mode="markers",
        marker={"symbol": "line-ns", "size": 26, "line": {"width": 3, "color": TARGET_COLOR}},
        name="objectif annuel",
        hovertemplate=f"%{{y}} : objectif annuel %{{x:,}} {unit}<extra></extra>",
    )
    top = max(frame["achieved"].max(), with_target["target"].max() if len(with_target) else 0)
    fig.update_xaxes(title=unit, range=[0, top * 1.45 if top else 1], tickformat=",d")
    fig.update_yaxes(title=None)
    return style(fig, title, meeting=meeting, height=max(260, 70 + 52 * len(frame)))
