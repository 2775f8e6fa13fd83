"""The read model of the upload page: dry runs turned into verdicts and French tables."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
from db_dump import dump
from helpers_ingest import CONVENTION_HEADER, CONVENTION_ROW, INDICATOR_HEADER, csv_text
from viewers import MANAGER

from iaedash.ingest.load import ImportOutcome, IncomingFile, ScopeChange
from iaedash.ingest.problems import Problem
from iaedash.presenters import submissions as sub
from iaedash.store import init


def change(kind="indicateurs", quarter=1, version=1, previous=None, on_time=True, due=date(2025, 4, 30)):
    return ScopeChange(kind, "CABM", 2025, quarter, version, previous, on_time, due)


ACCEPTED = ImportOutcome("a.csv", "accepted", changes=[change(version=2, previous=1)])
LATE = ImportOutcome("b.xlsx", "accepted", changes=[change(quarter=4, on_time=False, due=date(2026, 1, 30))])
DUPLICATE = ImportOutcome(
    "c.csv",
    "duplicate",
    import_id=5,
    message="déjà importé le 16/04/2025 à 10:00 (import n° 5, « c.csv », version 1) : rien n'a changé",
)
REFUSED = ImportOutcome(
    "d.xlsx",
    "refused",
    problems=[
        Problem("d.xlsx", "onglet « indicateurs » vide"),
        Problem("d.xlsx", "« -3 » est négatif", 7, "valeur", "indicateurs"),
    ],
    message="refusé : 2 erreur(s), rien n'a été importé",
)


def test_problems_table_lists_every_error_with_sheet_line_and_column():
    table = sub.problems_table([ACCEPTED, REFUSED])
    assert list(table.columns) == ["Fichier", "Onglet", "Ligne", "Colonne", "Message"]
    assert table["Ligne"].dtype == "Int64"
    assert table.fillna({"Ligne": 0}).values.tolist() == [
        ["d.xlsx", "", 0, "", "onglet « indicateurs » vide"],
        ["d.xlsx", "indicateurs", 7, "valeur", "« -3 » est négatif"],
    ]
    assert sub.problems_table([ACCEPTED]).empty


def test_preview_table_says_new_late_or_which_version_is_replaced():
    table = sub.preview_table([ACCEPTED, LATE, DUPLICATE, REFUSED])
    assert list(table.columns) == ["Fichier", "Périmètre", "Effet", "Version"]
    assert table.values.tolist() == [
        ["a.csv", "indicateurs CABM T1 2025", "remplace la version 1", 2],
        ["b.xlsx", "indicateurs CABM T4 2025", "nouveau, reçu en retard (attendu au plus tard le 30/01/2026)", 1],
    ]
    convention = ImportOutcome("conv.csv", "accepted", changes=[change("conventions", None, on_time=None, due=None)])
    assert sub.preview_table([convention]).values.tolist() == [["conv.csv", "convention CABM 2025", "nouveau", 1]]


def test_verdicts_and_summary_in_french():
    assert sub.verdict(REFUSED).level == "error"
    assert sub.verdict(REFUSED).text.startswith("Refusé : 2 erreurs, rien de ce fichier ne sera importé.")
    assert sub.verdict(DUPLICATE) == sub.Verdict(
        "info",
        "Déjà importé le 16/04/2025 à 10:00 (import n° 5, « c.csv », version 1) : rien de nouveau, "
        "il ne sera pas importé une seconde fois.",
    )
    assert sub.verdict(ACCEPTED) == sub.Verdict("success", "Accepté : 1 périmètre sera importé (aperçu ci-dessous).")
    assert sub.summary([ACCEPTED, LATE, DUPLICATE, REFUSED]) == (
        "4 fichiers déposés : 2 acceptés, 1 déjà importé, 1 refusé."
    )
    assert sub.summary([REFUSED]) == "1 fichier déposé : 0 accepté, 0 déjà importé, 1 refusé."
    assert sub.confirm_label(1) == "Importer le fichier accepté"
    assert sub.confirm_label(3) == "Importer les 3 fichiers acceptés"
    assert sub.result(REFUSED).level == "error" and sub.result(REFUSED).text.startswith("d.xlsx : refusé")


def test_accepted_files_pairs_outcomes_with_files_even_with_one_name_twice():
    files = [IncomingFile("x.csv", b"1"), IncomingFile("x.csv", b"2"), IncomingFile("y.csv", b"3")]
    outcomes = [REFUSED, ACCEPTED, LATE]
    assert [f.data for f in sub.accepted_files(files, outcomes)] == [b"2", b"3"]


def test_history_table_has_french_headers_and_dates():
    history = pd.DataFrame(
        {
            "import_id": pd.Series([2, 1], dtype="int32"),
            "file_name": ["b.csv", "a.csv"],
            "received_on": pd.to_datetime(["2025-04-16", "2025-03-10"]),
            "imported_at": pd.to_datetime(["2025-04-17 09:05:03", "2025-03-11 18:00:00"]),
            "sha256": ["ab" * 32, "cd" * 32],
            "scopes": ["indicateurs CABM T1 2025 v1", None],
            "imported_by": ["Camille Petit", None],
        }
    )
    table = sub.history_table(history)
    assert table.values.tolist() == [
        [2, "b.csv", "16/04/2025", "17/04/2025 09:05", "Camille Petit", "ab" * 32, "indicateurs CABM T1 2025 v1"],
        [1, "a.csv", "10/03/2025", "11/03/2025 18:00", "–", "cd" * 32, ""],
    ]
    assert list(sub.history_table(history.iloc[0:0]).columns) == sub.HISTORY_COLUMNS


def test_preview_of_a_convention_and_its_quarter_in_one_upload_writes_nothing(db: Path):
    convention = IncomingFile("convention.csv", csv_text(CONVENTION_HEADER, CONVENTION_ROW).encode())
    quarter = IncomingFile(
        "CABM_T1.csv", csv_text(INDICATOR_HEADER, ["CABM", "2025", "T1", "PRO", "FORM", "DEP", "4", ""]).encode()
    )
    corrected = IncomingFile(
        "CABM_T1_bis.csv", csv_text(INDICATOR_HEADER, ["CABM", "2025", "T1", "PRO", "FORM", "DEP", "5", ""]).encode()
    )
    received = date(2025, 4, 10)
    init(db)
    before = dump(db)

    outcomes = sub.preview(db, MANAGER, [quarter, convention, corrected, quarter], received)
    assert [o.status for o in outcomes] == ["accepted", "accepted", "accepted", "duplicate"]
    assert sub.preview_table(outcomes[:1]).values.tolist() == [
        ["CABM_T1.csv", "indicateurs CABM T1 2025", "nouveau", 1]
    ]
    assert sub.preview_table(outcomes[2:3])["Effet"].tolist() == ["remplace la version 1"]
    assert "identique à « CABM_T1.csv »" in outcomes[3].message
    assert sub.accepted_files([quarter, convention, corrected, quarter], outcomes) == [quarter, convention, corrected]
    assert dump(db) == before
