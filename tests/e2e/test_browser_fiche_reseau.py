"""Fiche réseau in Chromium: one network head's indicators, convention, consumption and history."""

from __future__ import annotations

from screen import Screen


def test_every_tab_of_a_network_head_s_page_loads(demo_app, screen: Screen):
    """The page a follow-up meeting opens with the network head, tab by tab."""
    screen.open(demo_app.url("fiche_reseau", reseau="FEIAL"))
    text = screen.check_page("fiche_reseau", expect_charts=True)
    assert "Fédération des entreprises d'insertion Artois-Littoral (fictive) (FEIAL)" in text


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
