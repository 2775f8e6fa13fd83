"""Budget – détail d'un réseau on the demo data: months, staff lines with their reasons, plan, balance, deadline."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from demo_truth import MONTH_NAMES_FR, budget_through, monthly_costs, plans, staff_lines
from helpers_ingest import CONVENTION_HEADER, STAFF_HEADER, csv_text
from page_runner import TODAY, assert_ran, figures, open_page, show_tab, values
from streamlit.testing.v1 import AppTest
from viewers import MANAGER

from iaedash.filters import Filters
from iaedash.ingest.load import IncomingFile, import_files
from iaedash.reports.budget import budget_summary, network_head_budget

PAGE = "pages/budget_reseau.py"
HEADS = ("CABM", "CETTI", "CHOPAL", "FEIAL", "ISARR", "URQLL")
TOPICS = ["Mois par mois", "Financement et solde", "Lignes de personnel", "Mode de calcul"]


def euros(text: str) -> Decimal:
    """« 14 078,40 € à verser » → 14078.40; « 651,00 € de trop-perçu à récupérer » → −651.00."""
    found = re.search(r"[\d\u202f\u00a0 ]+,\d\d", text)
    assert found, text
    amount = Decimal(re.sub(r"[\u202f\u00a0 ]", "", found.group()).replace(",", "."))
    return -amount if "trop-perçu" in text else amount


@pytest.fixture(scope="module")
def demo(demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("budget_reseau")
    shutil.copy(demo_db_template, folder / "iaedash.duckdb")
    shutil.copytree(demo_db_template.parent / "depots", folder / "depots")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IAEDASH_DB", str(folder / "iaedash.duckdb"))
        patch.setenv("IAEDASH_TODAY", TODAY)
        yield folder / "iaedash.duckdb"


@pytest.fixture(scope="module")
def app(demo: Path) -> AppTest:
    return open_page(PAGE, annee="2025", budget_reseau="CABM")


@pytest.fixture(scope="module")
def in_progress(demo: Path) -> AppTest:
    """The default year, 2026 (T1 to T3 on 24/11/2026)."""
    return open_page(PAGE, budget_reseau="CABM")


def show(app: AppTest, head: str) -> AppTest:
    app.selectbox(key="budget_reseau").set_value(head).run()
    assert_ran(app)
    return app


def tab(app: AppTest, topic: str) -> AppTest:
    """Only the open topic is built (ui.sections); the module's app is shared: each test opens the topic it reads."""
    return show_tab(app, "budget_reseau_sujet", topic)


def table_with(app: AppTest, column: str, nth: int = 0):
    return [t.value for t in app.dataframe if column in t.value.columns][nth]


@pytest.mark.parametrize("head", HEADS)
def test_figures_of_each_network_head_equal_the_hand_computation(app, head):
    show(app, head)
    hand = budget_through(4)[head]
    metrics = {}
    for topic in ("Financement et solde", "Mois par mois"):  # the months last: their chart and data are read below
        metrics |= {m.label: m.value for m in tab(app, topic).metric}
    assert euros(metrics["Personnel éligible"]) == hand["eligible"]
    assert euros(metrics["Forfait de 40 %"]) == hand["flat"]
    assert euros(metrics["Coût total éligible"]) == hand["total"]
    assert metrics["Consommation"] == f"{hand['consumption']}\u202f%".replace(".", ",")
    assert euros(metrics["Avance versée"]) == hand["advance"]
    assert euros(metrics["Participation estimée du Département"]) == hand["participation"]
    label = "Solde estimé à verser" if hand["balance"] > 0 else "Trop-perçu estimé à récupérer"
    assert euros(metrics[label]) == abs(hand["balance"])
    assert metrics["Bilan final"] == "31/03/2026"
    # month by month: staff costs and the flat rate stacked, the months adding up to the flat rate on the sum
    [fig] = figures(app)
    assert fig["layout"]["title"]["text"] == f"Dépenses éligibles et forfait de 40 % par mois – T1 à T4 2025 – {head}"
    staff, flat = fig["data"]
    months = monthly_costs(head)
    assert [Decimal(str(v)).quantize(Decimal("0.01")) for v in values(staff["y"])] == [
        months[m][1] for m in sorted(months)
    ]
    assert sum(Decimal(str(v)) for v in values(flat["y"])).quantize(Decimal("0.01")) == hand["flat"]
    data = table_with(app, "Part du forfait de 40 %")
    assert list(data["Mois"]) == [f"{MONTH_NAMES_FR[m - 1]} 2025" for m in sorted(months)]
    # shown in French (1 234,56), exact to the cent
    assert sum(french(v) for v in data["Part du forfait de 40 %"]) == hand["flat"]
    assert [french(v) for v in data["Dépenses de personnel déclarées"]] == [months[m][0] for m in sorted(months)]


