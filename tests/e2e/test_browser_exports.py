"""Exports in Chromium: the analysts' dataset downloaded as a person would, and its bytes checked."""

from __future__ import annotations

import csv
import io
import re

from demo_truth import budget
from screen import Screen

from iaedash.exports import DATASETS


def test_the_page_loads(demo_app, screen: Screen):
    """The dataset picker, its preview and its dictionary."""
    screen.open(demo_app.url("exports"))
    screen.check_page("exports", expect_numbers=False)


def test_the_budget_export_opens_in_french_excel(demo_app, screen: Screen):
    """BOM, « ; », CRLF, decimal commas; the amounts equal the hand computation from the demo files."""
    screen.open(demo_app.url("exports"))
    picker = screen.page.locator('[data-testid="stSelectbox"]', has_text="Jeu de données")
    screen.rerun_after(
        lambda: (picker.click(), screen.page.get_by_role("option", name=DATASETS["budget"].title).click())
    )
    assert "export_jeu=Budget" in screen.page.url  # the link keeps the choice (by its label)
    screen.check_page("exports--budget")  # its preview shows amounts the French way
    button = screen.page.get_by_role("button", name=re.compile(r"^Télécharger .*\.csv"))
    with screen.page.expect_download() as download:
        button.click()
    data = download.value.path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    assert text.count("\r\n") == len(text.splitlines())
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    hand = budget(2026)  # the default year: 2026 so far
    assert {r["reseau"]: r["forfait_40"] for r in rows} == {
        head: f"{values['forfait_40']:.2f}".replace(".", ",") for head, values in hand.items()
    }
