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
