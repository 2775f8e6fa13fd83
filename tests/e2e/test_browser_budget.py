"""Budget – vue d'ensemble in Chromium: consumption of every convention, and its CSV for French Excel."""

from __future__ import annotations

import csv
import io
from decimal import ROUND_HALF_UP, Decimal

from demo_truth import budget, budget_through
from screen import Screen

HEADS = ["CABM", "CETTI", "CHOPAL", "FEIAL", "ISARR", "URQLL"]


def amount(text: str) -> Decimal:
    return Decimal(text.replace("\u202f", "").replace("\u00a0", "").replace(",", "."))


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

    hand = budget(2026)  # the default year: T1 to T3 2026, all it has so far
    assert {row["Réseau"]: amount(row["Personnel éligible réalisé"]) for row in rows} == {
        head: values["depenses_personnel_eligibles"] for head, values in hand.items()
    }
    assert {row["Réseau"]: amount(row["Coût total prévu"]) for row in rows} == {
        head: values["cout_total_prevu"] for head, values in hand.items()
    }


def test_the_year_against_the_previous_one_at_the_same_quarter(demo_app, screen: Screen):
    """T1 to T3 2026 against T1 to T3 2025: two drawn charts, their CSV equal to the hand computation."""
    screen.open(demo_app.url("budget", budget_sujet="Année précédente"))
    titles = [chart.title for chart in screen.assert_charts_drawn()]
    assert titles == [
        "Coût total éligible en euros : T1 à T3 2026 face à T1 à T3 2025 – tous réseaux",
        "Consommation en % de la convention : T1 à T3 2026 face à T1 à T3 2025 – tous réseaux",
    ]
    screen.screenshot_charts("budget--annee-precedente")
    now, then = budget_through(3, 2026), budget_through(3, 2025)
    data, name = screen.download_first_chart_csv()
    assert name == "iae_budget_total_face_a_2025_2026_T1-T3_tous-reseaux.csv"
    rows = {r["Réseau"]: r for r in csv.DictReader(io.StringIO(data[3:].decode("utf-8")), delimiter=";")}
    for head in HEADS:
        assert amount(rows[head]["Coût total éligible T1 à T3 2026"]) == now[head]["total"]
        assert amount(rows[head]["Coût total éligible T1 à T3 2025"]) == then[head]["total"]
        assert amount(rows[head]["Personnel éligible T1 à T3 2025"]) == then[head]["eligible"]
    assert amount(rows["Total (6 réseaux)"]["Coût total éligible T1 à T3 2026"]) == sum(
        h["total"] for h in now.values()
    )
    assert "CABM : aucune ligne de personnel reçue pour T3 2026" in screen.text()
    second = screen.page.locator('[data-testid="stPlotlyChart"]:visible').nth(1)
    second.scroll_into_view_if_needed()
    screen.page.wait_for_timeout(300)
    screen.screenshot("budget--annee-precedente--consommation")
    seen = screen.chart_texts(titles[1])
    previous, current = seen["bars"]  # the previous year first, lighter and hatched
    assert current == [rate(now[h]["consumption"]) for h in HEADS]
    assert previous == [rate(then[h]["consumption"]) for h in HEADS]
    assert seen["ticks"] == [f"{h}|{points(now[h]['consumption'] - then[h]['consumption'])}" for h in HEADS]


def rate(value: Decimal) -> str:
    """« 77,3 % »: a consumption rate on its bar, half-up to the tenth."""
    return f"{value.quantize(Decimal('0.1'), ROUND_HALF_UP)}".replace(".", ",") + "\u202f%"


def points(gap: Decimal) -> str:
    """« +4,5 pts », « −1,6 pt »: the gap between two consumption rates, as the chart must write it."""
    rounded = gap.quantize(Decimal("0.1"), ROUND_HALF_UP)
    sign = "+" if rounded > 0 else ("\u2212" if rounded < 0 else "")
    return f"{sign}{abs(rounded)}".replace(".", ",") + ("\u202fpt" if abs(rounded) < 2 else "\u202fpts")
