"""Fiche réseau on the demo data: one network head, its indicators against targets, its history."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from demo_truth import budget, targets, totals
from page_runner import TODAY, open_page

from iaedash.domain.reference import INDICATORS

PAGE = "pages/fiche_reseau.py"


@pytest.fixture(autouse=True)
def demo(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IAEDASH_DB", str(demo_db))
    monkeypatch.setenv("IAEDASH_TODAY", TODAY)


@pytest.mark.parametrize("year", [2025, 2026])
def test_indicators_of_one_network_head_against_its_targets(year: int):
    app = open_page(PAGE, annee=str(year), fiche="ISARR")
    table = app.dataframe[0].value
    done = totals({"ISARR"}, year=year)
    for ind in INDICATORS:
        row = table[table["Indicateur"] == ind.label].iloc[0]
        for q in (1, 2, 3, 4):  # 2026: T4 not sent yet, 0
            assert row[f"T{q}"] == sum(v for (_h, qq, _o, c), v in done.items() if c == ind.code and qq == q)
        assert row["Objectif annuel"] == targets(year)[("ISARR", ind.code)]


def test_history_shows_versions_and_the_late_quarter():
    app = open_page(PAGE, annee="2025", fiche="CETTI", fiche_sujet="Dépôts et commentaires")
    history = next(t.value for t in app.dataframe if "Délai" in t.value.columns)
    late = history[(history["Trimestre"] == "T4") & (history["Type"] == "Indicateurs")].iloc[0]
    assert (late["Délai"], late["Reçu le"]) == ("en retard", "20/02/2026")
    app = open_page(PAGE, annee="2025", fiche="FEIAL", fiche_sujet="Dépôts et commentaires")
    history = next(t.value for t in app.dataframe if "Délai" in t.value.columns)
    t2 = history[(history["Trimestre"] == "T2") & (history["Type"] == "Indicateurs")]
    assert sorted(t2["Version"]) == [1, 2]
    assert set(t2["Courante"]) == {"oui", "remplacée"}


@pytest.mark.parametrize("year", [2025, 2026])  # 2026: through T3, the last quarter ended
def test_budget_summary_equals_the_hand_computation(year: int):
    app = open_page(PAGE, annee=str(year), fiche="URQLL", fiche_sujet="Budget")
    metrics = {m.label: m.value for m in app.metric}
    expected = budget(year)["URQLL"]

    def euros(text: str) -> Decimal:
        return Decimal(text.removesuffix("\u202f€").replace("\u202f", "").replace(",", "."))

    assert euros(metrics["Dépenses de personnel éligibles"]) == expected["depenses_personnel_eligibles"]
    assert euros(metrics["Forfait de 40 %"]) == expected["forfait_40"]
    assert euros(metrics["Coût total éligible"]) == expected["cout_total_eligible"]
    rate = expected["taux_consommation"].quantize(Decimal("0.1"))
    assert metrics["Taux de consommation"] == f"{rate}\u202f%".replace(".", ",")


def test_comments_sent_are_listed_with_their_source():
    app = open_page(PAGE, annee="2025", fiche="ISARR", fiche_sujet="Dépôts et commentaires")
    comments = next(t.value for t in app.dataframe if "Commentaire" in t.value.columns)
    assert comments["Commentaire"].str.contains("DREETS").any()
    assert {"Fichier", "Version", "Ligne"} <= set(comments.columns)


def test_history_of_the_year_in_progress_shows_the_late_second_quarter():
    app = open_page(PAGE, fiche="ISARR", fiche_sujet="Dépôts et commentaires")  # the default year, 2026
    history = next(t.value for t in app.dataframe if "Délai" in t.value.columns)
    late = history[(history["Trimestre"] == "T2") & (history["Type"] == "Indicateurs")].iloc[0]
    assert (late["Délai"], late["Reçu le"]) == ("en retard", "24/08/2026")
    assert set(history[history["Trimestre"] != "T2"]["Délai"]) - {"–", ""} <= {"à temps"}


def test_meeting_mode_shows_no_staff_level_detail():
    app = open_page(PAGE, fiche="CHOPAL", reunion="true")
    shown = " ".join(str(t.value.to_dict()) for t in app.dataframe) + " ".join(m.value for m in app.markdown)
    assert "S01" not in shown and "salari" not in shown.lower()
