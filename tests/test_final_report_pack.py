"""Final-report pack: the execution workbook shows the budget figures; both documents from page and CLI."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from demo_truth import DEMO, budget, cents, dec
from docx import Document
from openpyxl import load_workbook
from page_runner import TODAY, open_page
from viewers import MANAGER

from iaedash.cli import main
from iaedash.final_report.pack import final_report_pack


def conventions() -> dict[str, dict[str, str]]:
    import csv

    with (DEMO / "conventions_2025.csv").open(encoding="utf-8-sig") as handle:
        return {r["reseau"]: r for r in csv.DictReader(handle, delimiter=";")}


@pytest.mark.parametrize("head", ["URQLL", "CHOPAL"])
def test_execution_workbook_equals_the_hand_computation(demo_db: Path, head: str):
    [_, workbook] = final_report_pack(demo_db, MANAGER, head, 2025, date(2026, 11, 24))
    book = load_workbook(io.BytesIO(workbook.data))
    synthesis = {row[0]: row[1:] for row in book["synthese"].iter_rows(min_row=2, values_only=True) if row[0]}
    expected = budget()[head]
    conv = conventions()[head]
    total = expected["cout_total_eligible"]
    planned = dec(conv["cout_personnel_prevu"]) * Decimal("1.4")

    def money(value: object) -> Decimal:
        return Decimal(str(value)).quantize(Decimal("0.01"))

    assert money(synthesis["Dépenses de personnel éligibles"][1]) == expected["depenses_personnel_eligibles"]
    assert money(synthesis["Coût total éligible"][1]) == total
    department = min(
        cents(total * dec(conv["contrepartie_departement"]) / planned), dec(conv["contrepartie_departement"])
    )
    assert money(synthesis["Ressources : contrepartie du Département"][1]) == department
    esf = cents(total * dec(conv["montant_fse"]) / planned)
    assert money(synthesis["Ressources : FSE+"][1]) == esf
    assert money(synthesis["Ressources : autofinancement"][1]) == total - esf - department
    balance = department - dec(conv["avance_versee"])
    label = "Solde estimé à verser" if balance > 0 else "Trop-perçu estimé à récupérer"
    assert money(synthesis[label][1]) == abs(balance)
    ineligible = list(book["lignes_ineligibles"].iter_rows(min_row=2, values_only=True))
    assert (len(ineligible) > 0) == (
        expected["depenses_personnel_declarees"] > expected["depenses_personnel_eligibles"]
    )
    assert all(row[6] for row in ineligible)  # every refused line says why


def test_cli_writes_both_documents(demo_db: Path, tmp_path: Path):
    assert (
        main(["bilan", "--db", str(demo_db), "--reseau", "isarr", "--annee", "2025", "--dossier", str(tmp_path)]) == 0
    )
    assert sorted(p.name for p in tmp_path.glob("bilan_*")) == [
        "bilan_execution_ISARR_2025.xlsx",
        "bilan_pedagogique_ISARR_2025.docx",
    ]
    assert (
        main(["bilan", "--db", str(demo_db), "--reseau", "isarr", "--annee", "2024", "--dossier", str(tmp_path)]) == 1
    )


def test_page_offers_both_documents(demo_db: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("IAEDASH_DB", str(demo_db))
    monkeypatch.setenv("IAEDASH_TODAY", TODAY)
    app = open_page("pages/bilan_final.py", annee="2025")
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels == ["Bilan pédagogique – projet à compléter (.docx)", "Bilan d'exécution (.xlsx)"]
    assert "31/03/2026" in app.caption[-1].value
    assert "hypothèse de travail" not in " ".join(c.value for c in app.caption)


def test_page_of_the_year_in_progress_says_its_call_is_a_working_hypothesis(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
):
    """The default year is the newest, 2026: its call is the 2025 call a year later, said once, in the as-of line."""
    monkeypatch.setenv("IAEDASH_DB", str(demo_db))
    monkeypatch.setenv("IAEDASH_TODAY", TODAY)
    app = open_page("pages/bilan_final.py")
    captions = [c.value for c in app.caption]
    assert "31/03/2027" in captions[-1]
    notice = "Appel 2026 : paramètres provisoires repris de 2025 (hypothèse de travail)"
    assert sum(c.count(notice) for c in captions) == 1
    assert app.header[0].value.startswith("Bilan final 2026 – ")


def test_documents_of_a_year_whose_call_is_a_working_hypothesis_say_so(demo_db: Path):
    notice = "Appel 2026 : paramètres provisoires repris de 2025 (hypothèse de travail)."
    narrative, workbook = final_report_pack(demo_db, MANAGER, "CHOPAL", 2026, date(2026, 11, 24))
    text = [p.text for p in Document(io.BytesIO(narrative.data)).paragraphs]
    assert text.count(notice) == 1
    notes = [r[0] for r in load_workbook(io.BytesIO(workbook.data))["synthese"].iter_rows(values_only=True)]
    assert notes.count(notice) == 1
    narrative, workbook = final_report_pack(demo_db, MANAGER, "CHOPAL", 2025, date(2026, 11, 24))
    assert not [p.text for p in Document(io.BytesIO(narrative.data)).paragraphs if "hypothèse" in p.text]


def test_a_network_head_without_any_staff_line_still_gets_its_pack(tmp_path: Path):
    from iaedash.ingest.load import IncomingFile, import_files

    db = tmp_path / "x.duckdb"
    header, row = (DEMO / "conventions_2025.csv").read_text(encoding="utf-8-sig").splitlines()[:2]
    import_files(db, [IncomingFile("c.csv", f"{header}\r\n{row}\r\n".encode())], date(2025, 3, 1))
    head = row.split(";")[0]
    [_, workbook] = final_report_pack(db, MANAGER, head, 2025, date(2026, 11, 24))
    book = load_workbook(io.BytesIO(workbook.data))
    assert next(book["personnel_eligible"].iter_rows(min_row=2, values_only=True))[0] == "Total"
    assert book["lignes_ineligibles"].max_row == 1


def test_budget_export_of_a_year_without_call_says_so(demo_db: Path, tmp_path: Path, capsys):
    assert main(["export", "budget", "--db", str(demo_db), "--annee", "2024", "--out", str(tmp_path / "b.csv")]) == 0
    assert (tmp_path / "b.csv").read_bytes().decode("utf-8-sig").count("\n") == 1  # header only: no convention
