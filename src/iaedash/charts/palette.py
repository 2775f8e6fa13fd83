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

STATUS_COLORS = {
    SubmissionStatus.ON_TIME.value: "#B7E1CD",
    SubmissionStatus.LATE.value: "#F6C28B",
    SubmissionStatus.MISSING.value: "#E8A0A0",
    SubmissionStatus.NOT_DUE.value: "#E6E6E6",
}

TARGET_COLOR = "#222222"


def network_head_colors(all_codes: Sequence[str]) -> dict[str, str]:
    """Colour of each network head by its rank among every network head known, not among those shown,
    so that filtering never repaints anybody."""
    return {code: NETWORK_HEAD_PALETTE[i % len(NETWORK_HEAD_PALETTE)] for i, code in enumerate(sorted(all_codes))}
