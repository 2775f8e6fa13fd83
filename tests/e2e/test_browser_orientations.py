"""Orientations in Chromium: the network head × orientation map and the shares, drawn and readable."""

from __future__ import annotations

from screen import Screen


def test_every_view_is_drawn_with_french_numbers(demo_app, screen: Screen):
    """Each tab of the page, screenshotted; the heat map draws one cell per network head and orientation."""
    screen.open(demo_app.url("orientations"))
    screen.check_page("orientations", expect_charts=True)
    assert screen.charts()[0].title == "Formations par orientation – T1 à T4 2026 – tous réseaux"
