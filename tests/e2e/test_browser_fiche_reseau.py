"""Fiche réseau in Chromium: one network head's indicators, convention, consumption and history."""

from __future__ import annotations

from playwright.sync_api import expect
from screen import Screen


def test_every_tab_of_a_network_head_s_page_loads(demo_app, screen: Screen):
    """The page a follow-up meeting opens with the network head, tab by tab."""
    screen.open(demo_app.url("fiche_reseau", reseau="FEIAL"))
    text = screen.check_page("fiche_reseau", expect_charts=True)
    assert "Fédération des entreprises d'insertion Artois-Littoral (fictive) (FEIAL)" in text
    assert "Le trimestre en bref – FEIAL, T" in text  # the last quarter ended of the newest year


def test_the_quarter_in_words_and_its_figures(demo_app, screen: Screen):
    """ISARR through T3, as a meeting opens it: the sentences first, then the figures behind each one."""
    screen.open(demo_app.url("fiche_reseau", annee="2025", reseau="ISARR", trimestre=["T1", "T2", "T3"]))
    assert screen.tabs()[0] == "Le trimestre en bref"
    main = screen.page.locator('[data-testid="stMain"]')
    expect(main.get_by_role("heading", name="Le trimestre en bref – ISARR, T3 2025")).to_be_visible()
    items = main.locator('[data-testid="stMarkdownContainer"] ol > li').all_inner_texts()
    assert items[0].startswith("Objectif annuel en danger à un trimestre de la fin : formations à ")
    assert items[1].startswith("Par rapport au T2 2025 : hausse des participants aux webinaires (")
    assert items[-1].startswith("Budget consommé à ")
    screen.screenshot("fiche_reseau--trimestre-en-bref")
    expander = main.locator('[data-testid="stExpander"]', has_text="D'où viennent ces chiffres")
    expander.locator("summary").click()
    table = expander.locator('[data-testid="stDataFrame"]')
    table.wait_for(state="visible")
    screen.page.wait_for_timeout(500)  # the expander's opening animation
    expander.scroll_into_view_if_needed()
    screen.screenshot("fiche_reseau--trimestre-en-bref--chiffres")
    screen.assert_fits_the_screen()
    screen.assert_accessible("fiche_reseau--trimestre-en-bref--chiffres")
    screen.open(demo_app.url("fiche_reseau", annee="2025", reseau="CETTI", reunion="true"))
    items = main.locator('[data-testid="stMarkdownContainer"] ol > li').all_inner_texts()
    assert items[0].startswith("Le dépôt du T4 2025 est arrivé en retard : reçu le 20/02/2026, 21 jours après")
    screen.screenshot("fiche_reseau--trimestre-en-bref--reunion")
    screen.assert_fits_the_screen()




def test_the_fiche_downloads_as_a_pdf_of_the_chosen_day_and_quarters(demo_app, screen: Screen, tmp_path):
    """One click on « Télécharger la fiche en PDF »: built then, named after what it shows, and it says on every
    page the filters and the day of the page it came from (read back with poppler when it is there)."""
    import re
    import shutil
    import subprocess

    screen.open(demo_app.url("fiche_reseau", reseau="FEIAL", fiche="FEIAL", trimestre=["T1", "T2"], au="2025-09-07"))
    screen.check_page("fiche_reseau_pdf", expect_charts=True)
    button = screen.page.get_by_role("button", name="Télécharger la fiche en PDF (A4, pour la réunion de suivi)")
    with screen.page.expect_download() as download:
        button.click()
    assert download.value.suggested_filename == "fiche_reseau_2025_T1-T2_FEIAL_au-2025-09-07.pdf"
    target = tmp_path / download.value.suggested_filename
    download.value.save_as(target)
    assert target.read_bytes().startswith(b"%PDF-")
    if shutil.which("pdftotext") is None:  # tests/test_fiche_pdf.py says why it is skipped, or fails under CI
        return
    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], check=True, capture_output=True, text=True)
    pages = text.stdout.replace("\u00a0", " ").split("\f")[:-1]
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert "Filtres : FEIAL · T1 à T2 2025 · toutes orientations · état au 07/09/2025" in page
        assert re.search(rf"page {number} / {len(pages)}\b", page)
