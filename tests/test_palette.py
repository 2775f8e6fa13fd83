"""Colours: fixed per network head and orientation, and labels that stay readable on them."""

from __future__ import annotations

import pytest

from iaedash.charts.palette import (
    AREA_PALETTE,
    ELSEWHERE_COLOR,
    NETWORK_HEAD_PALETTE,
    NOT_LOCATED_COLOR,
    ORIENTATION_COLORS,
    network_head_colors,
    text_color_on,
)


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio, written out independently of the palette module."""

    def luminance(hex_color: str) -> float:
        channels = [int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize(
    "fill", [*ORIENTATION_COLORS.values(), *NETWORK_HEAD_PALETTE, *AREA_PALETTE, ELSEWHERE_COLOR, NOT_LOCATED_COLOR]
)
def test_a_label_inside_a_bar_reads_at_4_5_to_1(fill: str):
    assert contrast(text_color_on(fill), fill) >= 4.5


@pytest.mark.parametrize(("fill", "expected"), [("#E69F00", "#1A1A1A"), ("#0072B2", "#FFFFFF"), ("#332288", "#FFFFFF")])
def test_dark_text_on_light_bars_white_on_dark_ones(fill: str, expected: str):
    assert text_color_on(fill) == expected


def test_filtering_never_repaints_a_network_head():
    everyone = network_head_colors(["URQLL", "CABM", "FEIAL"])
    assert everyone == {
        "CABM": NETWORK_HEAD_PALETTE[0],
        "FEIAL": NETWORK_HEAD_PALETTE[1],
        "URQLL": NETWORK_HEAD_PALETTE[2],
    }
