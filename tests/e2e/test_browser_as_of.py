"""Time travel in Chromium: the dashboard as it stood on a day, chosen in the filter bar or opened from a link
(`?au=AAAA-MM-JJ`), on every page and in a downloaded export. The figures expected here come from the demo
files received up to that day (tests/test_as_of.py computes them the same way)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from screen import Screen
from test_as_of import BEFORE_CORRECTION, indicator_totals

DAY = BEFORE_CORRECTION.isoformat()  # FEIAL's T2 had its first version only (the correction came 2025-09-08)
SAID = "État au 01/08/2025"


def test_a_link_to_a_day_opens_the_home_page_on_that_day(demo_app, screen: Screen):
    """Every tab of the home page on that day passes the reviewer's checks; the as-of line and the banner say it."""
    screen.open(demo_app.url(au=DAY, annee="2025"))
    text = screen.check_page("au-accueil")
    assert SAID in text and "Tableau de bord au 01/08/2025" in text


@pytest.mark.parametrize("page", ["indicateurs", "orientations", "territoires", "fiche_reseau", "budget", "revue"])
def test_every_page_opened_on_a_day_says_the_day(demo_app, screen: Screen, page: str):
    """The other pages on that day: no exception, the day on the as-of line, a screenshot (their every tab is
    checked on today's data by their own browser tests, and on that day by tests/test_as_of.py)."""
    screen.open(demo_app.url(page, au=DAY, annee="2025"))
    screen.assert_no_exception()
    assert SAID in screen.text()
    screen.screenshot(f"au-{page}")


def test_the_fiche_of_that_day_shows_the_first_version(demo_app, screen: Screen):
    """FEIAL's webinars of T2 as its first file gave them, and its history lists version 1 alone."""
    screen.open(demo_app.url("fiche_reseau", au=DAY, annee="2025", fiche="FEIAL", fiche_sujet="Indicateurs"))
    expected = indicator_totals(BEFORE_CORRECTION)[("FEIAL", 2, "WEBI")]
    now = indicator_totals(None)[("FEIAL", 2, "WEBI")]
    table = screen.page.locator('[data-testid="stDataFrame"]').first
    table.wait_for()
    screen.screenshot("au-fiche-feial")
    cells = screen.page.locator('[data-testid="stDataFrame"] [role="gridcell"]').all_inner_texts()
    assert str(expected) in cells and (str(now) not in cells or now == expected)


def test_a_day_chosen_in_the_filter_bar_goes_into_the_link(demo_app, screen: Screen):
    """Typing the day in « Données au » and leaving the field reruns the page on that day and writes ?au= in the
    address."""
    screen.open(demo_app.url(""))
    day = screen.page.get_by_role("spinbutton", name="day, Données au")  # day / month / year, typed in a row
    leave = screen.page.get_by_role("heading", name="Filtres")
    screen.rerun_after(lambda: (day.click(), screen.page.keyboard.type("01082025"), leave.click()))
    assert "au=2025-08-01" in screen.page.url
    assert SAID in screen.text()


def test_an_export_of_that_day_holds_that_day_s_figures(demo_app, screen: Screen):
    """The CSV downloaded on the day: its name says the day, its webinars are those of the first version."""
    screen.open(demo_app.url("exports", au=DAY, annee="2025", reseau="FEIAL", trimestre="T2"))
    screen.settle()
    button = screen.page.get_by_role("button", name=re.compile(r"^Télécharger .*\.csv"))
    with screen.page.expect_download() as download:
        button.click()
    assert download.value.suggested_filename == "iae_indicateurs_2025_T2_FEIAL_au-2025-08-01.csv"
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_bytes().decode("utf-8-sig")), delimiter=";"))
    webinars = sum(int(r["valeur"]) for r in rows if r["indicateur"] == "WEBI")
    assert webinars == indicator_totals(date.fromisoformat(DAY))[("FEIAL", 2, "WEBI")]
