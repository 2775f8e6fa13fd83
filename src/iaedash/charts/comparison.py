"""Year against year: per network head, the previous year's figure (same hue, lighter and hatched) beside this
year's, over the same quarters; the change is written under each network head's code."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum

import pandas as pd
import plotly.graph_objects as go

from iaedash.charts.layout import empty_figure, style
from iaedash.charts.palette import OTHERS_COLOR, lighter
from iaedash.formatting import NBSP, format_euros, format_number, format_percent

PREVIOUS_PATTERN = "/"  # hatched: told apart from this year's bar without relying on colour alone


class Measure(Enum):
    """What the bars count, for their labels and the value axis."""

    COUNT = "count"  # an indicator: whole numbers, its unit on the axis
    EUROS = "euros"
    PERCENT = "percent"  # a rate, in %


def _label(value: object, measure: Measure) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if measure is Measure.EUROS:  # thousands of euros: fits a bar of a shared screen (exact in the hover)
        return f"{format_number(Decimal(value) / 1000, 1)}{NBSP}k€"
    if measure is Measure.PERCENT:
        return format_percent(value, 1)
    return format_number(value)


def _hover(value: object, measure: Measure, unit: str) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if measure is Measure.EUROS:
        return format_euros(value)
    if measure is Measure.PERCENT:
        return format_percent(value, 2)
    return f"{format_number(value)} {unit}"


def year_against_year(
    frame: pd.DataFrame,
    title: str,
    *,
    current_label: str,
    previous_label: str,
    colors: dict[str, str],
    measure: Measure = Measure.COUNT,
    unit: str = "",
    meeting: bool = False,
) -> go.Figure:
    """Grouped bars per network head: the previous year (lighter, hatched), then this year (full colour).

    `frame`: network_head, current, previous (None: nothing to compare with, no bar), change (the evolution
    already written in French — « +12 % », « n.s. », « – » — shown under the network head's code).
    `current_label` / `previous_label` name the periods in the legend (« T1 à T3 2026 », « T1 à T3 2025 »).
    """
    if frame.empty:
        return empty_figure("Aucune tête de réseau dans cette sélection.", title, meeting=meeting)
    frame = frame.sort_values("network_head")
    heads = list(frame["network_head"])
    full = [colors.get(h, OTHERS_COLOR) for h in heads]
    light = [lighter(c) for c in full]
    fig = go.Figure()
    for name, column, marker in (
        (
            previous_label,
            "previous",
            {"color": light, "pattern": {"shape": PREVIOUS_PATTERN, "fgcolor": full, "fgopacity": 0.55, "size": 7}},
        ),
        (current_label, "current", {"color": full}),
    ):
        amounts = [None if v is None or v != v else float(v) for v in frame[column]]  # drawing only
        fig.add_bar(
            name=name,
            x=heads,
            y=amounts,
            marker=marker,
            text=[_label(v, measure) for v in frame[column]],
            textposition="outside",
            cliponaxis=False,
            customdata=[_hover(v, measure, unit) for v in frame[column]],
            hovertemplate=f"%{{x}} – {name} : %{{customdata}}<extra></extra>",
        )
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05)
    ticks = [f"<b>{h}</b><br>{c}" for h, c in zip(heads, frame["change"], strict=True)]
    fig.update_xaxes(title=None, tickmode="array", tickvals=heads, ticktext=ticks)
    if measure is Measure.EUROS:
        fig.update_yaxes(title="euros", rangemode="tozero", tickformat=",.0f", ticksuffix=f"{NBSP}€")
    elif measure is Measure.PERCENT:
        fig.update_yaxes(title="% de la convention", rangemode="tozero", tickformat=",d", ticksuffix=f"{NBSP}%")
    else:
        fig.update_yaxes(title=unit, rangemode="tozero", tickformat=",d")
    top = max([float(v) for v in (*frame["current"], *frame["previous"]) if v is not None and v == v] or [0])
    fig.update_yaxes(range=[0, top * 1.18 if top else 1])  # room for the labels above the highest bar
    return style(fig, title, meeting=meeting, height=450 if meeting else 420)
