"""Vue d'ensemble in Chromium: the tiles, the completeness grid, the alerts, the network-head filter, and the
reminders to the late network heads (a message downloaded as .eml, recorded, and its link followed)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from email.parser import BytesParser
from email.policy import default
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import late_demo
import pytest
from demo_truth import totals
from openpyxl import load_workbook
from playwright.sync_api import expect
from screen import OUTPUT, Screen
from server import TODAY, App, running_app
from viewers import MANAGER

from iaedash.domain.reference import INDICATORS
from iaedash.domain.review import ReviewAction
from iaedash.formatting import format_number
from iaedash.journal import JournalFilter, entries
from iaedash.review import Scope, act

ACCESS = Path(__file__).resolve().parents[1] / "data" / "acces.toml"  # CABM's contact: contact@reseau-cabm.fr


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


# --- reminders, on the demo without four of its files and with a quarter returned for correction ---


@pytest.fixture(scope="module")
def late_app(chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    db = late_demo.build(tmp_path_factory.mktemp("relances"))
    head, quarter = late_demo.RETURNED
    act(db, MANAGER, Scope(head, 2025, quarter), ReviewAction.RETURN, late_demo.RETURN_REASON)
    with running_app(db, OUTPUT / "streamlit-relances.log", env={"IAEDASH_ACCES": str(ACCESS)}) as app:
        yield app


def test_a_reminder_downloaded_as_eml_is_recorded_and_its_link_opens_the_template(late_app: App, screen: Screen):
    """The Direction's list of reminders, one downloaded as a person would: the .eml opens with its template,
    the download is in the journal and beside the network head, the message's link opens the Dépôts page on it."""
    screen.open(late_app.url(annee="2025"))
    screen.show_tab("Relances")
    page = screen.page
    screen.screenshot("accueil--relances")
    screen.assert_no_exception()
    screen.assert_fits_the_screen()
    screen.assert_accessible("accueil--relances")
    text = screen.text()
    today = date.fromisoformat(TODAY)
    expected = set(late_demo.expected_missing(today)) | {late_demo.RETURNED}
    for head, quarter in sorted(expected):
        assert re.search(rf"{head} \(.*\) – T{quarter} 2025", text), (head, quarter)
    assert len(expected) == 4 and "4 relances à faire" in text
    assert text.count("aucune adresse connue dans le fichier des accès") == 3  # only CABM has a contact
    assert "30/10/2025" in text and f"{late_demo.due_date(3):%d/%m/%Y}" == "30/10/2025"

    mailto = page.locator('a[href^="mailto:contact@reseau-cabm.fr?"]')
    expect(mailto).to_have_count(1)
    query = parse_qs(urlsplit(mailto.get_attribute("href")).query)
    assert query["subject"] == ["Relance : dépenses de personnel du T3 2025 attendues – CABM"]
    assert "/depots?annee=2025&reseau=CABM&trimestre=T3&modele=true" in query["body"][0]

    button = page.locator(".st-key-relance_CABM_2025_3_eml button:visible")
    with page.expect_download() as download:
        screen.rerun_after(button.click)
    assert download.value.suggested_filename == "relance_CABM_2025_T3.eml"
    message = BytesParser(policy=default).parsebytes(download.value.path().read_bytes())
    assert message["Subject"] == "Relance : dépenses de personnel du T3 2025 attendues – CABM"
    assert message["To"] == "contact@reseau-cabm.fr" and message["From"] is None  # local mode: no address
    body = message.get_body(("plain",)).get_content()
    assert "T3 2025 (juillet à septembre 2025)" in body and "au plus tard le 30/10/2025" in body
    assert "le coût mensuel du personnel" in body and "les six indicateurs" not in body
    [link] = [line for line in body.splitlines() if "/depots?" in line]
    assert link == "http://localhost:8501/depots?annee=2025&reseau=CABM&trimestre=T3&modele=true"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "modele_depot_CABM_2025_T3.xlsx"
    book = load_workbook(io.BytesIO(attachment.get_content()))
    assert str(book["instructions"]["A1"].value).startswith("Modèle de dépôt trimestriel — CABM")
    assert {(r[0], r[2]) for r in book["indicateurs"].iter_rows(min_row=2, values_only=True) if r[0]} == {
        ("CABM", "T3")
    }

    page.get_by_text("Message .eml téléchargé : relance de CABM pour le T3 2025 inscrite au Journal.").wait_for()
    expect(
        page.get_by_text(re.compile(r"Dernière relance le \d\d/\d\d/\d{4} à \d\d:\d\d par Poste local"))
    ).to_have_count(1)
    screen.screenshot("accueil--relances-apres-envoi")
    [entry] = entries(late_app.db, MANAGER, JournalFilter(actions=("relance",))).to_dict("records")
    assert (entry["network_head"], entry["year"], entry["quarter"]) == ("CABM", 2025, 3)
    assert entry["detail"] == (
        "message .eml téléchargé ; à : contact@reseau-cabm.fr ; "
        "objet : Relance : dépenses de personnel du T3 2025 attendues – CABM"
    )

    screen.go("Journal")
    row = page.locator('[data-testid="stDataFrame"] [role="row"]', has_text="relance")
    expect(row).to_have_count(1)
    assert "CABM" in row.inner_text()

    screen.open(link.replace("http://localhost:8501", late_app.base))  # as the network head would follow it
    panel = page.locator('[data-testid="stExpander"] details', has_text="Modèle de dépôt à remplir")
    expect(panel).to_have_attribute("open", "")
    for key, value in (("modele_reseau", "CABM – "), ("modele_annee", "2025"), ("modele_trimestre", "T3")):
        assert page.locator(f".st-key-{key} input").input_value().startswith(value), key
    expect(page.get_by_role("button", name="Télécharger le modèle à remplir")).to_be_visible()
    screen.screenshot("depots--lien-de-relance")
