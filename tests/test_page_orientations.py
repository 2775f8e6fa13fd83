"""Orientations on the demo data: heat map network head × orientation, shares, gaps."""

from __future__ import annotations

from pathlib import Path

import pytest
from demo_truth import totals
from page_runner import TODAY, figures, open_page, show_tab, values

PAGE = "pages/orientations.py"
TOPICS = ["Carte réseau × orientation", "Répartition par réseau", "Répartition par indicateur"]  # one built per run


@pytest.fixture(autouse=True)
def demo(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IAEDASH_DB", str(demo_db))
    monkeypatch.setenv("IAEDASH_TODAY", TODAY)


@pytest.mark.parametrize("year", [2025, 2026])
def test_heat_map_cells_equal_the_files(year: int):
    app = open_page(PAGE, annee=str(year), trimestre=["T1", "T2", "T3"])
    heat = next(f for f in figures(app) if f["data"][0]["type"] == "heatmap")
    assert heat["layout"]["title"]["text"] == f"Formations par orientation – T1 à T3 {year} – tous réseaux"
    expected: dict[tuple[str, str], int] = {}
    for (head, _q, orientation, code), value in totals(quarters={1, 2, 3}, year=year).items():
        if code == "FORM":
            expected[(head, orientation)] = expected.get((head, orientation), 0) + value
    trace = heat["data"][0]
    z = values(trace["z"])
    got = {(head, o): z[i][j] for i, head in enumerate(trace["y"]) for j, o in enumerate(trace["x"])}
    assert got == expected


def test_orientation_colours_are_fixed():
    app = open_page(PAGE)
    every = [f for topic in TOPICS for f in figures(show_tab(app, "orientation_sujet", topic))]
    shares = [f for f in every if f["data"][0]["type"] == "bar"]
    colours = {(s["name"][:3], s["marker"]["color"]) for f in shares for s in f["data"]}
    assert colours == {("PRO", "#0072B2"), ("MAR", "#E69F00"), ("INT", "#009E73"), ("DIV", "#CC79A7")}


def test_an_orientation_without_any_activity_is_named():
    app = open_page(PAGE, annee="2025", orientation=["DIV"], trimestre=["T3"], reseau=["URQLL", "ISARR"])
    active = {h for (h, _q, _o, _c), v in totals({"URQLL", "ISARR"}, {3}, {"DIV"}).items() if v}
    if active == {"URQLL", "ISARR"}:
        assert "Chaque tête de réseau de la sélection" in app.success[0].value
    else:
        assert "Orientations sans aucune activité déclarée" in app.warning[-1].value


def test_the_orientation_a_network_head_left_in_2026_is_named():
    """URQLL did no diversification work in 2026 (its files send DIV at 0): the default year says so."""
    app = open_page(PAGE)
    idle = {
        (h, o)
        for h in {h for (h, *_rest) in totals(year=2026)}
        for o in ("PRO", "MAR", "INT", "DIV")
        if not any(v for (hh, _q, oo, _c), v in totals({h}, year=2026).items() if oo == o)
    }
    assert idle == {("URQLL", "DIV")}
    assert app.warning[-1].value == (
        "Orientations sans aucune activité déclarée : DIV – Diversification / développement d'activités : URQLL"
    )


def test_switching_indicator_redraws_the_heat_map():
    app = open_page(PAGE)
    app.segmented_control(key="orientation_indicateur").set_value("WEBI").run()
    heat = next(f for f in figures(app) if f["data"][0]["type"] == "heatmap")
    assert heat["layout"]["title"]["text"].startswith("Participants aux webinaires par orientation")
    assert heat["data"][0]["colorbar"]["title"]["text"] == "participants"