def money(amount: Decimal) -> str:
    whole, cents = f"{amount:.2f}".split(".")
    return f"{int(whole):,}".replace(",", "\u202f") + f",{cents}\u202f€"


def pct(rate: Decimal) -> str:
    return f"{rate:.2f}".replace(".", ",") + "\u202f%"


def french(text: str) -> Decimal:
    return Decimal(text.replace("\u202f", "").replace(",", "."))


@pytest.mark.parametrize("head", ["CHOPAL", "URQLL"])
def test_financing_plan_against_the_projected_cost(app, head):
    show(app, head)
    tab(app, "Financement et solde")
    plan, hand = plans()[head], budget_through(4)[head]
    table = table_with(app, "Plan de financement").set_index("Élément")
    assert euros(table.loc["Coût total éligible", "Plan de financement"]) == plan["planned_total"]
    assert euros(table.loc["FSE+", "Plan de financement"]) == plan["esf"]
    assert euros(table.loc["Contrepartie du Département", "Plan de financement"]) == plan["department"]
    assert euros(table.loc["Autofinancement", "Plan de financement"]) == plan["self_financing"]
    assert euros(table.loc["Coût total éligible", "Réalisé à fin T4"]) == hand["total"]
    assert euros(table.loc["Coût total éligible", "Projection fin d'année"]) == hand["projection"]
    department = table.loc["Contrepartie du Département", "Réalisé à fin T4"]
    assert euros(department) == hand["participation"]
    assert ("plafond atteint" in department) == (head == "CHOPAL")  # CHOPAL spent more than planned: capped


def test_ineligible_lines_appear_with_their_reason(app):
    tab(app, "Lignes de personnel")  # stays open while the network head changes
    show(app, "CHOPAL")
    refused = table_with(app, "Motif du refus", 0)
    expected = [line for line in staff_lines() if line["head"] == "CHOPAL" and not line["eligible"]]
    assert len(refused) == len(expected) == 12
    assert set(refused["Salarié"]) == {"S04"}
    assert set(refused["Motif du refus"]) == {"fonction support ; taux d'affectation inférieur à 30 %"}
    every = table_with(app, "Motif du refus", 1)
    mine = [line for line in staff_lines() if line["head"] == "CHOPAL"]
    assert len(every) == len(mine)
    assert sum(euros(v) for v in every["Montant déclaré"]) == budget_through(4)["CHOPAL"]["declared"]
    show(app, "FEIAL")
    refused = table_with(app, "Motif du refus", 0)
    assert set(refused["Motif du refus"]) == {"taux d'affectation inférieur à 30 %"}
    assert set(refused["Taux d'affectation"]) == {"25\u202f%"}
    show(app, "CETTI")  # S03 at exactly 30 %: eligible, no refused line
    assert "Toutes les lignes de personnel reçues sont éligibles." in [m.value for m in app.markdown]
    every = table_with(app, "Motif du refus")
    assert set(every[every["Salarié"] == "S03"]["Taux d'affectation"]) == {"30\u202f%"}
    assert set(every["Éligible"]) == {"oui"}


def test_rate_changing_between_months_is_flagged(app):
    tab(app, "Lignes de personnel")  # stays open while the network head changes
    show(app, "CABM")
    shown = [m.value for m in app.markdown]
    assert "- S02 : taux d'affectation 50\u202f% puis 70\u202f% (changement en juillet)" in shown
    every = table_with(app, "Taux modifié ce mois")
    flagged = every[every["Taux modifié ce mois"] == "oui"]
    assert list(zip(flagged["Salarié"], flagged["Mois"], strict=True)) == [("S02", "juillet 2025")]
    show(app, "ISARR")
    assert "Aucun : chaque salarié a le même taux tous les mois." in [m.value for m in app.markdown]


def test_deadline_estimate_and_explanations(app):
    show(app, "URQLL")
    captions, infos, explained = [], [], []
    for topic in TOPICS:
        tab(app, topic)
        captions += [c.value for c in app.caption]
        infos += [i.value for i in app.info]
        explained += [m.value for m in app.markdown]
    captions = " ".join(captions)
    days = (date.fromisoformat(TODAY) - date(2026, 3, 31)).days
    assert f"L'échéance du bilan final est passée depuis {days} jour(s)" in captions
    assert any("**estimation**" in i and "bilan final" in i for i in infos)
    explained = " ".join(explained)
    for figure in ("Dépenses de personnel éligibles", "Forfait de 40\u202f%", "Consommation", "Solde estimé"):
        assert f"**{figure}**" in explained


