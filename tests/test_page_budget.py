"""Budget – vue d'ensemble on the demo data: every figure against a hand computation from the demo files."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from demo_truth import budget, budget_through
from page_runner import TODAY, figures, open_page, show_tab, values
from streamlit.testing.v1 import AppTest
from viewers import MANAGER

from iaedash.reports.budget import budget_export_frame

PAGE = "pages/budget.py"
HEADS = ("CABM", "CETTI", "CHOPAL", "FEIAL", "ISARR", "URQLL")
TOPICS = ["Synthèse", "Prévu et réalisé", "Mode de calcul"]  # only the open one is built (ui.sections)
ELAPSED_T3 = Decimal(273 * 100) / 365  # 1 January to 30 September 2025, of 365 days


def euros(text: str) -> Decimal:
    """« 14 078,40 € à verser » → 14078.40; « 651,00 € de trop-perçu à récupérer » → −651.00."""
    found = re.search(r"-?[\d\u202f\u00a0 ]+,\d\d", text)
    assert found, text
    amount = Decimal(re.sub(r"[\u202f\u00a0 ]", "", found.group()).replace(",", "."))
    return -amount if "trop-perçu" in text else amount


def percent(text: str) -> Decimal:
    return Decimal(text.removesuffix("\u202f%").replace(",", "."))


@pytest.fixture(scope="module")
def demo(demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One private copy of the demo database for the module: these tests only read."""
    folder = tmp_path_factory.mktemp("budget")
    shutil.copy(demo_db_template, folder / "iaedash.duckdb")
    shutil.copytree(demo_db_template.parent / "depots", folder / "depots")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IAEDASH_DB", str(folder / "iaedash.duckdb"))
        patch.setenv("IAEDASH_TODAY", TODAY)
        yield folder / "iaedash.duckdb"


@pytest.fixture(scope="module")
def full_year(demo: Path) -> AppTest:
    return open_page(PAGE, annee="2025")


@pytest.fixture(scope="module")
def through_t3(demo: Path) -> AppTest:
    return open_page(PAGE, annee="2025", trimestre=["T1", "T2", "T3"])


@pytest.fixture(scope="module")
def in_progress(demo: Path) -> AppTest:
    """The default year, 2026, on 24/11/2026: T4 has not ended, the page stops at T3."""
    return open_page(PAGE)


def summary_of(app: AppTest) -> dict[str, dict[str, str]]:
    table = next(t.value for t in app.dataframe if "Solde estimé" in t.value.columns)
    return {row["Réseau"].split(" ")[0]: row for row in table.to_dict("records")}


@pytest.mark.parametrize("quarter", [4, 3])
def test_each_network_head_equals_the_hand_computation(quarter, full_year, through_t3):
    rows = summary_of(full_year if quarter == 4 else through_t3)
    expected = budget_through(quarter)
    assert set(rows) == {*HEADS, "Total"}
    for head in HEADS:
        row, hand = rows[head], expected[head]
        assert euros(row["Coût total prévu"]) == hand["planned_total"]
        assert euros(row["Personnel déclaré"]) == hand["declared"]
        assert euros(row["Personnel éligible"]) == hand["eligible"]
        assert euros(row["Forfait 40 %"]) == hand["flat"]
        assert euros(row["Coût total éligible"]) == hand["total"]
        assert percent(row["Consommation"]) == hand["consumption"]
        assert euros(row["Projection fin d'année"]) == hand["projection"]
        assert euros(row["Participation Département"]) == hand["participation"]
        assert euros(row["Avance versée"]) == hand["advance"]
        assert euros(row["Solde estimé"]) == hand["balance"], head


def test_the_year_in_progress_is_consumed_through_its_last_ended_quarter(in_progress):
    rows = summary_of(in_progress)
    expected = budget_through(3, 2026)
    assert set(rows) == {*HEADS, "Total"}
    for head in HEADS:
        row, hand = rows[head], expected[head]
        assert euros(row["Coût total prévu"]) == hand["planned_total"]
        assert euros(row["Personnel éligible"]) == hand["eligible"]
        assert euros(row["Coût total éligible"]) == hand["total"]
        assert percent(row["Consommation"]) == hand["consumption"]
        assert euros(row["Projection fin d'année"]) == hand["projection"]
        assert euros(row["Solde estimé"]) == hand["balance"], head
    assert euros(rows["Total"]["Coût total éligible"]) == sum(h["total"] for h in expected.values())
    captions = " ".join(c.value for c in in_progress.caption)
    assert (
        "Les montants sont cumulés de T1 à T3 2026, fin de la période choisie (dernier trimestre terminé)." in captions
    )
    assert in_progress.header[0].value == "Consommation des conventions – T1 à T3 2026 – tous réseaux"


def test_totals_row_adds_up_the_network_heads(full_year):
    rows = summary_of(full_year)
    expected = budget_through(4)
    total = rows["Total"]
    for column, key in (
        ("Coût total prévu", "planned_total"),
        ("Personnel éligible", "eligible"),
        ("Forfait 40 %", "flat"),
        ("Coût total éligible", "total"),
        ("Solde estimé", "balance"),
    ):
        assert euros(total[column]) == sum(h[key] for h in expected.values()), column
    planned = sum(h["planned_total"] for h in expected.values())
    consumed = sum(h["total"] for h in expected.values())
    assert percent(total["Consommation"]) == (consumed * 100 / planned).quantize(Decimal("0.01"))


def test_the_page_and_the_budget_export_give_the_same_figures(full_year, demo):
    rows = summary_of(full_year)
    export = budget_export_frame(demo, MANAGER, 2025).set_index("reseau")
    for head in HEADS:
        assert euros(rows[head]["Personnel éligible"]) == export.loc[head, "depenses_personnel_eligibles"]
        assert euros(rows[head]["Forfait 40 %"]) == export.loc[head, "forfait_40"]
        assert euros(rows[head]["Coût total éligible"]) == export.loc[head, "cout_total_eligible"]
        assert percent(rows[head]["Consommation"]) == export.loc[head, "taux_consommation"]


