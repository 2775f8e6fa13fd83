"""Vue d'ensemble in Chromium: the tiles, the completeness grid, the alerts, and the network-head filter."""

from __future__ import annotations

import re

from demo_truth import totals
from screen import Screen

from iaedash.domain.reference import INDICATORS
from iaedash.formatting import format_number


def tile_values(screen: Screen) -> dict[str, str]:
    labels = screen.page.locator('[data-testid="stMetricLabel"]').all_inner_texts()
    values = screen.page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    return dict(zip([label.strip() for label in labels], values, strict=True))


def expected_tiles(heads: set[str] | None = None, year: int = 2026) -> dict[str, str]:
    """The six totals computed from the demo files themselves, formatted as a French reader expects (the default
    year is the newest, 2026)."""
    sums = {i.code: 0 for i in INDICATORS}
    for (_h, _q, _o, indicator), value in totals(heads, year=year).items():
        sums[indicator] += value
    return {i.short: format_number(sums[i.code]) for i in INDICATORS}


def test_every_tab_loads_with_french_numbers_and_passes_the_checks(demo_app, screen: Screen):
    """The home page, each of its tabs screenshotted and checked."""
    screen.open(demo_app.url())
    text = screen.check_page("accueil")
    assert "Les six indicateurs – T1 à T4 2026 – tous réseaux" in text
    assert text.count("Appel 2026 : paramètres provisoires repris de 2025 (hypothèse de travail)") == len(screen.tabs())
    assert tile_values(screen) == expected_tiles()


def test_the_completeness_grid_shows_all_four_quarters_beside_the_sidebar(demo_app, screen: Screen):
    """A late fourth quarter must be on screen, not out of sight in a scrolled grid."""
    screen.open(demo_app.url(annee="2025"))
    screen.show_tab("Complétude des dépôts")
    grid = screen.page.locator('[data-testid="stDataFrame"] table').first
    headers = grid.locator('[role="columnheader"]').all_inner_texts()
    assert [h.strip() for h in headers] == ["Réseau", "T1", "T2", "T3", "T4"]
    cetti = grid.locator('[role="row"]', has_text="CETTI").locator('[role="gridcell"]').all_text_contents()
    assert cetti[-1] == "reçu en retard le 20/02/2026"
    box = screen.page.locator('[data-testid="stDataFrame"]').first.bounding_box()
    assert box["x"] + box["width"] <= 1280


def test_choosing_a_network_head_changes_the_figures(demo_app, screen: Screen):
    """The sidebar filter, used as a person would: the tiles become that network head's own totals."""
    screen.open(demo_app.url())
    before = tile_values(screen)
    filter_box = screen.page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]', has_text="Têtes")
    screen.rerun_after(lambda: (filter_box.click(), screen.page.get_by_role("option", name="CABM").click()))
    screen.page.keyboard.press("Escape")
    screen.page.get_by_role("heading", name=re.compile("Les six indicateurs .* CABM")).wait_for()
    after = tile_values(screen)
    assert after == expected_tiles({"CABM"})
    assert after != before
    assert "reseau=CABM" in screen.page.url
