"""One colour per network head and per orientation, the same on every chart (colour-blind-safe palettes)."""

from __future__ import annotations

from collections.abc import Sequence

from iaedash.domain.monitoring import SubmissionStatus

# Paul Tol's « muted » qualitative palette: distinguishable with the common colour-vision deficiencies.
NETWORK_HEAD_PALETTE = (
    "#332288",
    "#CC6677",
    "#117733",
    "#DDCC77",
    "#88CCEE",
    "#882255",
    "#44AA99",
    "#999933",
    "#AA4499",
)

# Okabe–Ito colours for the four orientations of the call.
ORIENTATION_COLORS = {"PRO": "#0072B2", "MAR": "#E69F00", "INT": "#009E73", "DIV": "#CC79A7"}

# The call's areas, in the order of their data file (Paul Tol's « vibrant », its magenta swapped for Tol's purple
# so that a label inside reads at 4.5:1), then the located activity in no area, and the activity reported for the
# whole Département (grey, hatched: located nowhere).
AREA_PALETTE = ("#0077BB", "#EE7733", "#009988", "#AA3377", "#33BBEE", "#CC3311")
ELSEWHERE_COLOR = "#DDDDDD"
NOT_LOCATED_COLOR = "#8C8C8C"

STATUS_COLORS = {
    SubmissionStatus.ON_TIME.value: "#B7E1CD",
    SubmissionStatus.LATE.value: "#F6C28B",
    SubmissionStatus.MISSING.value: "#E8A0A0",
    SubmissionStatus.NOT_DUE.value: "#E6E6E6",
}

TARGET_COLOR = "#222222"
OTHERS_COLOR = "#BBBBBB"  # « autres »: the network heads a crowded chart adds up (presenters.ranking)


def _luminance(hex_color: str) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(hex_color.lstrip("#")[i : i + 2], 16) / 255) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def text_color_on(fill: str) -> str:
    """Black or white, whichever reads better on a bar of this colour: white on the orientations' orange or
    green falls to 2:1–3:1, below what RGAA 3.2 asks of text."""
    light = _luminance(fill)
    return "#FFFFFF" if (1.05 / (light + 0.05)) >= ((light + 0.05) / 0.05) else "#1A1A1A"


def area_colors(area_codes: Sequence[str]) -> dict[str, str]:
    """Colour of each area by its place in the areas file (the file's order is the legend's)."""
    return {code: AREA_PALETTE[i % len(AREA_PALETTE)] for i, code in enumerate(area_codes)}


def lighter(hex_color: str, amount: float = 0.55) -> str:
    """The same hue mixed with white (`amount` of white): the previous year beside this year's full colour."""
    r, g, b = (int(hex_color.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return "#" + "".join(f"{round(c + (255 - c) * amount):02X}" for c in (r, g, b))


def network_head_colors(all_codes: Sequence[str]) -> dict[str, str]:
    """Colour of each network head by its rank among every network head known, not among those shown,
    so that filtering never repaints anybody."""
    return {code: NETWORK_HEAD_PALETTE[i % len(NETWORK_HEAD_PALETTE)] for i, code in enumerate(sorted(all_codes))}
