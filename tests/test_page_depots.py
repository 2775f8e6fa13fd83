"""The upload page (« Dépôts »), run by Streamlit's AppTest on a private copy of the demo database.

The files are built here from the demo files by plain byte edits; the expected history size comes from
data/demo/manifest.csv, not from the query the page uses.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from db_dump import dump, files_under
from page_runner import assert_ran
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
DEMO = ROOT / "data" / "demo"
PAGE = "pages/depots.py"

HEADER = "reseau;annee;trimestre;orientation;indicateur;territoire;valeur;commentaire"
# Line 2: a negative value; line 3: an unknown orientation; line 4: an unknown indicator.
BAD_FILE = "\r\n".join(
    [HEADER, "CABM;2025;T1;PRO;GOUV;DEP;-3;", "CABM;2025;T1;XXX;GOUV;DEP;1;", "CABM;2025;T1;PRO;ZZZZ;DEP;1;", ""]
).encode()


def demo_imports() -> int:
    with (DEMO / "manifest.csv").open(encoding="utf-8", newline="") as f:
        return sum(1 for _ in csv.DictReader(f, delimiter=";"))


def corrected_indicators() -> bytes:
    """CABM's T1 indicators with PRO/FORM/DEP changed from 4 to 7: a new version of an existing quarter."""
    original = (DEMO / "CABM_2025_T1_indicateurs.csv").read_bytes()
    line = b"CABM;2025;T1;PRO;FORM;DEP;4;"
    assert original.count(line) == 1
    return original.replace(line, b"CABM;2025;T1;PRO;FORM;DEP;7;")


def corrected_staff() -> bytes:
    """CABM's T1 staff with S02's rate moved from 50 to 60 % in March: accepted, with a rate-change warning."""
    original = (DEMO / "CABM_2025_T1_personnel.csv").read_bytes()
    line = "CABM;2025;3;S02;Chargé d'accompagnement;non;3100,00;50".encode()
    assert original.count(line) == 1
    return original.replace(line, line[:-2] + b"60")


