"""Exports page on the demo data: datasets follow the filters, the file name says what it holds."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from demo_truth import budget, indicator_values
from page_runner import TODAY, assert_ran, open_page

from iaedash.exports import DATASETS

PAGE = "pages/exports.py"


@pytest.fixture(autouse=True)
def demo(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IAEDASH_DB", str(demo_db))
    monkeypatch.setenv("IAEDASH_TODAY", TODAY)


def download_labels(app) -> list[str]:
    return [b.proto.label for b in app.get("download_button")]


@pytest.mark.parametrize("year", [2025, 2026])
def test_indicator_values_follow_the_filters(year: int):
    app = open_page(PAGE, annee=str(year), reseau=["CABM"], trimestre=["T1", "T2", "T3"])
    expected = sum(1 for (h, q, *_), v in indicator_values(year).items() if h == "CABM" and q <= 3 and v)
    assert f"Télécharger iae_indicateurs_{year}_T1-T3_CABM.csv ({expected} lignes)" in download_labels(app)
    assert set(app.dataframe[0].value["reseau"]) == {"CABM"}


def test_budget_dataset_and_its_dictionary():
    app = open_page(PAGE, annee="2025")
    app.selectbox(key="export_jeu").set_value("budget")
    app.radio(key="export_format").set_value("xlsx").run()
    assert "Télécharger iae_budget_2025_T1-T4_tous-reseaux.xlsx (6 lignes)" in download_labels(app)
    shown = app.dataframe[0].value
    assert sorted(shown["reseau"]) == sorted(budget())
    dictionary = app.dataframe[1].value
    assert list(dictionary["colonne"]) == [c.name for c in DATASETS["budget"].columns]


def test_every_dataset_renders():
    app = open_page(PAGE)  # the default year: the newest, 2026
    for name in DATASETS:
        app.selectbox(key="export_jeu").set_value(name).run()
        assert_ran(app)
        assert any(label.startswith(f"Télécharger iae_{name}_2026") for label in download_labels(app)), name


@pytest.mark.parametrize("name", [n for n in DATASETS if n != "dictionnaire"])
def test_the_preview_shows_decimals_the_french_way(name: str):
    """The preview is read on screen: no « 124587.6 » (the file keeps its exact, typed values)."""
    app = open_page(PAGE)
    app.selectbox(key="export_jeu").set_value(name).run()
    if not app.dataframe:
        pytest.skip(f"{name}: empty for the demo selection")
    shown = app.dataframe[0].value
    for column in shown.columns:
        values = [v for v in shown[column] if v is not None and not (isinstance(v, float) and v != v)]
        assert not any(isinstance(v, (float, Decimal)) for v in values), (name, column, values[:3])
        assert not any(re.fullmatch(r"-?\d+\.\d+", str(v)) for v in values), (name, column, values[:3])
