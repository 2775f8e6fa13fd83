"""Indicateurs in Chromium: every chart drawn, shared links, and the chart's own CSV for French Excel."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from demo_truth import totals
from screen import OUTPUT, Screen
from server import App, copy_demo, running_app


def test_every_chart_is_drawn_with_its_period_and_its_data(demo_app, screen: Screen):
    """Each of the six indicators: a drawn chart, a title with the period, the data table under it."""
    screen.open(demo_app.url("indicateurs"))
    screen.check_page("indicateurs", expect_charts=True)
    titles = [chart.title for chart in screen.charts()]
    assert "Accompagnements gouvernance par trimestre – T1 à T4 2025 – tous réseaux" in titles


@pytest.fixture
def fresh_app(chromium_path: str, demo_db_template: Path, tmp_path: Path) -> Iterator[App]:
    """A server nobody has visited yet: Streamlit runs a deep link opened first in its legacy mode."""
    with running_app(copy_demo(demo_db_template, tmp_path), OUTPUT / "streamlit-lien.log") as app:
        yield app


def test_a_shared_link_opened_first_on_a_fresh_server_shows_its_view(fresh_app: App, screen: Screen):
    """People paste links in meeting invitations: the link reopens the same page and filters."""
    screen.open(fresh_app.url("indicateurs", reseau="CABM", trimestre=["T2", "T3"]))
    assert screen.charts()[0].title == "Accompagnements gouvernance par trimestre – T2 à T3 2025 – CABM"
    assert "filtres : T2 à T3 2025 · CABM · toutes orientations" in screen.text()
    assert "Filtres" in screen.sidebar() and "Indicateurs" in screen.navigation()  # app.py ran: bar and pages


def test_the_view_chosen_in_the_sidebar_is_the_one_its_link_reopens(demo_app, open_screen):
    """Filters set by hand end up in the URL; a colleague opening that URL sees the same charts."""
    screen = open_screen()
    screen.open(demo_app.url("indicateurs"))
    heads = screen.page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]', has_text="Têtes")
    screen.rerun_after(lambda: (heads.click(), screen.page.get_by_role("option", name="FEIAL").click()))
    screen.page.keyboard.press("Escape")
    screen.page.locator(".gtitle", has_text="– FEIAL").first.wait_for()  # the rerun has redrawn the charts
    titles = [chart.title for chart in screen.charts()]
    assert titles[0].endswith("– FEIAL")
    shared = screen.page.url
    assert "reseau=FEIAL" in shared

    colleague = open_screen()  # another browser profile: nothing shared but the link
    colleague.open(shared)
    assert [chart.title for chart in colleague.charts()] == titles


def test_a_chart_s_csv_opens_in_french_excel(demo_app, screen: Screen):
    """The chart's data button gives a UTF-8 file with a BOM, « ; » separators and CRLF line ends."""
    screen.open(demo_app.url("indicateurs", reseau="CABM"))
    data, file_name = screen.download_first_chart_csv()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, body = rows[0], [r for r in rows[1:] if r]
    assert len(header) > 1 and all(len(r) == len(header) for r in body)
    assert file_name == "iae_gouv_trimestres_2025_T1-T4_CABM.csv"
    # the CABM governance support of the year, summed independently from the demo files
    expected = sum(v for (_h, _q, _o, code), v in totals({"CABM"}).items() if code == "GOUV")
    assert header[:3] == ["Réseau", "Trimestre", "Valeur"]
    assert sum(int(r[2]) for r in body) == expected
