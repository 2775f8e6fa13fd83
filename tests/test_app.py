"""The home page, run by Streamlit's AppTest on the demo database."""

from __future__ import annotations

from pathlib import Path

import pytest
from demo_truth import year_totals
from streamlit.testing.v1 import AppTest

from iaedash.domain.reference import INDICATORS

APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.fixture
def app(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("IAEDASH_DB", str(demo_db))
    return AppTest.from_file(APP, default_timeout=60)


def test_home_page_shows_demo_totals_per_network_head(app: AppTest):
    app.run()
    assert not app.exception
    assert "Données de démonstration fictives" in app.warning[0].value
    table = app.dataframe[0].value
    expected = year_totals()
    assert sorted(table["Code"]) == sorted({head for head, _ in expected})
    for _, row in table.iterrows():
        for indicator in INDICATORS:
            assert row[indicator.label] == expected.get((row["Code"], indicator.code), 0), (row["Code"], indicator)


def test_fresh_checkout_creates_the_demo_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    db = tmp_path / "nouvelle" / "iaedash.duckdb"
    monkeypatch.setenv("IAEDASH_DB", str(db))
    app = AppTest.from_file(APP, default_timeout=120)
    app.run()
    assert not app.exception
    assert db.exists()
    assert len(app.dataframe[0].value) == 6


def test_empty_database_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from iaedash.store import init

    db = tmp_path / "vide.duckdb"
    init(db)
    monkeypatch.setenv("IAEDASH_DB", str(db))
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    assert not app.exception
    assert "Aucune convention n'est encore importée" in app.info[0].value
