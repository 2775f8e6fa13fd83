"""Charts for paper: the page's charts drawn again from the same data frames, as ReportLab vector drawings that
read when printed in black and white.

On paper a colour is a grey. Each orientation keeps its hue from the screen (`charts.palette`) but at a grey level
of its own, far from the others, and carries a pattern of its own; segments tall enough say their orientation and
value in a white label. Every bar has its value written; the chart's title (with unit and period) is the caller's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics

from iaedash.charts.palette import ORIENTATION_COLORS
from iaedash.documents.pdf import BOLD, FONT, printable
from iaedash.domain.reference import ORIENTATION_CODES
from iaedash.formatting import format_number, format_percent

INK = colors.HexColor("#1A1A1A")
GRID = colors.HexColor("#BFBFBF")
WHITE = colors.white

# Grey level (0 black, 1 white) of each orientation's fill on paper, listed in the order the stacks are drawn
# bottom-up. With its pattern's lines (PATTERN_CONTRAST away, about a seventh of the area per family of lines) the
# average tones come to about 0.22, 0.67, 0.47 and 0.86: any two 0.19 apart at least (48 of 255 grey levels).
ORIENTATION_GREYS = {"PRO": 0.22, "MAR": 0.72, "INT": 0.42, "DIV": 0.95}
PATTERN_CONTRAST = 0.36
# … and a pattern each: plain, rising lines, falling lines, crossed lines.
ORIENTATION_PATTERNS = {"PRO": None, "MAR": "rising", "INT": "falling", "DIV": "crossed"}


def luma(hex_color: str) -> float:
    """The grey a printer (and poppler's `-gray`) makes of a colour: Rec. 601 weights on the sRGB values."""
    r, g, b = (int(hex_color.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.299 * r + 0.587 * g + 0.114 * b


def at_grey(hex_color: str, grey: float) -> str:
    """The same hue, mixed with white or black so that it prints as `grey`."""
    channels = [int(hex_color.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    own = luma(hex_color)
    if grey >= own:
        t = (grey - own) / (1 - own)
        mixed = [c + (1 - c) * t for c in channels]
    else:
        mixed = [c * grey / own for c in channels]
    return "#" + "".join(f"{round(255 * c):02X}" for c in mixed)


@dataclass(frozen=True)
class Fill:
    """How a part of a chart is painted: a colour (its grey on paper), an optional pattern, and the ink of the
    pattern's lines (black on a light fill, white on a dark one)."""

    color: str
    pattern: str | None = None

    @property
    def grey(self) -> float:
        return luma(self.color)

    @property
    def pattern_ink(self) -> colors.Color:
        """A grey PATTERN_CONTRAST lighter than a dark fill, or darker than a light one: the pattern shows, and the
        fill's average tone on paper stays near its own grey."""
        shade = self.grey + PATTERN_CONTRAST if self.grey < 0.5 else self.grey - PATTERN_CONTRAST
        return colors.Color(shade, shade, shade)


ORIENTATION_FILLS = {
    code: Fill(at_grey(ORIENTATION_COLORS[code], ORIENTATION_GREYS[code]), ORIENTATION_PATTERNS[code])
    for code in ORIENTATION_CODES
}


def _hatch(group: Group, x: float, y: float, w: float, h: float, fill: Fill, step: float = 6.0) -> None:
    """Pattern lines clipped to the rectangle (x, y, w, h), computed rather than clipped by the PDF reader."""
    if fill.pattern is None or w <= 0 or h <= 0:
        return
    ink = fill.pattern_ink
    families = {"rising": (1,), "falling": (-1,), "crossed": (1, -1)}[fill.pattern]
    for slope in families:
        # lines px - slope·py = c, spaced `step` apart across the rectangle
        corners = [px - slope * py for px in (x, x + w) for py in (y, y + h)]
        c = math.floor(min(corners) / step) * step
        while c <= max(corners):
            if slope == 1:  # py = px - c
                lo, hi = max(x, y + c), min(x + w, y + h + c)
                if hi > lo:
                    group.add(Line(lo, lo - c, hi, hi - c, strokeColor=ink, strokeWidth=0.6))
            else:  # py = c - px
                lo, hi = max(x, c - y - h), min(x + w, c - y)
                if hi > lo:
                    group.add(Line(lo, c - lo, hi, c - hi, strokeColor=ink, strokeWidth=0.6))
            c += step


def filled_rect(group: Group, x: float, y: float, w: float, h: float, fill: Fill) -> None:
    """A bar or a segment: its colour, its pattern, a thin dark outline (a near-white fill still has an edge)."""
    group.add(Rect(x, y, w, h, fillColor=colors.HexColor(fill.color), strokeColor=None))
    _hatch(group, x, y, w, h, fill)
    group.add(Rect(x, y, w, h, fillColor=None, strokeColor=INK, strokeWidth=0.5))


def label(group: Group, text: str, cx: float, cy: float, size: float = 6.8, bold: bool = False) -> float:
    """A value on a white label centred at (cx, cy): black on white whatever the fill and pattern under it.
    Returns the label's width."""
    shown = printable(text)
    font = BOLD if bold else FONT
    width = pdfmetrics.stringWidth(shown, font, size) + 3
    group.add(Rect(cx - width / 2, cy - size * 0.45, width, size * 1.2, fillColor=WHITE, strokeColor=None))
    group.add(String(cx, cy - size * 0.3, shown, fontName=font, fontSize=size, fillColor=INK, textAnchor="middle"))
    return width


def swatch(code: str, width: float = 34, height: float = 10) -> Drawing:
    """An orientation's fill and code, for a table's first column or a legend."""
    drawing = Drawing(width, height)
    group = Group()
    filled_rect(group, 0, 1, 12, height - 2, ORIENTATION_FILLS[code])
    group.add(String(15, 2, code, fontName=FONT, fontSize=7.5, fillColor=INK))
    drawing.add(group)
    return drawing


def _nice_step(top: float, ticks: int = 4) -> float:
    """1, 2 or 5 × 10^k, so that about `ticks` gridlines cover `top`."""
    if top <= 0:
        return 1
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return max(1, factor * power)
    return 10 * power


def quarters_by_orientation(
    frame: pd.DataFrame,
    quarters: Sequence[int],
    orientations: Sequence[str],
    unit: str,
    width: float = 270,
    height: float = 150,
) -> Drawing:
    """One indicator of one network head, one stacked bar per quarter, one segment per orientation (the fiche
    réseau page's chart). `frame`: quarter, orientation, value; a quarter without any row says « – »."""
    drawing = Drawing(width, height)
    g = Group()
    left, bottom, top_room = 30, 16, 14
    plot_w, plot_h = width - left - 4, height - bottom - top_room
    values = {(int(r.quarter), r.orientation): int(r.value) for r in frame.itertuples(index=False)}
    totals = {q: sum(v for (q_, _), v in values.items() if q_ == q) for q in quarters}
    present = {q for (q, _) in values}
    top = max([*totals.values(), 1])
    step = _nice_step(top)
    scale_top = step * math.ceil(top / step)
    if scale_top < top * 1.08:  # room above the tallest bar for its total
        scale_top += step
    per_point = plot_h / scale_top
    # unit above the axis, gridlines with their values
    g.add(String(0, height - 8, printable(unit), fontName=FONT, fontSize=7, fillColor=INK))
    tick = 0.0
    while tick <= scale_top + 1e-9:
        y = bottom + tick * per_point
        g.add(Line(left, y, left + plot_w, y, strokeColor=GRID if tick else INK, strokeWidth=0.4 if tick else 0.8))
        g.add(
            String(left - 3, y - 2.3, printable(format_number(tick)), fontName=FONT, fontSize=6.8, fillColor=INK,
                   textAnchor="end")
        )  # fmt: skip
        tick += step
    slot = plot_w / max(len(quarters), 1)
    bar_w = min(slot * 0.62, 64)
    for i, q in enumerate(quarters):
        cx = left + slot * (i + 0.5)
        x = cx - bar_w / 2
        g.add(String(cx, bottom - 10, f"T{q}", fontName=BOLD, fontSize=7.5, fillColor=INK, textAnchor="middle"))
        if q not in present:
            g.add(String(cx, bottom + 3, "–", fontName=FONT, fontSize=8, fillColor=INK, textAnchor="middle"))
            continue
        y = bottom
        for code in orientations:
            value = values.get((q, code), 0)
            if value <= 0:
                continue
            h = value * per_point
            filled_rect(g, x, y, bar_w, h, ORIENTATION_FILLS[code])
            if h >= 8.5:
                text = f"{code} {format_number(value)}"
                if pdfmetrics.stringWidth(printable(text), FONT, 6.8) + 4 > bar_w:
                    text = format_number(value)
                label(g, text, cx, y + h / 2)
            y += h
        g.add(
            String(cx, y + 3, printable(format_number(totals[q])), fontName=BOLD, fontSize=7.5, fillColor=INK,
                   textAnchor="middle")
        )  # fmt: skip
    drawing.add(g)
    return drawing


@dataclass(frozen=True)
class ShareBar:
    """One row of a horizontal share chart: its name, its share in % (None: no bar, the text says why), what is
    written after it, and its fill."""

    name: str
    share: Decimal | None
    text: str
    fill: Fill


def shares(
    rows: Sequence[ShareBar],
    reference: Decimal,
    reference_label: str,
    width: float,
    name_width: float = 128,
    text_width: float = 150,
    row_height: float = 17,
) -> Drawing:
    """Horizontal bars of shares in %, a dashed line at `reference` (100 % of a target; the time elapsed), the
    share written after each bar. Bars beyond the scale are drawn to its end with « › »."""
    height = row_height * len(rows) + 26
    drawing = Drawing(width, height)
    g = Group()
    x0, bottom = name_width, 14
    plot_w = width - name_width - text_width
    most = max([float(r.share) for r in rows if r.share is not None] + [float(reference)])
    scale_top = min(max(110.0, math.ceil(most / 10) * 10 + 10), 200.0)
    per_point = plot_w / scale_top
    for tick in range(0, int(scale_top) + 1, 25 if scale_top > 120 else 20):
        x = x0 + tick * per_point
        g.add(Line(x, bottom, x, height - 12, strokeColor=GRID, strokeWidth=0.4))
        g.add(String(x, bottom - 9, f"{tick}\u00a0%", fontName=FONT, fontSize=6.5, fillColor=INK, textAnchor="middle"))
    for i, row in enumerate(rows):
        y = height - 12 - row_height * (i + 1)
        g.add(String(0, y + row_height * 0.35, printable(row.name), fontName=FONT, fontSize=7.5, fillColor=INK))
        if row.share is not None and row.share > 0:
            w = min(float(row.share), scale_top) * per_point
            filled_rect(g, x0, y + 3, w, row_height - 6, row.fill)
            if float(row.share) > scale_top:
                g.add(String(x0 + w + 2, y + row_height * 0.32, "›", fontName=BOLD, fontSize=9, fillColor=INK))
        g.add(
            String(x0 + plot_w + 8, y + row_height * 0.35, printable(row.text), fontName=BOLD, fontSize=7.5,
                   fillColor=INK)
        )  # fmt: skip
    x = x0 + float(reference) * per_point
    g.add(Line(x, bottom, x, height - 8, strokeColor=INK, strokeWidth=1.2, strokeDashArray=[3, 2]))
    g.add(
        String(x, height - 7, printable(f"{reference_label} ({format_percent(reference, 0)})"), fontName=BOLD,
               fontSize=7, fillColor=INK, textAnchor="middle")
    )  # fmt: skip
    g.add(Line(x0, bottom, x0, height - 12, strokeColor=INK, strokeWidth=0.8))
    drawing.add(g)
    return drawing
