"""Budget – vue d'ensemble on the demo data: every figure against a hand computation from the demo files."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from demo_truth import budget, budget_through
from helpers_ingest import CONVENTION_HEADER, STAFF_HEADER, csv_text
from page_runner import TODAY, figures, open_page, show_tab, values
from streamlit.testing.v1 import AppTest
from viewers import MANAGER

from iaedash.filters import Filters
from iaedash.ingest.load import IncomingFile, import_files
from iaedash.reports.budget import budget_export_frame
from iaedash.reports.comparison import TOTAL, budget_year_on_year

PAGE = "pages/budget.py"
HEADS = ("CABM", "CETTI", "CHOPAL", "FEIAL", "ISARR", "URQLL")
TOPICS = ["Synthèse", "Prévu et réalisé", "Année précédente", "Mode de calcul"]  # one built per run (ui.sections)
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


# --- the year against the previous one at the same quarter (hand computation from the demo files) ---


def french_amount(text: str) -> Decimal:
    return Decimal(text.replace("\u202f", "").replace(",", "."))


def change(now: Decimal, then: Decimal | None) -> str:
    """« +26 % », « −27 % » (the change rounded half-up to 0,01 %, then shown to the unit)."""
    if then is None:
        return "–"
    rate = ((now - then) * 100 / then).quantize(Decimal("0.01"), ROUND_HALF_UP).quantize(Decimal("1"), ROUND_HALF_UP)
    return ("+" if rate > 0 else "\u2212" if rate < 0 else "") + f"{abs(rate)}\u202f%"


def points(gap: Decimal) -> str:
    rounded = gap.quantize(Decimal("0.1"), ROUND_HALF_UP)
    sign = "+" if rounded > 0 else ("\u2212" if rounded < 0 else "")
    return f"{sign}{abs(rounded)}".replace(".", ",") + ("\u202fpt" if abs(rounded) < 2 else "\u202fpts")


def test_the_year_against_the_same_quarter_of_the_previous_year(demo):
    """T1 to T3 2026 against T1 to T3 2025 (not the whole of 2025): cost and consumption, per head and in total."""
    app = open_page(PAGE, budget_sujet="Année précédente")
    now, then = budget_through(3, 2026), budget_through(3, 2025)
    cost, rate = figures(app)
    assert (
        cost["layout"]["title"]["text"]
        == "Coût total éligible en euros : T1 à T3 2026 face à T1 à T3 2025 – tous réseaux"
    )
    assert rate["layout"]["title"]["text"] == (
        "Consommation en % de la convention : T1 à T3 2026 face à T1 à T3 2025 – tous réseaux"
    )
    previous, current = cost["data"]
    assert (previous["name"], current["name"]) == ("T1 à T3 2025", "T1 à T3 2026")
    cents = Decimal("0.01")
    assert [Decimal(str(v)).quantize(cents) for v in values(current["y"])] == [now[h]["total"] for h in HEADS]
    assert [Decimal(str(v)).quantize(cents) for v in values(previous["y"])] == [then[h]["total"] for h in HEADS]
    assert cost["layout"]["xaxis"]["ticktext"] == [
        f"<b>{h}</b><br>{change(now[h]['total'], then[h]['total'])}" for h in HEADS
    ]
    previous, current = rate["data"]
    assert [Decimal(str(v)).quantize(cents) for v in values(current["y"])] == [now[h]["consumption"] for h in HEADS]
    assert [Decimal(str(v)).quantize(cents) for v in values(previous["y"])] == [then[h]["consumption"] for h in HEADS]
    gaps = [points(now[h]["consumption"] - then[h]["consumption"]) for h in HEADS]
    assert rate["layout"]["xaxis"]["ticktext"] == [f"<b>{h}</b><br>{gap}" for h, gap in zip(HEADS, gaps, strict=True)]
    # the data under the cost chart, exact to the cent, with the totals row
    data = next(t.value for t in app.dataframe if "Coût total éligible T1 à T3 2026" in t.value.columns)
    rows = {r["Réseau"]: r for r in data.to_dict("records")}
    for head in HEADS:
        assert french_amount(rows[head]["Personnel éligible T1 à T3 2026"]) == now[head]["eligible"]
        assert french_amount(rows[head]["Personnel éligible T1 à T3 2025"]) == then[head]["eligible"]
        assert french_amount(rows[head]["Coût total éligible T1 à T3 2025"]) == then[head]["total"]
    total_now = sum(h["total"] for h in now.values())
    total_then = sum(h["total"] for h in then.values())
    assert french_amount(rows["Total (6 réseaux)"]["Coût total éligible T1 à T3 2026"]) == total_now
    consumed_now = (total_now * 100 / sum(h["planned_total"] for h in now.values())).quantize(cents, ROUND_HALF_UP)
    consumed_then = (total_then * 100 / sum(h["planned_total"] for h in then.values())).quantize(cents, ROUND_HALF_UP)
    captions = [c.value for c in app.caption]
    assert (
        f"Tous réseaux : {euros_text(total_now)} de coût total éligible de T1 à T3 2026, contre "
        f"{euros_text(total_then)} de T1 à T3 2025 ({change(total_now, total_then)}) ; "
        f"{percent_text(consumed_now)} des conventions consommés, contre {percent_text(consumed_then)} "
        f"({points(consumed_now - consumed_then)})."
    ) in captions
    assert (
        "CABM : aucune ligne de personnel reçue pour T3 2026, sa comparaison porte sur des trimestres incomplets."
        in (captions)
    )


def euros_text(amount: Decimal) -> str:
    whole, decimals = f"{amount:.2f}".split(".")
    return f"{int(whole):,}".replace(",", "\u202f") + f",{decimals}\u202f€"


def percent_text(rate: Decimal) -> str:
    return f"{rate:.2f}".replace(".", ",") + "\u202f%"


def test_the_first_year_has_no_previous_one_to_compare_with(demo):
    app = open_page(PAGE, annee="2025", budget_sujet="Année précédente")
    assert not figures(app)
    assert [i.value for i in app.info] == [
        "Pas de comparaison avec 2024 : aucune tête de réseau de cette sélection n'avait de convention 2024 "
        "(2025 est sa première année suivie dans iaedash)."
    ]


def test_a_network_head_new_this_year_is_compared_with_nothing_and_left_out_of_the_total(demo_db: Path):
    convention = ["NOUV", "Réseau nouveau (fictif)", "2026", "01/01/2026", "31/12/2026", "50000,00", "42000,00"]
    convention += ["21000,00", "7000,00", "10500,00", "16/03/2026", "4", "4", "4", "4", "40", "4"]
    staff = [["NOUV", "2026", str(m), "S01", "Chargée de mission", "non", "3000,00", "100"] for m in (1, 2, 3)]
    files = [
        IncomingFile("conventions_nouv_2026.csv", csv_text(CONVENTION_HEADER, convention).encode()),
        IncomingFile("NOUV_2026_T1_personnel.csv", csv_text(STAFF_HEADER, *staff).encode()),
    ]
    outcomes = import_files(demo_db, files, date(2026, 4, 20))
    assert all(o.status == "accepted" for o in outcomes), [str(p) for o in outcomes for p in o.problems]
    compared = budget_year_on_year(demo_db, MANAGER, Filters(2026), 3)
    rows = compared.rows.set_index("network_head")
    assert compared.new_heads == ("NOUV",)
    assert rows.loc["NOUV", "total"] == Decimal("12600.00")  # 9 000 € of staff and the flat rate of 40 %
    assert rows.loc["NOUV", "total_previous"] is None and rows.loc["NOUV", "total_change"] is None
    assert rows.loc["NOUV", "consumption"] == Decimal("18.00")  # 12 600 / 70 000
    assert compared.not_received[2026]["NOUV"] == (2, 3)
    now, then = budget_through(3, 2026), budget_through(3, 2025)
    assert rows.loc[TOTAL, "total"] == sum(h["total"] for h in now.values())  # like for like: NOUV left out
    assert rows.loc[TOTAL, "total_previous"] == sum(h["total"] for h in then.values())
