"""A network head's account uploads its own quarterly files only: never another network head's, never a
convention; what it sends is recorded under its name."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from db_dump import dump, files_under
from demo_truth import DEMO
from helpers_review import amended_convention, corrected_indicators, corrected_staff
from viewers import CABM, MANAGER

from iaedash.ingest.load import IncomingFile, import_files
from iaedash.journal import JournalFilter, entries
from iaedash.reports.common import import_history

RECEIVED = date(2025, 9, 1)


def unchanged(db: Path):
    """A snapshot of the database and its kept files, to compare with after a refusal."""
    return dump(db), files_under(db.parent / "depots")


def test_another_network_head_s_file_is_refused_naming_both(demo_db: Path):
    before = unchanged(demo_db)
    [outcome] = import_files(demo_db, [corrected_indicators("FEIAL", 3)], RECEIVED, viewer=CABM)
    assert outcome.status == "refused"
    [problem] = outcome.problems
    assert problem.message == "ce fichier concerne le réseau « FEIAL » : votre compte ne peut déposer que pour CABM"
    assert (problem.line, problem.column) == (2, "reseau")  # the first line of the scope
    assert unchanged(demo_db) == before


def test_a_convention_sent_by_a_network_head_is_refused(demo_db: Path):
    before = unchanged(demo_db)
    [outcome] = import_files(demo_db, [amended_convention("CABM")], RECEIVED, viewer=CABM)
    assert outcome.status == "refused"
    [problem] = outcome.problems
    assert problem.message == "une convention est importée par le Département, pas déposée par une tête de réseau"
    assert unchanged(demo_db) == before
    # the same amendment from the Direction is accepted: the refusal above is the role's
    [outcome] = import_files(demo_db, [amended_convention("CABM")], RECEIVED, viewer=MANAGER)
    assert outcome.status == "accepted"


def test_a_file_it_may_not_send_is_refused_even_when_already_imported(demo_db: Path):
    """Not « déjà importé (import n° …, « … ») »: that would tell CABM about files that are not its own."""
    before = unchanged(demo_db)
    for name in ("conventions_2025.csv", "FEIAL_2025_T1_indicateurs.csv"):
        [outcome] = import_files(demo_db, [IncomingFile.from_path(DEMO / name)], RECEIVED, viewer=CABM)
        assert outcome.status == "refused", outcome.message
        assert "import n°" not in outcome.message
        assert all("réseau" in p.message for p in outcome.problems)
    assert unchanged(demo_db) == before
    # its own file, already imported, is a harmless duplicate
    [outcome] = import_files(
        demo_db, [IncomingFile.from_path(DEMO / "CABM_2025_T1_indicateurs.csv")], RECEIVED, viewer=CABM
    )
    assert outcome.status == "duplicate"


def test_its_own_quarter_is_accepted_and_recorded_under_its_name(demo_db: Path):
    incoming = [corrected_indicators("CABM", 2), corrected_staff("CABM", 2)]
    outcomes = import_files(demo_db, incoming, RECEIVED, viewer=CABM)
    assert [o.status for o in outcomes] == ["accepted", "accepted"], [str(p) for o in outcomes for p in o.problems]
    ids = {o.import_id for o in outcomes}

    for viewer in (CABM, MANAGER):
        history = import_history(demo_db, viewer)
        mine = history[history["import_id"].isin(ids)]
        assert sorted(mine["file_name"]) == sorted(f.name for f in incoming)
        assert set(mine["imported_by"]) == {CABM.name}
        # the demo's own files keep their author
        assert set(history[~history["import_id"].isin(ids)]["imported_by"]) == {"démonstration (ligne de commande)"}

    journal = entries(demo_db, MANAGER, JournalFilter(actions=("import",), actor=CABM.email))
    assert sorted(journal["import_id"]) == sorted(ids)
    assert set(journal["actor_role"]) == {"reseau"}


def test_a_batch_refuses_only_the_files_that_are_not_its_own(demo_db: Path):
    outcomes = import_files(
        demo_db, [corrected_indicators("FEIAL", 3), corrected_indicators("CABM", 3)], RECEIVED, viewer=CABM
    )
    assert [o.status for o in outcomes] == ["refused", "accepted"]
    refused = entries(demo_db, MANAGER, JournalFilter(actions=("import_refuse",)))
    assert list(refused["actor_email"]) == [CABM.email]
    assert refused.iloc[0]["detail"].startswith("FEIAL_2025_T3_indicateurs_v2.csv : ce fichier concerne le réseau")


def test_a_preview_of_another_network_head_s_file_is_refused_and_not_journaled(demo_db: Path):
    before = unchanged(demo_db)
    [outcome] = import_files(demo_db, [corrected_indicators("FEIAL", 3)], RECEIVED, viewer=CABM, dry_run=True)
    assert outcome.status == "refused"
    assert "« FEIAL »" in outcome.problems[0].message
    assert unchanged(demo_db) == before
    assert entries(demo_db, MANAGER, JournalFilter(actions=("import_refuse",))).empty
