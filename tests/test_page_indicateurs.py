"""Indicateurs on the demo data: charts per network head and quarter, targets, the table behind, and the year
against the same quarters of the previous one."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from demo_truth import targets, totals
from helpers_ingest import CONVENTION_HEADER, INDICATOR_HEADER, csv_text
from page_runner import TODAY, figures, open_page, show_tab, values

from iaedash.charts.palette import lighter
from iaedash.domain.reference import INDICATORS, ORIENTATION_CODES
from iaedash.ingest.load import IncomingFile, import_files

PAGE = "pages/indicateurs.py"
HEADS = ["CABM", "CETTI", "CHOPAL", "FEIAL", "ISARR", "URQLL"]


@pytest.fixture(autouse=True)
def demo(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IAEDASH_DB", str(demo_db))
    monkeypatch.setenv("IAEDASH_TODAY", TODAY)


def by_head_quarter(indicator: str, year: int = 2025, **selection) -> dict[tuple[str, int], int]:
    out: dict[tuple[str, int], int] = {}
    for (head, quarter, _o, code), value in totals(year=year, **selection).items():
        if code == indicator:
            out[(head, quarter)] = out.get((head, quarter), 0) + value
    return out


def each_indicator(app):
    """The app on each indicator's tab in turn, in their order: only the open one is built (ui.sections)."""
    for ind in INDICATORS:
        yield show_tab(app, "indicateur_sujet", ind.short)


@pytest.mark.parametrize("year", [2025, 2026])
def test_quarterly_chart_has_one_bar_series_per_network_head_with_the_file_values(year):
    app = open_page(PAGE, annee=str(year))
    charts = {f["layout"]["title"]["text"]: f for _ in each_indicator(app) for f in figures(app)}
    fig = charts[f"Formations par trimestre – T1 à T4 {year} – tous réseaux"]
    expected = by_head_quarter("FORM", year)
    got = {(s["name"], int(x[1])): y for s in fig["data"] for x, y in zip(s["x"], values(s["y"]), strict=True)}
    assert got == expected
    assert fig["layout"]["separators"] == ",\u00a0"  # French numbers: 1 234,5


def test_same_network_head_same_colour_on_every_chart():
    app = open_page(PAGE)
    colours: dict[str, set[str]] = {}
    compared = []
    for fig in (f for _ in each_indicator(app) for f in figures(app)):
        for series in fig["data"]:
            if series.get("type") == "bar" and isinstance(series.get("marker", {}).get("color"), str):
                colours.setdefault(series["name"], set()).add(series["marker"]["color"])
        if " face à " in fig["layout"]["title"]["text"]:
            compared.append(fig)
    assert len(colours) == 6
    assert all(len(c) == 1 for c in colours.values())
    assert len({next(iter(c)) for c in colours.values()}) == 6
    # the year against the previous one: each network head in its own colour, the previous year lighter
    assert len(compared) == 6
    for fig in compared:
        previous, current = fig["data"]
        assert [c for c in current["marker"]["color"]] == [next(iter(colours[h])) for h in current["x"]]
        assert previous["marker"]["color"] == [lighter(c) for c in current["marker"]["color"]]
        assert previous["marker"]["pattern"]["shape"] == "/"  # hatched: told apart without colour
        assert "pattern" not in current["marker"]


def test_table_behind_the_charts_gives_totals_targets_and_no_target_as_such():
    app = open_page(PAGE, annee="2025")
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
    app = open_page(PAGE, annee="2025", reseau=["CETTI"], trimestre=["T2"], orientation=["PRO", "MAR"])
    table = next(t.value for t in app.dataframe if {"Objectif annuel", "T2"} <= set(t.value.columns))
    [row] = list(table.itertuples())
    expected = by_head_quarter("GOUV", heads={"CETTI"}, quarters={2}, orientations={"PRO", "MAR"})
    assert (row.Réseau, row.T2, row.Total) == ("CETTI", expected[("CETTI", 2)], expected[("CETTI", 2)])
    assert "T2 2025 – CETTI" in figures(app)[0]["layout"]["title"]["text"]