def test_budget_export_frame_equals_the_hand_computation(demo):
    frame = budget_export_frame(demo, MANAGER, 2025)
    assert list(frame.columns) == [
        "reseau",
        "annee",
        "depenses_personnel_declarees",
        "depenses_personnel_eligibles",
        "forfait_40",
        "cout_total_eligible",
        "cout_total_prevu",
        "taux_consommation",
    ]
    expected = budget()
    assert list(frame["reseau"]) == sorted(expected)
    for row in frame.to_dict("records"):
        assert row["annee"] == 2025
        assert {k: v for k, v in row.items() if k not in ("reseau", "annee")} == expected[row["reseau"]]
        assert all(isinstance(v, Decimal) for k, v in row.items() if k not in ("reseau", "annee"))
    every = budget_export_frame(demo, MANAGER)  # every year: 2025, then 2026 so far, network head by network head
    assert list(zip(every["reseau"], every["annee"], strict=True)) == sorted(
        (h, y) for h in HEADS for y in (2025, 2026)
    )
    assert every[every["annee"] == 2025].reset_index(drop=True).equals(frame)
    expected = budget(2026)
    for row in every[every["annee"] == 2026].to_dict("records"):
        assert {k: v for k, v in row.items() if k not in ("reseau", "annee")} == expected[row["reseau"]]


def test_nine_months_in_the_under_consumer_stands_out_and_owes_a_trop_percu(through_t3):
    row = summary_of(through_t3)["URQLL"]
    assert percent(row["Temps écoulé"]) == ELAPSED_T3.quantize(Decimal("0.01"))
    assert row["Rythme"] == "sous-consommation"
    assert row["Solde estimé"] == "651,00\u202f€ de trop-perçu à récupérer"
    assert budget_through(3)["URQLL"]["balance"] == Decimal("-651.00")
    warnings = " ".join(w.value for w in through_t3.warning)
    assert "**URQLL** : 48,37\u202f% de la convention consommés pour 74,79\u202f% de l'opération écoulée" in warnings
    assert "CHOPAL" not in warnings


def test_chart_splits_staff_costs_and_flat_rate_planned_and_realised(demo):
    through_t3 = open_page(PAGE, annee="2025", trimestre=["T1", "T2", "T3"], budget_sujet="Prévu et réalisé")
    [fig] = figures(through_t3)
    assert fig["layout"]["title"]["text"] == "Budget prévu et réalisé – T1 à T3 2025 – tous réseaux"
    assert fig["layout"]["barmode"] == "stack"
    assert fig["layout"]["separators"] == ",\u00a0"
    traces = {t.get("name"): t for t in fig["data"] if t.get("name")}
    expected = budget_through(3)
    staff = traces["Personnel éligible réalisé"]
    assert staff["x"][0] == list(HEADS)
    assert [Decimal(str(v)).quantize(Decimal("0.01")) for v in values(staff["y"])] == [
        expected[h]["eligible"] for h in HEADS
    ]
    flat = traces["Forfait 40 % réalisé"]
    assert [Decimal(str(v)).quantize(Decimal("0.01")) for v in values(flat["y"])] == [
        expected[h]["flat"] for h in HEADS
    ]
    planned = [
        Decimal(str(a + b)).quantize(Decimal("0.01"))
        for a, b in zip(values(traces["Personnel prévu"]["y"]), values(traces["Forfait 40 % prévu"]["y"]), strict=True)
    ]
    assert planned == [expected[h]["planned_total"] for h in HEADS]
    # the chart's data, shown in French (1 234,56) and exact to the cent
    data = next(t.value for t in through_t3.dataframe if "Personnel éligible réalisé" in t.value.columns)
    shown = [Decimal(v.replace("\u202f", "").replace(",", ".")) for v in data["Coût total éligible réalisé"]]
    assert shown == [expected[h]["total"] for h in HEADS]


def test_the_page_says_the_balance_is_an_estimate_and_how_figures_are_computed(demo):
    app, captions, explained = open_page(PAGE), [], []
    for topic in TOPICS:
        show_tab(app, "budget_sujet", topic)
        captions += [c.value for c in app.caption]
        explained += [m.value for m in app.markdown]
    captions = " ".join(captions)
    assert "estimation" in captions and "bilan final" in captions
    explained = " ".join(explained)
    for figure in ("Forfait de 40\u202f%", "Projection fin d'année", "Participation du Département", "Solde estimé"):
        assert f"**{figure}**" in explained
    assert "plafonnée" not in explained  # the cap is phrased « sans jamais dépasser »
    assert "sans jamais dépasser le montant de la contrepartie" in explained


def test_filtered_network_heads_and_meeting_mode(demo):
    app = open_page(PAGE, annee="2025", reseau=["CABM", "URQLL"], reunion="true")
    rows = summary_of(app)
    assert set(rows) == {"CABM", "URQLL", "Total"}
    assert euros(rows["Total"]["Coût total éligible"]) == sum(budget_through(4)[h]["total"] for h in ("CABM", "URQLL"))
    assert euros(rows["URQLL"]["Solde estimé"]) == budget_through(4)["URQLL"]["balance"]
    assert "Personnel déclaré" not in rows["URQLL"]  # fewer columns on a shared screen
    shown = " ".join(str(t.value.to_dict()) for t in app.dataframe) + " ".join(m.value for m in app.markdown)
    assert "S01" not in shown
    assert not any("Salarié" in t.value.columns for t in app.dataframe)
