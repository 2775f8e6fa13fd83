"""Fiche réseau on the demo data: one network head, its indicators against targets, its history."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from demo_truth import budget, budget_through, targets, totals
from page_runner import TODAY, open_page

from iaedash.domain.reference import INDICATORS

PAGE = "pages/fiche_reseau.py"


@pytest.fixture(autouse=True)
def demo(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IAEDASH_DB", str(demo_db))
    monkeypatch.setenv("IAEDASH_TODAY", TODAY)


@pytest.mark.parametrize("year", [2025, 2026])
def test_indicators_of_one_network_head_against_its_targets(year: int):
    app = open_page(PAGE, annee=str(year), fiche="ISARR", fiche_sujet="Indicateurs")
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


def quarter(head: str, q: int) -> dict[str, int]:
    out = dict.fromkeys((i.code for i in INDICATORS), 0)
    for (_h, _q, _o, code), value in totals({head}, {q}).items():
        out[code] += value
    return out


def test_the_quarter_in_words_opens_the_page_with_the_figures_behind_it():
    """ISARR through T3: its one-off webinar and its training target, said first, each figure with its file."""
    app = open_page(PAGE, annee="2025", fiche="ISARR", trimestre=["T1", "T2", "T3"])
    headers = [h.value for h in app.header]
    assert "Le trimestre en bref – ISARR, T3 2025" in headers
    t2, t3 = quarter("ISARR", 2), quarter("ISARR", 3)
    listed = next(m.value for m in app.markdown if m.value.startswith("1. "))
    lines = listed.splitlines()
    assert lines[0].startswith("1. Objectif annuel en danger à un trimestre de la fin : formations à ")
    form = sum(quarter("ISARR", q)["FORM"] for q in (1, 2, 3))
    assert f"\\({form} formations sur {targets()[('ISARR', 'FORM')]}\\)" in lines[0]
    assert lines[1].startswith(
        f"2. Par rapport au T2 2025 : hausse des participants aux webinaires \\({t3['WEBI']} contre "
    )
    assert f"{t2['WEBI']}, " in lines[1]
    spent = budget_through(3)["ISARR"]["consumption"].quantize(Decimal("0.1"))
    assert lines[-1].startswith(f"{len(lines)}. Budget consommé à {str(spent).replace('.', ',')}\u202f% ")
    assert "l'an dernier" not in listed  # the demo has one year: no same quarter last year
    sources = next(t.value for t in app.dataframe if "Source" in t.value.columns)
    webi = sources[(sources["Chiffre"] == "Participants aux webinaires") & (sources["Période"] == "T3 2025")].iloc[0]
    assert (webi["Phrase"], webi["Valeur"]) == (2, str(t3["WEBI"]))
    assert webi["Source"].startswith("ISARR_2025_T3_indicateurs.csv v1 l. ")
    assert any("règles fixes" in c.value for c in app.caption)


def test_the_quarter_in_words_in_meeting_mode_and_before_any_quarter_ended():
    app = open_page(PAGE, annee="2025", fiche="CETTI", reunion="true")
    listed = next(m.value for m in app.markdown if m.value.startswith("1. "))
    assert listed.startswith("1. Le dépôt du T4 2025 est arrivé en retard : reçu le 20/02/2026, 21 jours après")
    app = open_page(PAGE, fiche="CETTI", au="2025-03-20")
    assert any("Aucun trimestre de la sélection n'est encore terminé" in i.value for i in app.info)


def test_the_fiche_is_offered_as_a_pdf_built_on_click():
    """The button is there in meeting mode too (the PDF has no staff line); the file is built on click only
    (tests/test_fiche_pdf.py reads what it holds, the browser test downloads it)."""
    for params in ({"fiche": "CETTI"}, {"fiche": "CETTI", "reunion": "true", "trimestre": ["T1", "T2"]}):
        app = open_page(PAGE, **params)
        [button] = [b for b in app.get("download_button") if "PDF" in b.proto.label]
        assert button.proto.label == "Télécharger la fiche en PDF (A4, pour la réunion de suivi)"
        assert button.proto.deferred_file_id  # a callable: built when clicked, not at each visit
