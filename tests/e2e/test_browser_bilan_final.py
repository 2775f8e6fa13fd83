"""Bilan final in Chromium: the final-report pack of one network head, ready to download."""

from __future__ import annotations

from screen import Screen


def test_the_page_loads_and_offers_both_documents(demo_app, screen: Screen):
    """The narrative .docx and the financial .xlsx, one click each."""
    screen.open(demo_app.url("bilan_final", reseau="ISARR"))
    text = screen.check_page("bilan_final", expect_numbers=False)
    assert "Bilan final 2026 – " in text and "(ISARR)" in text  # the default year, the newest
    assert "Appel 2026 : paramètres provisoires repris de 2025 (hypothèse de travail)" in text
    assert screen.page.locator('[data-testid="stDownloadButton"]').count() >= 2


def test_each_document_is_built_when_asked_for_and_opens(demo_app, screen: Screen, tmp_path):
    """The documents are built on click (not at each visit of the page): what arrives is the real document."""
    import zipfile

    screen.open(demo_app.url("bilan_final", reseau="ISARR"))
    screen.check_page("bilan_final", expect_numbers=False)
    expected = {
        "bilan_pedagogique_ISARR_2026.docx": "word/document.xml",
        "bilan_execution_ISARR_2026.xlsx": "xl/workbook.xml",
    }
    for button in screen.page.locator('[data-testid="stDownloadButton"] button').all():
        with screen.page.expect_download() as download:
            button.click()
        name = download.value.suggested_filename
        target = tmp_path / name
        download.value.save_as(target)
        with zipfile.ZipFile(target) as archive:
            assert expected.pop(name) in archive.namelist()
    assert expected == {}
