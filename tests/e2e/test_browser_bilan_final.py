"""Bilan final in Chromium: the final-report pack of one network head, ready to download."""

from __future__ import annotations

from screen import Screen


def test_the_page_loads_and_offers_both_documents(demo_app, screen: Screen):
    """The narrative .docx and the financial .xlsx, one click each."""
    screen.open(demo_app.url("bilan_final", reseau="ISARR"))
    text = screen.check_page("bilan_final", expect_numbers=False)
    assert "Bilan final 2025 – " in text and "(ISARR)" in text
    assert screen.page.locator('[data-testid="stDownloadButton"]').count() >= 2
