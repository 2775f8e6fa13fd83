"""The app as a whole: a fresh checkout bootstraps the demo data, an empty database speaks."""

from __future__ import annotations

from pathlib import Path

import pytest
from page_runner import TODAY, open_page
from streamlit.testing.v1 import AppTest

from iaedash.store import init


def test_fresh_checkout_creates_the_demo_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    db = tmp_path / "nouvelle" / "iaedash.duckdb"
    monkeypatch.setenv("IAEDASH_DB", str(db))
    monkeypatch.setenv("IAEDASH_TODAY", TODAY)
    app = open_page()
    assert db.exists()
    assert len(app.metric) == 6
    assert "Données de démonstration fictives" in app.warning[0].value


@pytest.mark.parametrize(
    "page", [None, "pages/indicateurs.py", "pages/orientations.py", "pages/territoires.py", "pages/fiche_reseau.py"]
)
def test_an_empty_database_says_what_to_do_on_every_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, page):
    db = tmp_path / "vide.duckdb"
    init(db)
    monkeypatch.setenv("IAEDASH_DB", str(db))
    app = open_page(page)
    assert "Aucune convention n'est encore importée" in app.info[0].value
    assert not app.get("plotly_chart")


def test_an_unexpected_error_is_said_in_french_and_kept_off_the_screen():
    """No English box with links to Google or ChatGPT: a French sentence; the traceback goes to the log."""

    def script():
        from iaedash import ui

        class Broken:
            title = "Essai"

            def run(self):
                raise RuntimeError("détail interne")

        ui.run_page(Broken())

    app = AppTest.from_function(script).run()
    assert not app.exception
    assert "Erreur inattendue" in app.error[0].value
    assert "détail interne" not in app.error[0].value
