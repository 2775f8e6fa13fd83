"""Where the activity is: network head × territory, activity by territory or area, and each area's share."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from iaedash.charts.layout import TEXT, empty_figure, style
from iaedash.charts.palette import text_color_on
from iaedash.domain.reference import DEFAULT_TERRITORY, TERRITORIES
from iaedash.formatting import format_number, format_percent

NOTHING = "Aucune valeur déclarée pour cette sélection."
# Axis labels short enough for eight columns at 1280×720, meeting mode included (never turned on their side).
TERRITORY_AXIS = {
    **{t.code: t.label.replace("Montreuillois-", "Montreuillois-<br>") for t in TERRITORIES},
    DEFAULT_TERRITORY: "Tout le<br>Département<br>(DEP)",
}
DEP_CELL = "#E3E3E3"  # the DEP column of the map: apart from the territories' blues, located nowhere


def territory_heatmap(frame: pd.DataFrame, title: str, unit: str, *, meeting: bool = False) -> go.Figure:
    """Network head × territory, the count in each cell (0: nothing reported there); every territory is a column,
    so that a territory without activity shows. The blues compare the seven territories; DEP, reported for the
    whole Département and located nowhere, is a grey column of its own at the right, outside that scale.

    `frame`: network_head, territory (code), value.
    """
    if frame.empty:
        return empty_figure(NOTHING, title, meeting=meeting)
    codes = [t.code for t in TERRITORIES if t.code != DEFAULT_TERRITORY]
    grid = frame.groupby(["network_head", "territory"])["value"].sum().unstack()  # 5× quicker than pivot_table
    grid = grid.reindex(columns=[*codes, DEFAULT_TERRITORY]).fillna(0).astype(int).sort_index(ascending=False)
    heads = list(grid.index)
    inside = grid[codes].to_numpy()
    whole = [int(v) for v in grid[DEFAULT_TERRITORY]]
    columns = [TERRITORY_AXIS[c] for c in (*codes, DEFAULT_TERRITORY)]
    names = [TERRITORY_AXIS[c].replace("<br>", "") for c in codes]
    dep = len(codes)  # the DEP column's place on the category axis
    heat = go.Heatmap(
        z=inside,
        x=columns[:-1],
        y=heads,
        zmin=0,
        zmax=max(int(inside.max()), 1),
        colorscale="Blues",
        text=[[format_number(v) for v in row] for row in inside],
        texttemplate="%{text}",
        customdata=[names for _ in heads],
        hovertemplate=f"%{{y}} – %{{customdata}} : %{{z:,}} {unit}<extra></extra>",
        colorbar={"title": {"text": unit, "side": "right"}, "thickness": 16},
        xgap=2,
        ygap=2,
    )
    # DEP: grey cells drawn as shapes under a text trace, so that its numbers never take the territories' scale.
    numbers = go.Scatter(
        x=[columns[-1]] * len(heads),
        y=heads,
        mode="text",
        text=[format_number(v) for v in whole],
        textfont={"color": TEXT},
        customdata=whole,
        hovertemplate=f"%{{y}} – tout le Département, non localisé : %{{customdata:,}} {unit}<extra></extra>",
        showlegend=False,
    )
    cells = [
        {"type": "rect", "x0": dep - 0.42, "x1": dep + 0.5, "y0": row - 0.48, "y1": row + 0.48,
         "fillcolor": DEP_CELL, "line": {"width": 0}, "layer": "below"}
        for row in range(len(heads))
    ]  # fmt: skip
    fig = go.Figure(
        [heat, numbers],
        layout={
            "shapes": cells,
            "xaxis": {"side": "top", "title": None, "type": "category", "categoryorder": "array",
                      "categoryarray": columns, "tickangle": 0, "showgrid": False, "zeroline": False},
            "yaxis": {"title": None, "type": "category", "categoryorder": "array", "categoryarray": heads,
                      "showgrid": False},
        },
    )  # fmt: skip
    style(fig, title, meeting=meeting, height=max(300, 190 + 50 * len(heads)))
    fig.update_layout(margin={"t": 150})  # room for the territory names above the grid, under the title
    return fig


def stacked_by_network_head(
    frame: pd.DataFrame,
    column: str,
    categories: Sequence[str],
    title: str,
    unit: str,
    colors: dict[str, str],
    *,
    meeting: bool = False,
    empty: str = NOTHING,
) -> go.Figure:
    """Bars per category (territory, area), stacked by network head in its colour, the total above each bar.

    `frame`: network_head, `column` (values among `categories`, in the axis's order), value.
    """
    if frame.empty or frame["value"].sum() == 0:
        return empty_figure(empty, title, meeting=meeting)
    labels = list(categories)
    fig = go.Figure()
    for head, rows in frame.groupby("network_head", sort=True):
        part = rows.groupby(column)["value"].sum().reindex(labels).fillna(0).astype(int)
        fig.add_bar(
            name=head,
            x=labels,
            y=list(part),
            marker_color=colors.get(head),
            hovertemplate=f"{head} – %{{x}} : %{{y:,}} {unit}<extra></extra>",
        )
    totals = frame.groupby(column)["value"].sum().reindex(labels).fillna(0).astype(int)
    fig.add_scatter(
        x=labels,
        y=list(totals),
        mode="text",
        text=[format_number(t) for t in totals],
        textposition="top center",
        textfont={"color": TEXT},
        showlegend=False,
        hoverinfo="skip",
    )
    fig.update_layout(barmode="stack", bargap=0.35)
    fig.update_xaxes(title=None, type="category", categoryorder="array", categoryarray=labels)
    fig.update_yaxes(title=unit, tickformat=",d", range=[0, max(int(totals.max()), 1) * 1.18])
    style(fig, title, meeting=meeting)
    lines = title.count("<br>") + 1
    if lines > 2:  # the house margin holds a title and one note under it: pin the title to the top, make room
        line = 29 if meeting else 24  # a line of the title: 1.3 × its size
        fig.update_layout(
            title={"yref": "container", "y": 1, "yanchor": "top", "pad": {"t": 28}}, margin={"t": 22 + line * lines}
        )
    return fig


def part_shares(
    frame: pd.DataFrame,
    title: str,
    labels: dict[str, str],
    colors: dict[str, str],
    *,
    hatched: str | None = None,
    meeting: bool = False,
) -> go.Figure:
    """Stacked 100 % bars: the share of each part (an area, the territories in no area, the whole Département)
    in each row's activity. The part `hatched` (the whole Département: located nowhere) is drawn hatched.

    `frame`: row, part (a key of `labels`, whose order is the legend's), value, share (in %).
    """
    if frame.empty or frame["value"].sum() == 0:
        return empty_figure(NOTHING, title, meeting=meeting)
    rows = list(dict.fromkeys(frame["row"]))[::-1]  # the first row at the top
    fig = go.Figure()
    for part, label in labels.items():
        rows_of = frame[frame["part"] == part].set_index("row").reindex(rows)
        shares = [float(s) if pd.notna(s) else 0.0 for s in rows_of["share"]]
        counts = [int(v) if pd.notna(v) else 0 for v in rows_of["value"]]
        colour = colors[part]
        fig.add_bar(
            orientation="h",
            name=label,
            y=rows,
            x=shares,
            customdata=counts,
            marker={
                "color": colour,
                "pattern": {"shape": "/", "fgcolor": "#FFFFFF", "solidity": 0.15} if part == hatched else {"shape": ""},
            },
            text=[format_percent(s, 0) if s >= 7 else "" for s in shares],
            textposition="inside",
            insidetextfont={"color": text_color_on(colour)},
            hovertemplate=f"%{{y}} – {label} : %{{x:.1f}} % (%{{customdata:,}})<extra></extra>",
        )
    fig.update_layout(barmode="stack", legend_traceorder="normal")  # the legend in the order of the bars
    fig.update_xaxes(title="part de l'activité (%)", range=[0, 100], ticksuffix="\u202f%")
    fig.update_yaxes(title=None, type="category")
    return style(fig, title, meeting=meeting, height=max(300, 150 + 42 * len(rows)))