def test_meeting_mode_shows_one_indicator_per_screen():
    app = open_page(PAGE, reunion="true")
    titles = [f["layout"]["title"]["text"] for f in figures(app)]  # one topic: its three charts, no table
    assert len(titles) == 3 and " face à " in titles[2]
    assert not [t for t in app.dataframe if "Objectif annuel" in t.value.columns and "T1" in t.value.columns]


# --- the year against the previous one, at the same point (the figures added up here from the demo files) ---


def change(now: int, then: int | None) -> str:
    """« +12 % », « −8 % », « 0 % »; « n.s. » after a 0; « – » without a previous year."""
    if then is None:
        return "–"
    if then == 0:
        return "n.s."
    rate = (Decimal(now - then) * 100 / then).quantize(Decimal("0.01"), ROUND_HALF_UP)
    rounded = rate.quantize(Decimal("1"), ROUND_HALF_UP)
    sign = "+" if rounded > 0 else ("\u2212" if rounded < 0 else "")
    return f"{sign}{abs(rounded)}\u202f%"


def period_sums(indicator: str, year: int, quarters: set[int], orientations: set[str] | None = None) -> dict:
    sums = dict.fromkeys(HEADS, 0)
    for (head, _q), value in by_head_quarter(indicator, year, quarters=quarters, orientations=orientations).items():
        sums[head] += value
    return sums


def comparison_of(app) -> dict:
    [fig] = [f for f in figures(app) if " face à " in f["layout"]["title"]["text"]]
    return fig


def test_each_indicator_against_the_same_quarters_of_the_previous_year():
    """On 24/11/2026, 2026 has T1 to T3: compared with T1 to T3 2025, never the whole of 2025."""
    app = open_page(PAGE)
    for ind, _ in zip(INDICATORS, each_indicator(app), strict=True):
        fig = comparison_of(app)
        now, then = period_sums(ind.code, 2026, {1, 2, 3}), period_sums(ind.code, 2025, {1, 2, 3})
        assert fig["layout"]["title"]["text"] == f"{ind.short} : T1 à T3 2026 face à T1 à T3 2025 – tous réseaux"
        previous, current = fig["data"]
        assert (previous["name"], current["name"]) == ("T1 à T3 2025", "T1 à T3 2026")
        assert list(current["x"]) == HEADS
        assert values(current["y"]) == [now[h] for h in HEADS], ind.code
        assert values(previous["y"]) == [then[h] for h in HEADS], ind.code
        ticks = fig["layout"]["xaxis"]["ticktext"]
        assert ticks == [f"<b>{h}</b><br>{change(now[h], then[h])}" for h in HEADS]
        data = next(t.value for t in app.dataframe if "Évolution" in t.value.columns)
        assert list(data.columns) == ["Réseau", "T1 à T3 2026", "T1 à T3 2025", "Évolution"]
        assert [int(v) for v in data["T1 à T3 2026"]] == [now[h] for h in HEADS]
        total = (
            f"Tous réseaux : {format(sum(now.values()), ',d').replace(',', chr(0x202F))} {ind.unit} de T1 à T3 2026 "
            f"contre {format(sum(then.values()), ',d').replace(',', chr(0x202F))} de T1 à T3 2025 "
            f"({change(sum(now.values()), sum(then.values()))})."
        )
        captions = [c.value for c in app.caption]
        assert total in captions, (total, captions)
        # CABM never sent its T3 2026: its comparison lacks a quarter, and the page says so
        assert "CABM : aucun dépôt reçu pour T3 2026, sa comparaison porte sur des trimestres incomplets." in captions
    # the figures really move both ways (the demo's 2026 is credible against 2025)
    form_now, form_then = period_sums("FORM", 2026, {1, 2, 3}), period_sums("FORM", 2025, {1, 2, 3})
    assert any(form_now[h] > form_then[h] for h in HEADS) and any(form_now[h] < form_then[h] for h in HEADS)