def current(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def texts(at: AppTest, kind: str) -> list[str]:
    return [e.value for e in getattr(at, kind)]


@pytest.fixture
def page(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("IAEDASH_DB", str(demo_db))
    monkeypatch.setenv("IAEDASH_TODAY", "2026-03-02")
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page(PAGE).run()
    assert_ran(at)
    return at


def test_page_renders_with_the_whole_import_history(page: AppTest):
    assert texts(page, "title") == ["Dépôts"]
    assert any("docs/format-depot.md" in t for t in texts(page, "info"))  # empty state: what to do, where
    history = page.dataframe[0].value
    assert list(history.columns) == [
        "N°", "Fichier", "Reçu le", "Importé le", "Importé par", "Empreinte SHA-256", "Périmètres"
    ]  # fmt: skip
    assert len(history) == demo_imports() == 71  # 42 files of 2025, 29 of 2026 so far
    conventions = history[history["Fichier"] == "conventions_2025.csv"].iloc[0]
    assert conventions["Reçu le"] == "10/03/2025"
    assert conventions["Importé par"] == "démonstration (ligne de commande)"  # the demo loader, in the journal
    assert not page.button  # nothing to confirm before a file is there


def test_good_files_are_previewed_then_written_only_on_confirm(page: AppTest, demo_db: Path):
    before, kept_before = dump(demo_db), files_under(demo_db.parent / "depots")
    page.file_uploader[0].set_value(
        [
            ("CABM_2025_T1_indicateurs_corrige.csv", corrected_indicators(), "text/csv"),
            ("CABM_2025_T1_personnel_corrige.csv", corrected_staff(), "text/csv"),
        ]
    ).run()
    assert_ran(page)
    assert "2 fichiers déposés : 2 acceptés, 0 déjà importé, 0 refusé." in texts(page, "markdown")
    previews = [d.value for d in page.dataframe if "Effet" in d.value.columns]
    assert [p.to_dict("records") for p in previews] == [
        [
            {
                "Fichier": "CABM_2025_T1_indicateurs_corrige.csv",
                "Périmètre": "indicateurs CABM T1 2025",
                "Effet": "remplace la version 1",
                "Version": 2,
            }
        ],
        [
            {
                "Fichier": "CABM_2025_T1_personnel_corrige.csv",
                "Périmètre": "dépenses de personnel CABM T1 2025",
                "Effet": "remplace la version 1",
                "Version": 2,
            }
        ],
    ]
    assert any("S02" in w and "varie" in w for w in texts(page, "warning"))
    confirm = page.button(key="depot_confirmer")
    assert confirm.label == "Importer les 2 fichiers acceptés"
    assert dump(demo_db) == before  # the preview wrote nothing
    assert files_under(demo_db.parent / "depots") == kept_before

    confirm.click().run()
    assert_ran(page)
    done = texts(page, "success")
    assert len(done) == 2 and all("importé (import n° " in t and "remplace la version 1" in t for t in done)
    assert current(
        demo_db,
        "select value, version, file_name from current_indicator_values "
        "where network_head = 'CABM' and year = 2025 and quarter = 1 and orientation = 'PRO' and indicator = 'FORM'",
    ) == [(7, 2, "CABM_2025_T1_indicateurs_corrige.csv")]
    assert current(
        demo_db,
        "select distinct version from current_staff_lines where network_head = 'CABM' and year = 2025 and quarter = 1",
    ) == [(2,)]
    history = page.dataframe[0].value
    assert len(history) == demo_imports() + 2
    assert set(history["Fichier"].head(2)) == {
        "CABM_2025_T1_indicateurs_corrige.csv",
        "CABM_2025_T1_personnel_corrige.csv",
    }
    assert set(history["Reçu le"].head(2)) == {"02/03/2026"}
    assert not page.file_uploader[0].value  # the uploader is emptied: no second import by a second click
    assert not page.button


def test_bad_file_shows_its_errors_and_changes_nothing(page: AppTest, demo_db: Path):
    before, kept_before = dump(demo_db), files_under(demo_db.parent / "depots")
    page.file_uploader[0].set_value(("mauvais.csv", BAD_FILE, "text/csv")).run()
    assert_ran(page)
    [refusal] = texts(page, "error")
    assert refusal.startswith("Refusé : 3 erreurs")
    errors = next(d.value for d in page.dataframe if "Message" in d.value.columns)
    assert list(errors.columns) == ["Fichier", "Onglet", "Ligne", "Colonne", "Message"]
    assert [(r["Ligne"], r["Colonne"]) for r in errors.to_dict("records")] == [
        (2, "valeur"),
        (3, "orientation"),
        (4, "indicateur"),
    ]
    assert "négatif" in errors.loc[0, "Message"]
    assert not page.button  # no confirm: nothing can be written
    assert dump(demo_db) == before
    assert files_under(demo_db.parent / "depots") == kept_before


def test_already_imported_file_says_so_and_offers_nothing(page: AppTest, demo_db: Path):
    before = dump(demo_db)
    name = "CETTI_2025_T4.xlsx"
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    page.file_uploader[0].set_value((name, (DEMO / name).read_bytes(), xlsx)).run()
    assert_ran(page)
    [seen] = [t for t in texts(page, "info") if t.startswith("Déjà importé le ")]
    assert f"« {name} », version 1, 1)" in seen  # one version per sheet (indicators, staff)
    assert not page.button
    assert dump(demo_db) == before


def test_empty_database_says_nothing_was_imported_yet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from iaedash.store import init

    db = tmp_path / "vide.duckdb"
    init(db)
    monkeypatch.setenv("IAEDASH_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page(PAGE).run()
    assert_ran(at)
    assert any(t.startswith("Aucun fichier n'a encore été importé") for t in texts(at, "info"))
    assert not at.dataframe


HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""


def test_a_busy_database_is_said_in_french_and_nothing_is_written(page: AppTest, demo_db: Path, monkeypatch):
    """Another process holding the file (a CLI import, another app) makes the dry run wait, then give up."""
    monkeypatch.setenv("IAEDASH_LOCK_TIMEOUT", "0.2")
    before = dump(demo_db)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(demo_db), "30"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        page.file_uploader[0].set_value(("CABM_T1.csv", corrected_indicators(), "text/csv")).run()
        assert_ran(page)
        assert any(t.startswith("Contrôle impossible pour l'instant : la base ") for t in texts(page, "error"))
        assert not page.button
    finally:
        holder.kill()
        holder.wait()
    assert dump(demo_db) == before
    page.run()
    assert page.button(key="depot_confirmer").label == "Importer le fichier accepté"


def test_an_import_interrupted_by_a_busy_database_says_so(page: AppTest, demo_db: Path, monkeypatch):
    """The lock can also be taken between the dry run and the import: the page says so instead of a traceback."""
    from iaedash.db.connection import DatabaseBusyError
    from iaedash.presenters import submissions

    page.file_uploader[0].set_value(("CABM_T1.csv", corrected_indicators(), "text/csv")).run()

    def busy(*_args, **_kwargs):
        raise DatabaseBusyError("la base est occupée par un autre programme ; réessayez")

    monkeypatch.setattr(submissions, "import_confirmed", busy)  # the page's own import; the dry run stays real
    page.button(key="depot_confirmer").click().run()
    assert_ran(page)
    assert any(t.startswith("Import interrompu : la base est occupée") for t in texts(page, "error"))
    assert page.button(key="depot_confirmer")  # still offered: the next click checks the files again