def test_meeting_mode_never_shows_staff_lines(demo):
    app = open_page(PAGE, annee="2025", budget_reseau="CHOPAL", reunion="true")
    seen = []
    for topic in TOPICS:
        app.segmented_control(key="budget_reseau_sujet").set_value(topic).run()
        assert_ran(app)
        seen += [str(t.value.to_dict()) for t in app.dataframe] + [m.value for m in app.markdown]
        seen += [i.value for i in app.info]
        assert not any("Salarié" in t.value.columns for t in app.dataframe), topic
    shown = " ".join(seen)
    assert not re.search(r"\bS0\d\b", shown)
    assert "ne sont pas affichées en mode réunion" in shown
    assert "12 ligne(s) pour « fonction support ; taux d'affectation inférieur à 30 % »" in shown  # counted only


@pytest.mark.parametrize("head", HEADS)
def test_the_year_in_progress_equals_the_hand_computation_through_its_last_ended_quarter(in_progress, head):
    app = show(in_progress, head)
    hand = budget_through(3, 2026)[head]
    metrics = {}
    for topic in ("Financement et solde", "Mois par mois"):
        metrics |= {m.label: m.value for m in tab(app, topic).metric}
    assert euros(metrics["Personnel éligible"]) == hand["eligible"]
    assert euros(metrics["Coût total éligible"]) == hand["total"]
    assert metrics["Consommation"] == f"{hand['consumption']}\u202f%".replace(".", ",")
    assert euros(metrics["Participation estimée du Département"]) == hand["participation"]
    assert metrics["Bilan final"] == "31/03/2027"
    [fig] = [f for f in figures(app) if "par mois" in f["layout"]["title"]["text"]]
    assert fig["layout"]["title"]["text"] == f"Dépenses éligibles et forfait de 40 % par mois – T1 à T3 2026 – {head}"
    months = monthly_costs(head, 2026)
    assert [Decimal(str(v)).quantize(Decimal("0.01")) for v in values(fig["data"][0]["y"])] == [
        months[m][1] for m in sorted(months)
    ]
    missing = [m for m in range(1, 10) if m not in months]
    captions = " ".join(c.value for c in app.caption)
    # against the same quarter of 2025, each year against its own convention
    then = budget_through(3, 2025)[head]
    rate = ((hand["total"] - then["total"]) * 100 / then["total"]).quantize(Decimal("0.01"), ROUND_HALF_UP)
    rounded = rate.quantize(Decimal("1"), ROUND_HALF_UP)
    change = ("+" if rounded > 0 else "\u2212" if rounded < 0 else "") + f"{abs(rounded)}\u202f%"
    assert (
        f"Face à T1 à T3 2025 : coût total éligible {money(hand['total'])} contre {money(then['total'])} ({change}) ; "
        f"consommation {pct(hand['consumption'])} contre {pct(then['consumption'])}"
    ) in captions
    if missing:  # CABM never sent its T3: July to September have no line, and the page says so
        assert head == "CABM" and missing == [7, 8, 9]
        assert "Mois sans aucune ligne de personnel : juillet, août, septembre" in captions
    else:
        assert "Mois sans aucune ligne de personnel" not in captions


def test_the_year_in_progress_flags_its_rate_change_not_its_new_hire(in_progress):
    tab(in_progress, "Lignes de personnel")
    show(in_progress, "FEIAL")
    assert "- S05 : taux d'affectation 25\u202f% puis 40\u202f% (changement en juillet)" in [
        m.value for m in in_progress.markdown
    ]
    every = table_with(in_progress, "Taux modifié ce mois", 1)  # after the table of the refused lines
    flagged = every[every["Taux modifié ce mois"] == "oui"]
    assert list(zip(flagged["Salarié"], flagged["Mois"], strict=True)) == [("S05", "juillet 2026")]
    # 25 % (under the minimum) until June: refused; 40 % from July: eligible
    refused = table_with(in_progress, "Motif du refus", 0)
    expected = [line for line in staff_lines(2026) if line["head"] == "FEIAL" and not line["eligible"]]
    assert len(refused) == len(expected) == 6
    show(in_progress, "CHOPAL")  # S05 hired in April: new lines, not a changing rate
    assert "Aucun : chaque salarié a le même taux tous les mois." in [m.value for m in in_progress.markdown]
    every = table_with(in_progress, "Taux modifié ce mois", 1)  # after the table of S04's refused lines
    assert sorted(every[every["Salarié"] == "S05"]["Mois"]) == sorted(
        f"{MONTH_NAMES_FR[m - 1]} 2026" for m in range(4, 10)
    )