def test_the_comparison_follows_the_filters():
    app = open_page(PAGE, trimestre=["T2"], orientation=["DIV"], reseau=["URQLL", "CHOPAL"])
    fig = comparison_of(app)
    assert fig["layout"]["title"]["text"] == "Accompagnements gouvernance : T2 2026 face à T2 2025 – CHOPAL, URQLL"
    now = period_sums("GOUV", 2026, {2}, {"DIV"})
    then = period_sums("GOUV", 2025, {2}, {"DIV"})
    previous, current = fig["data"]
    assert list(current["x"]) == ["CHOPAL", "URQLL"]
    assert values(current["y"]) == [now["CHOPAL"], now["URQLL"]]
    assert values(previous["y"]) == [then["CHOPAL"], then["URQLL"]]
    assert now["URQLL"] == 0 and then["URQLL"] > 0  # URQLL left diversification in 2026
    assert fig["layout"]["xaxis"]["ticktext"][1] == "<b>URQLL</b><br>\u2212100\u202f%"


def test_a_quarter_not_ended_is_not_compared_and_a_year_not_begun_says_so(monkeypatch: pytest.MonkeyPatch):
    app = open_page(PAGE, trimestre=["T3", "T4"])  # T4 2026 ends on 31/12: only T3 is compared
    assert comparison_of(app)["layout"]["title"]["text"].startswith("Accompagnements gouvernance : T3 2026 face à T3")
    monkeypatch.setenv("IAEDASH_TODAY", "2026-03-15")  # no quarter of 2026 has ended yet
    app = open_page(PAGE)
    assert not [f for f in figures(app) if " face à " in f["layout"]["title"]["text"]]
    assert "Aucun trimestre de la sélection n'est encore terminé en 2026 : rien à comparer." in [
        i.value for i in app.info
    ]


def test_the_first_year_says_there_is_nothing_to_compare():
    app = open_page(PAGE, annee="2025")
    assert not [f for f in figures(app) if " face à " in f["layout"]["title"]["text"]]
    assert [i.value for i in app.info] == [
        "Pas de comparaison avec 2024 : aucune tête de réseau de cette sélection n'avait de convention 2024 "
        "(2025 est sa première année suivie dans iaedash)."
    ]


def test_a_network_head_new_this_year_is_drawn_without_a_previous_bar_and_left_out_of_the_total(demo_db: Path):
    convention = ["NOUV", "Réseau nouveau (fictif)", "2026", "01/01/2026", "31/12/2026", "50000,00", "42000,00"]
    convention += ["21000,00", "7000,00", "10500,00", "16/03/2026", "4", "4", "4", "4", "40", "4"]
    rows = [["NOUV", "2026", "T1", o, i.code, "DEP", "3", ""] for o in ORIENTATION_CODES for i in INDICATORS]
    files = [
        IncomingFile("conventions_nouv_2026.csv", csv_text(CONVENTION_HEADER, convention).encode()),
        IncomingFile("NOUV_2026_T1_indicateurs.csv", csv_text(INDICATOR_HEADER, *rows).encode()),
    ]
    outcomes = import_files(demo_db, files, date(2026, 4, 20))
    assert all(o.status == "accepted" for o in outcomes), [str(p) for o in outcomes for p in o.problems]
    app = open_page(PAGE, indicateur_sujet="Formations")
    fig = comparison_of(app)
    previous, current = fig["data"]
    assert list(current["x"]) == ["CABM", "CETTI", "CHOPAL", "FEIAL", "ISARR", "NOUV", "URQLL"]
    assert values(current["y"])[5] == 12  # four orientations × 3, in T1 only
    assert values(previous["y"])[5] is None  # no bar at all, rather than a 0
    assert fig["layout"]["xaxis"]["ticktext"][5] == "<b>NOUV</b><br>–"
    captions = [c.value for c in app.caption]
    assert "NOUV n'avait pas de convention 2025 : rien à comparer pour cette tête de réseau." in captions
    now, then = period_sums("FORM", 2026, {1, 2, 3}), period_sums("FORM", 2025, {1, 2, 3})
    assert (
        "Tous réseaux à périmètre constant (les têtes de réseaux suivies les deux années) : "
        f"{sum(now.values())} formations de T1 à T3 2026 contre {sum(then.values())} de T1 à T3 2025 "
        f"({change(sum(now.values()), sum(then.values()))})."
    ) in captions
    # NOUV also sent no T2 nor T3: said like CABM's missing T3
    assert "NOUV : aucun dépôt reçu pour T2 et T3 2026, sa comparaison porte sur des trimestres incomplets." in captions
