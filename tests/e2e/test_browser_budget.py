"""Budget – vue d'ensemble in Chromium: consumption of every convention, and its CSV for French Excel."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from demo_truth import budget
from screen import Screen


def test_every_tab_loads_with_euros_in_french(demo_app, screen: Screen):
    """Amounts read « 887 204,64 € », percentages « 96,34 % », on every tab."""
    screen.open(demo_app.url("budget"))
    text = screen.check_page("budget", expect_charts=True)
    assert "Coût total éligible" in text


def test_the_budget_csv_has_decimal_commas_that_add_up(demo_app, screen: Screen):
    """The chart's CSV: BOM, « ; », decimal commas, and amounts equal to the hand computation."""
    screen.open(demo_app.url("budget"))
    screen.show_tab("Prévu et réalisé")
    data, _ = screen.download_first_chart_csv()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data[3:].decode("utf-8")), delimiter=";"))
    assert rows, data[:200]
    money = [v for row in rows for v in row.values() if v and v[0].isdigit() and "," in v]
    assert money and all("." not in v for v in money), money[:5]

    def amount(text: str) -> Decimal:
        return Decimal(text.replace("\u202f", "").replace("\u00a0", "").replace(",", "."))

    hand = budget()
    assert {row["Réseau"]: amount(row["Personnel éligible réalisé"]) for row in rows} == {
        head: values["depenses_personnel_eligibles"] for head, values in hand.items()
    }
    assert {row["Réseau"]: amount(row["Coût total prévu"]) for row in rows} == {
        head: values["cout_total_prevu"] for head, values in hand.items()
    }
