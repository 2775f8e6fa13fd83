"""Fiche réseau in Chromium: one network head's indicators, convention, consumption and history."""

from __future__ import annotations

from screen import Screen


def test_every_tab_of_a_network_head_s_page_loads(demo_app, screen: Screen):
    """The page a follow-up meeting opens with the network head, tab by tab."""
    screen.open(demo_app.url("fiche_reseau", reseau="FEIAL"))
    text = screen.check_page("fiche_reseau", expect_charts=True)
    assert "Fédération des entreprises d'insertion Artois-Littoral (fictive) (FEIAL)" in text
