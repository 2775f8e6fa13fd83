"""Rebuilding the database from the kept files alone gives back the same content."""

from __future__ import annotations

from pathlib import Path

import pytest
from db_dump import dump

from iaedash.store import RebuildError, kept_files, rebuild


def test_rebuild_gives_the_same_database(demo_db: Path):
    before = dump(demo_db)
    outcomes = rebuild(demo_db)
    assert len(outcomes) == len(kept_files(demo_db)) == len(before["imports"])
    assert dump(demo_db) == before
    assert (demo_db.parent / "iaedash.duckdb.avant-reconstruction").exists()


def test_rebuild_from_the_files_alone_after_the_database_is_lost(demo_db: Path):
    before = dump(demo_db)
    demo_db.unlink()
    rebuild(demo_db)
    after = dump(demo_db)
    before.pop("schema_info"), after.pop("schema_info")  # the demo marker is not in the files
    assert after == before


def test_a_kept_file_that_no_longer_imports_leaves_the_database_as_it_was(demo_db: Path):
    before = dump(demo_db)
    victim = kept_files(demo_db)[3]
    victim.write_bytes(b"reseau;annee\r\nXX;1999\r\n")
    with pytest.raises(RebuildError, match=victim.name):
        rebuild(demo_db)
    assert dump(demo_db) == before


def test_a_database_of_the_previous_version_is_upgraded_before_the_cli_reads_it(demo_db: Path, tmp_path: Path):
    """A database made before sign-in had no review, journal or read macros: the CLI adds them, loses nothing."""
    import duckdb

    from iaedash.cli import main

    con = duckdb.connect(str(demo_db))
    con.execute("drop view journal")
    for table in ("import_authors", "review_events", "review_comments", "journal_events"):
        con.execute(f"drop table {table}")
    con.execute("drop macro in_view")
    con.execute("drop macro visible")
    con.execute("update schema_info set value = 'avant-connexion' where key = 'schema_version'")
    rows = con.execute("select count(*) from current_indicator_values where value <> 0").fetchone()[0]  # 0 omitted
    con.close()
    out = tmp_path / "indicateurs.csv"
    assert main(["export", "indicateurs", "--db", str(demo_db), "--out", str(out), "--format", "csv-brut"]) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) - 1 == rows
    assert (
        main(["revue", "valider", "--db", str(demo_db), "--reseau", "CABM", "--annee", "2025", "--trimestre", "1"]) == 0
    )
