"""Indicateurs on the demo data: charts per network head and quarter, targets, the table behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from demo_truth import targets, totals
from page_runner import TODAY, figures, open_page, show_tab, values

from iaedash.domain.reference import INDICATORS

PAGE = "pages/indicateurs.py"


@pytest.fixture(autouse=True)
def demo(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IAEDASH_DB", str(demo_db))
    monkeypatch.setenv("IAEDASH_TODAY", TODAY)


def by_head_quarter(indicator: str, **selection) -> dict[tuple[str, int], int]:
    out: dict[tuple[str, int], int] = {}
    for (head, quarter, _o, code), value in totals(**selection).items():
        if code == indicator:
            out[(head, quarter)] = out.get((head, quarter), 0) + value
    return out


def each_indicator(app):
    """The app on each indicator's tab in turn, in their order: only the open one is built (ui.sections)."""
    for ind in INDICATORS:
        yield show_tab(app, "indicateur_sujet", ind.short)


def test_quarterly_chart_has_one_bar_series_per_network_head_with_the_file_values():
    app = open_page(PAGE)
    charts = {f["layout"]["title"]["text"]: f for _ in each_indicator(app) for f in figures(app)}
    fig = charts["Formations par trimestre – T1 à T4 2025 – tous réseaux"]
    expected = by_head_quarter("FORM")
    got = {(s["name"], int(x[1])): y for s in fig["data"] for x, y in zip(s["x"], values(s["y"]), strict=True)}
    assert got == expected
    assert fig["layout"]["separators"] == ",\u00a0"  # French numbers: 1 234,5


def test_same_network_head_same_colour_on_every_chart():
    app = open_page(PAGE)
    colours: dict[str, set[str]] = {}
    for fig in (f for _ in each_indicator(app) for f in figures(app)):
        for series in fig["data"]:
            if series.get("type") == "bar" and isinstance(series.get("marker", {}).get("color"), str):
                colours.setdefault(series["name"], set()).add(series["marker"]["color"])
    assert len(colours) == 6
    assert all(len(c) == 1 for c in colours.values())
    assert len({next(iter(c)) for c in colours.values()}) == 6


def test_table_behind_the_charts_gives_totals_targets_and_no_target_as_such():
    app = open_page(PAGE)
    tables = [
        t.value
        for _ in each_indicator(app)
        for t in app.dataframe
        if "Objectif annuel" in t.value.columns and "T1" in t.value.columns
    ]
    webi = tables[4]  # tabs keep the order of the indicators: GOUV, FORM, JURI, VEIL, WEBI, COMI
    expected = by_head_quarter("WEBI")
    for row in webi.itertuples():
        assert row.Total == sum(v for (h, _q), v in expected.items() if h == row.Réseau)
        assert expected.get((row.Réseau, 3), 0) == row.T3
    urqll = webi[webi["Réseau"] == "URQLL"].iloc[0]
    assert targets()[("URQLL", "WEBI")] is None
    assert urqll["Atteint"] == "pas d'objectif"


def test_filters_change_the_figures():
    app = open_page(PAGE, reseau=["CETTI"], trimestre=["T2"], orientation=["PRO", "MAR"])
    table = next(t.value for t in app.dataframe if {"Objectif annuel", "T2"} <= set(t.value.columns))
    [row] = list(table.itertuples())
    expected = by_head_quarter("GOUV", heads={"CETTI"}, quarters={2}, orientations={"PRO", "MAR"})
    assert (row.Réseau, row.T2, row.Total) == ("CETTI", expected[("CETTI", 2)], expected[("CETTI", 2)])
    assert "T2 2025 – CETTI" in figures(app)[0]["layout"]["title"]["text"]


def test_meeting_mode_shows_one_indicator_per_screen():
    app = open_page(PAGE, reunion="true")
    assert len(figures(app)) == 2  # one topic: its two charts, no table
    assert not [t for t in app.dataframe if "Objectif annuel" in t.value.columns and "T1" in t.value.columns]
