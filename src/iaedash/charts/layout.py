"""The house style: French numbers, a title that says what, where and when, readable at 1280×720."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

# Plotly's `separators`: decimal mark then thousands separator (a no-break space), as in « 1 234,5 ».
FRENCH_SEPARATORS = ",\u00a0"
QUARTER_LABELS = {1: "T1", 2: "T2", 3: "T3", 4: "T4"}
# The app's own font and text colour (served by Streamlit, so nothing is fetched); axis text dark enough for
# 4.5:1 on white (RGAA 3.2), which the browser tests measure.
FONT = '"Source Sans", "Source Sans Pro", Arial, sans-serif'
TEXT = "#1A1A1A"
AXES = "#3D3D3D"
TEMPLATE, MEETING_TEMPLATE = "iaedash", "iaedash-reunion"


def _template(meeting: bool) -> go.layout.Template:
    """Every static part of the house style, validated once by Plotly (applying it property by property to
    each figure cost almost half of a page's run); `meeting` enlarges every text for a shared screen."""
    base = 17 if meeting else 13
    layout = {
        "separators": FRENCH_SEPARATORS,
        "title": {"x": 0, "xanchor": "left", "font": {"size": base + 5, "weight": "bold", "color": TEXT}},
        "font": {"size": base, "family": FONT, "color": AXES},
        # Legend at the foot of the figure (container coordinates), never over the x axis's labels or title.
        "legend": {"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0, "xanchor": "left", "x": 0},
        "margin": {"l": 10, "r": 10, "t": 60, "b": 10},
        "hoverlabel": {"font": {"size": base}},
        # a bar's label that does not fit is hidden, not run into its neighbours' (the value stays on hover)
        "uniformtext": {"minsize": base - 3, "mode": "hide"},
        "xaxis": {"automargin": True},
        "yaxis": {"automargin": True},
    }
    template = go.layout.Template(pio.templates["plotly_white"])
    template.layout.update(layout)
    return template


pio.templates[TEMPLATE] = _template(meeting=False)
pio.templates[MEETING_TEMPLATE] = _template(meeting=True)
# The default of every figure of the process: a figure takes it without a copy, where setting `template=` on
# each figure validated a copy of the whole template (8 ms of the 10 ms a styled figure cost, measured).
pio.templates.default = TEMPLATE


def style(fig: go.Figure, title: str, *, meeting: bool = False, height: int | None = None) -> go.Figure:
    """The house style (a template registered once) with the figure's own title and height."""
    fig.update_layout(
        separators=FRENCH_SEPARATORS,  # on the figure itself: what every reader of the figure's JSON sees
        title_text=title,
        height=height or (430 if meeting else 400),
        legend_title_text=None,
    )
    if meeting:  # the larger texts of a shared screen (the default template is the everyday one)
        fig.update_layout(template=MEETING_TEMPLATE)
    return fig


def empty_figure(message: str, title: str, *, meeting: bool = False) -> go.Figure:
    """A chart with nothing to show says so in a sentence instead of drawing blank axes."""
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper", font={"size": 16})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return style(fig, title, meeting=meeting, height=260)
