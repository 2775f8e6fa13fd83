"""Indicateurs in Chromium: every chart drawn, shared links, and the chart's own CSV for French Excel."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from demo_truth import totals
from screen import OUTPUT, Screen
from server import App, copy_demo, running_app

HEADS = ["CABM", "CETTI", "CHOPAL", "FEIAL", "ISARR", "URQLL"]


def sums(indicator: str, year: int) -> dict[str, int]:
    """Each network head's T1 to T3 of `year` for one indicator, added up here from the demo files."""
    out = dict.fromkeys(HEADS, 0)
    for (head, _q, _o, code), value in totals(quarters={1, 2, 3}, year=year).items():
        if code == indicator:
            out[head] += value
    return out


def evolution(now: int, then: int) -> str:
    """« +12 % », « −8 % »: what the chart must write, computed here (half-up to the unit)."""
    if then == 0:
        return "n.s."
    change = (
        (Decimal(now - then) * 100 / then)
        .quantize(Decimal("0.01"), ROUND_HALF_UP)
        .quantize(Decimal("1"), ROUND_HALF_UP)
    )
    sign = "+" if change > 0 else ("\u2212" if change < 0 else "")
    return f"{sign}{abs(change)}\u202f%"


def test_every_chart_is_drawn_with_its_period_and_its_data(demo_app, screen: Screen):
    """Each of the six indicators: a drawn chart, a title with the period, the data table under it."""
    screen.open(demo_app.url("indicateurs"))
    screen.check_page("indicateurs", expect_charts=True)
    titles = [chart.title for chart in screen.charts()]
    assert "Accompagnements gouvernance par trimestre – T1 à T4 2026 – tous réseaux" in titles
    assert "Accompagnements gouvernance : T1 à T3 2026 face à T1 à T3 2025 – tous réseaux" in titles


def test_the_year_against_the_same_quarters_of_the_previous_year(demo_app, screen: Screen):
    """2026 has T1 to T3 on 24/11/2026: each network head's T1 to T3 2026 beside its T1 to T3 2025 (not the whole
    of 2025), the evolution under its code, the total in a sentence; the figures added up here from the files."""
    screen.open(demo_app.url("indicateurs", indicateur_sujet="Formations"))
    title = "Formations : T1 à T3 2026 face à T1 à T3 2025 – tous réseaux"
    chart = screen.page.locator('[data-testid="stPlotlyChart"]', has=screen.page.locator(".gtitle", has_text=title))
    chart.scroll_into_view_if_needed()
    screen.page.wait_for_timeout(300)
    screen.screenshot("indicateurs--annee-precedente")
    seen = screen.chart_texts(title)
    assert seen, f"no chart « {title} »"
    now, then = sums("FORM", 2026), sums("FORM", 2025)
    previous, current = seen["bars"]  # the previous year first, lighter and hatched
    assert [int(t) for t in previous] == [then[h] for h in HEADS]
    assert [int(t) for t in current] == [now[h] for h in HEADS]
    assert seen["ticks"] == [f"{h}|{evolution(now[h], then[h])}" for h in HEADS]
    assert seen["legend"] == ["T1 à T3 2025", "T1 à T3 2026"]
    text = screen.text()
    total = f"Tous réseaux : {sum(now.values())} formations de T1 à T3 2026 contre {sum(then.values())} de T1 à T3 2025"
    assert total in text
    assert "CABM : aucun dépôt reçu pour T3 2026" in text  # its comparison lacks a quarter, and the page says so


def test_the_first_year_says_there_is_nothing_to_compare(demo_app, screen: Screen):
    """2025 is the first year followed: a sentence instead of an empty chart."""
    screen.open(demo_app.url("indicateurs", annee="2025"))
    text = screen.check_page("indicateurs--2025", expect_charts=True)
    assert "Pas de comparaison avec 2024 : aucune tête de réseau de cette sélection n'avait de convention 2024" in text
    assert not [c.title for c in screen.charts() if "face à" in c.title]


@pytest.fixture
def fresh_app(chromium_path: str, demo_db_template: Path, tmp_path: Path) -> Iterator[App]:
    """A server nobody has visited yet: Streamlit runs a deep link opened first in its legacy mode."""
    with running_app(copy_demo(demo_db_template, tmp_path), OUTPUT / "streamlit-lien.log") as app:
        yield app


def test_a_shared_link_opened_first_on_a_fresh_server_shows_its_view(fresh_app: App, screen: Screen):
    """People paste links in meeting invitations: the link reopens the same page and filters."""
    screen.open(fresh_app.url("indicateurs", annee="2025", reseau="CABM", trimestre=["T2", "T3"]))
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
    assert file_name == "iae_gouv_trimestres_2026_T1-T4_CABM.csv"  # the default year, the newest
    # the CABM governance support of the year, summed independently from the demo files
    expected = sum(v for (_h, _q, _o, code), v in totals({"CABM"}, year=2026).items() if code == "GOUV")
    assert header[:3] == ["Réseau", "Trimestre", "Valeur"]
    assert sum(int(r[2]) for r in body) == expected
