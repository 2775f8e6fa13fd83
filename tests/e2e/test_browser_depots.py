"""Dépôts in Chromium: a network head's files uploaded, checked, confirmed, and shown at once elsewhere.

Its own server, on the demo without CABM's fourth quarter, since these tests write to the database.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect
from screen import OUTPUT, Screen
from server import App, demo_without, running_app
from test_browser_accueil import expected_tiles, tile_values

from iaedash.demo import demo_dir

MISSING = ["CABM_2025_T4_indicateurs.csv", "CABM_2025_T4_personnel.csv"]


@pytest.fixture(scope="module")
def app_without_cabm_t4(chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    db = demo_without(MISSING, tmp_path_factory.mktemp("demo-sans-cabm-t4"))
    with running_app(db, OUTPUT / "streamlit-depots.log") as app:
        yield app


def cabm_t4_cell(screen: Screen) -> str:
    screen.show_tab("Complétude des dépôts")
    row = screen.page.locator('[data-testid="stDataFrame"] [role="row"]', has_text="CABM")
    return row.locator('[role="gridcell"]').all_text_contents()[-1]


def upload(screen: Screen, *paths: Path) -> None:
    chooser = screen.page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    screen.rerun_after(lambda: chooser.set_input_files([str(p) for p in paths]))
    screen.page.get_by_role("heading", name="Contrôle des fichiers").wait_for()


def test_a_good_upload_confirmed_shows_on_the_home_page_without_a_restart(app_without_cabm_t4: App, screen: Screen):
    """Upload, read the verdict, confirm, then the home page counts the new quarter."""
    app = app_without_cabm_t4
    screen.open(app.url(annee="2025"))
    assert tile_values(screen) != expected_tiles(year=2025)  # CABM's fourth quarter is not in yet
    assert cabm_t4_cell(screen) == "manquant"

    screen.open(app.url("depots", annee="2025"))
    screen.check_page("depots", expect_numbers=False)
    upload(screen, *(demo_dir() / name for name in MISSING))
    expect(screen.page.get_by_text("Accepté : 1 périmètre sera importé")).to_have_count(2)
    screen.screenshot("depots--apercu")
    screen.assert_accessible("depots--apercu")
    confirm = screen.page.get_by_role("button", name="Importer les 2 fichiers acceptés")
    screen.rerun_after(confirm.click)
    screen.page.get_by_text("CABM_2025_T4_indicateurs.csv : importé").wait_for()
    screen.screenshot("depots--importe")

    screen.go("Vue d'ensemble")  # the session's year, 2025, carried over
    assert tile_values(screen) == expected_tiles(year=2025)  # the whole demo, CABM T4 included
    assert cabm_t4_cell(screen) == "reçu en retard le 24/11/2026"


def test_a_bad_file_is_refused_with_its_errors_located(app_without_cabm_t4: App, screen: Screen, tmp_path: Path):
    """A negative value and an unknown indicator: two located errors, nothing to confirm."""
    text = (demo_dir() / "CABM_2025_T4_indicateurs.csv").read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    lines[1] = lines[1].replace(";2;", ";-2;")  # line 2, column valeur
    lines[3] = lines[3].replace(";FORM;", ";FORMX;")  # line 4, column indicateur
    bad = tmp_path / "CABM_2025_T4_indicateurs_errone.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")

    screen.open(app_without_cabm_t4.url("depots"))
    upload(screen, bad)
    expect(screen.page.get_by_text("Refusé : 2 erreurs, rien de ce fichier ne sera importé.")).to_have_count(1)
    expect(screen.page.get_by_text("la base ne sera pas modifiée")).to_have_count(1)
    expect(screen.page.get_by_role("button", name="Importer le fichier accepté")).to_have_count(0)
    screen.screenshot("depots--refus")
    grid = screen.page.locator('[data-testid="stDataFrame"]').first
    headers = [h.strip() for h in grid.locator('[role="columnheader"]').all_inner_texts()]
    line, column = headers.index("Ligne"), headers.index("Colonne")
    located = set()
    for row in grid.locator('[role="row"]').all()[1:]:
        cells = row.locator('[role="gridcell"]').all_text_contents()
        located.add((cells[line], cells[column]))
    assert located == {("2", "valeur"), ("4", "indicateur")}
    screen.assert_no_exception()
    screen.assert_accessible("depots--refus")
