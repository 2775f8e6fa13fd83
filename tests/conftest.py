"""Real databases built from the demo files, never mocks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from iaedash.demo import load_demo


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database, built once per test session through the normal import path."""
    path = tmp_path_factory.mktemp("demo") / "iaedash.duckdb"
    outcomes = load_demo(path)
    assert all(o.status == "accepted" for o in outcomes), [str(p) for o in outcomes for p in o.problems]
    return path


@pytest.fixture
def demo_db(demo_db_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database (and its kept files) that a test may change."""
    target = tmp_path / "iaedash.duckdb"
    shutil.copy(demo_db_template, target)
    shutil.copytree(demo_db_template.parent / "depots", tmp_path / "depots")
    return target


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Path of a database that does not exist yet, in a private folder."""
    return tmp_path / "iaedash.duckdb"