# --- states the demo does not have: an amended convention, no staff line yet, only ineligible lines, a gap ---


def _import(db: Path, name: str, text: str) -> None:
    [outcome] = import_files(db, [IncomingFile(name, text.encode())], date(2025, 10, 20))
    assert outcome.status == "accepted", [str(p) for p in outcome.problems]


def test_an_amended_convention_counts_in_its_current_version(demo_db: Path):
    # CABM's convention amended: 80 000 € of staff (112 000 € in all), the Département down to 25 %
    row = ["CABM", "Coordination (fictive)", "2025", "01/01/2025", "31/12/2025", "80000,00", "72800,00", "28000,00"]
    _import(
        demo_db,
        "avenant_CABM.csv",
        csv_text(CONVENTION_HEADER, row + ["11200,00", "14952,00", "17/03/2025"] + ["1"] * 6),
    )
    detail = network_head_budget(demo_db, MANAGER, 2025, "CABM", 4, date.fromisoformat(TODAY))
    s = detail.summary
    assert detail.convention.version == 2
    assert s.plan.planned_total_cost == Decimal("112000.00")
    assert s.costs.total_eligible_cost == budget_through(4)["CABM"]["total"] == Decimal("96768.00")
    assert s.consumption == Decimal("86.40")
    assert s.participation.amount == Decimal("24192.00")  # 96 768 × 28 000 / 112 000
    assert s.balance.amount == Decimal("9240.00")


def test_no_staff_line_yet_only_ineligible_lines_and_a_missing_month(demo_db: Path, monkeypatch):
    rows = [
        ["NEUF", "Réseau neuf (fictif)", "2025", "01/01/2025", "31/12/2025", "50000,00", "42000,00", "21000,00"]
        + ["7000,00", "10500,00", "17/03/2025"]
        + ["1"] * 6,
        ["SUPP", "Réseau support (fictif)", "2025", "01/01/2025", "31/12/2025", "50000,00", "42000,00", "21000,00"]
        + ["7000,00", "10500,00", "17/03/2025"]
        + ["1"] * 6,
    ]
    _import(demo_db, "conventions_tests.csv", csv_text(CONVENTION_HEADER, *rows))
    # SUPP: January and March only (February missing), all support functions: declared, never eligible
    staff = [["SUPP", "2025", str(m), "S01", "Comptable", "oui", "3000,00", "50"] for m in (1, 3)]
    _import(demo_db, "SUPP_2025_T1_personnel.csv", csv_text(STAFF_HEADER, *staff))
    chosen = Filters(2025, network_heads=("NEUF", "SUPP"))
    summary = budget_summary(demo_db, MANAGER, chosen, 1).set_index("network_head")
    new, supp = summary.loc["NEUF"], summary.loc["SUPP"]
    assert new["declared_staff_costs"] == new["total_eligible_cost"] == Decimal("0.00")
    assert new["projection"] is None and new["balance"] == Decimal("-10500.00")  # the advance, to recover
    assert supp["declared_staff_costs"] == Decimal("3000.00")
    assert supp["eligible_staff_costs"] == supp["projection"] == Decimal("0.00")

    monkeypatch.setenv("IAEDASH_DB", str(demo_db))
    monkeypatch.setenv("IAEDASH_TODAY", TODAY)
    app = open_page(PAGE, annee="2025", budget_reseau="NEUF", trimestre="T1")
    assert any("NEUF n'a encore envoyé aucune ligne de personnel pour T1 2025" in i.value for i in app.info)
    metrics = {}
    for topic in ("Mois par mois", "Financement et solde"):
        metrics |= {m.label: m.value for m in tab(app, topic).metric}
    assert metrics["Consommation"] == "0,00\u202f%"
    assert euros(metrics["Trop-perçu estimé à récupérer"]) == Decimal("10500.00")  # the whole advance
    show(app, "SUPP")
    assert any("Aucune des lignes de personnel reçues de SUPP n'est éligible" in w.value for w in app.warning)
    assert any("février" in c.value and "projection" in c.value for c in tab(app, "Mois par mois").caption)
    refused = table_with(tab(app, "Lignes de personnel"), "Motif du refus", 0)
    assert set(refused["Motif du refus"]) == {"fonction support"}
