"""Budget charts: planned against realised per network head, one network head month by month.

Money comes in as Decimal (exact) and is drawn as numbers; the hover and the labels say euros the French way.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from iaedash.charts.layout import empty_figure, style
from iaedash.formatting import format_euros, format_percent

MONTH_LABELS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")
PLANNED = "prévu"
REALISED = "réalisé"
PLANNED_STAFF_COLOR = "#BBBBBB"
PLANNED_FLAT_COLOR = "#DDDDDD"
REALISED_STAFF_COLOR = "#332288"
REALISED_FLAT_COLOR = "#88CCEE"
PROJECTION_COLOR = "#222222"
FLAT_PATTERN = {"shape": "/", "fgcolor": "#FFFFFF", "fgopacity": 0.5}


def _euros_axis(fig: go.Figure) -> None:
    fig.update_yaxes(title="euros", rangemode="tozero", tickformat=",.0f", ticksuffix="\u202f€")


def planned_vs_realised(frame: pd.DataFrame, title: str, *, meeting: bool = False) -> go.Figure:
    """Per network head, two stacked bars side by side: planned and realised, staff costs under the flat rate.

    `frame`: network_head, planned_staff_cost, planned_flat_rate, eligible_staff_costs, flat_rate, consumption
    (% of the plan, written above the realised bar) and optionally projection (year-end total eligible cost,
    drawn as a mark on the realised bar).
    """
    if frame.empty:
        return empty_figure("Aucune convention dans cette sélection.", title, meeting=meeting)
    frame = frame.sort_values("network_head")
    heads = list(frame["network_head"])
    planned_x = [heads, [PLANNED] * len(heads)]
    realised_x = [heads, [REALISED] * len(heads)]
    fig = go.Figure()
    bars = (
        ("Personnel prévu", planned_x, "planned_staff_cost", PLANNED_STAFF_COLOR, None),
        ("Forfait 40 % prévu", planned_x, "planned_flat_rate", PLANNED_FLAT_COLOR, FLAT_PATTERN),
        ("Personnel éligible réalisé", realised_x, "eligible_staff_costs", REALISED_STAFF_COLOR, None),
        ("Forfait 40 % réalisé", realised_x, "flat_rate", REALISED_FLAT_COLOR, FLAT_PATTERN),
    )
    for name, x, column, color, pattern in bars:
        amounts = [float(v) for v in frame[column]]  # drawing only: the figures shown are the Decimal ones
        fig.add_bar(
            name=name,
            x=x,
            y=amounts,
            marker={"color": color, "pattern": pattern} if pattern else {"color": color},
            customdata=[format_euros(v) for v in frame[column]],
            hovertemplate=f"%{{x}} – {name} : %{{customdata}}<extra></extra>",
        )
    realised = [s + f for s, f in zip(frame["eligible_staff_costs"], frame["flat_rate"], strict=True)]
    fig.add_scatter(  # the share of the plan consumed, above each realised bar
        x=realised_x,
        y=[float(v) for v in realised],
        mode="text",
        text=[format_percent(c, 2) if c is not None else "" for c in frame["consumption"]],
        textposition="top center",
        showlegend=False,
        hoverinfo="skip",
    )
    if "projection" in frame and frame["projection"].notna().any():
        shown = frame[frame["projection"].notna()]
        fig.add_scatter(
            x=[list(shown["network_head"]), [REALISED] * len(shown)],
            y=[float(v) for v in shown["projection"]],
            mode="markers",
            marker={"symbol": "line-ew", "size": 34, "line": {"width": 3, "color": PROJECTION_COLOR}},
            name="Projection fin d'année",
            customdata=[format_euros(v) for v in shown["projection"]],
            hovertemplate="%{x} – projection fin d'année : %{customdata}<extra></extra>",
        )
    fig.update_layout(barmode="stack", bargap=0.15)
    fig.update_xaxes(title=None)
    _euros_axis(fig)
    style(fig, title, meeting=meeting, height=480 if meeting else 460)
    fig.update_layout(legend={"y": -0.22})  # under the two rows of labels (network head, prévu / réalisé)
    return fig


def monthly_costs(frame: pd.DataFrame, title: str, color: str | None = None, *, meeting: bool = False) -> go.Figure:
    """One network head month by month: eligible staff costs with the flat rate stacked on top.

    `frame`: month (1–12), eligible, flat_rate. A month without any staff line is simply absent.
    """
    if frame.empty:
        return empty_figure("Aucune ligne de personnel reçue pour cette période.", title, meeting=meeting)
    frame = frame.sort_values("month")
    x = [MONTH_LABELS[m - 1] for m in frame["month"]]
    staff_color = color or REALISED_STAFF_COLOR
    fig = go.Figure()
    for name, column, marker in (
        ("Dépenses de personnel éligibles", "eligible", {"color": staff_color}),
        ("Forfait de 40 %", "flat_rate", {"color": staff_color, "opacity": 0.45, "pattern": FLAT_PATTERN}),
    ):
        fig.add_bar(
            name=name,
            x=x,
            y=[float(v) for v in frame[column]],  # drawing only: the figures shown are the Decimal ones
            marker=marker,
            customdata=[format_euros(v) for v in frame[column]],
            hovertemplate=f"%{{x}} – {name} : %{{customdata}}<extra></extra>",
        )
    fig.update_layout(barmode="stack", bargap=0.25)
    fig.update_xaxes(title=None, categoryorder="array", categoryarray=list(MONTH_LABELS))
    _euros_axis(fig)
    return style(fig, title, meeting=meeting)
