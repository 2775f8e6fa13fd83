"""Year against year, piece by piece: the change rule, its French, the chart, and the call file that says its
parameters are a working hypothesis."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pandas as pd
import pytest
from page_runner import values

from iaedash.calls import CallFileError, parse_call
from iaedash.charts.comparison import Measure, year_against_year
from iaedash.charts.palette import lighter
from iaedash.domain.monitoring import year_on_year_change
from iaedash.presenters.calls import hypothesis_notice
from iaedash.presenters.comparison import change_text, points_text

CALL_2025 = Path(__file__).resolve().parents[1] / "data" / "appels" / "2025.toml"


@pytest.mark.parametrize(
    ("current", "previous", "expected"),
    [
        (112, 100, D("12.00")),
        (92, 100, D("-8.00")),
        (100, 100, D("0.00")),
        (1, 3, D("-66.67")),  # half-up to the hundredth of a percent
        (2, 3, D("-33.33")),
        (D("52007.76"), D("71274.00"), D("-27.03")),  # money: exact decimals
        (5, 0, None),  # from nothing: no rate
        (0, 0, None),
        (5, None, None),  # no previous year
    ],
)
def test_year_on_year_change(current, previous, expected):
    assert year_on_year_change(current, previous) == expected


@pytest.mark.parametrize(
    ("change", "previous", "expected"),
    [
        (D("12.00"), 100, "+12\u202f%"),
        (D("-8.00"), 100, "\u22128\u202f%"),
        (D("-7.50"), 40, "\u22128\u202f%"),  # half-up, away from zero
        (D("0.49"), 100, "0\u202f%"),
        (D("0.00"), 7, "0\u202f%"),
        (D("1250.00"), 4, "+1\u202f250\u202f%"),  # French thousands
        (None, 0, "n.s."),
        (None, None, "–"),
        (None, float("nan"), "–"),  # a missing cell of a data frame
    ],
)
def test_change_in_french(change, previous, expected):
    assert change_text(change, previous) == expected


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        (D("4.46"), "+4,5\u202fpts"),
        (D("-1.57"), "\u22121,6\u202fpt"),  # under 2: singular
        (D("-21.50"), "\u221221,5\u202fpts"),
        (D("0.04"), "0,0\u202fpt"),
        (None, "–"),
    ],
)
def test_points_in_french(points, expected):
    assert points_text(points) == expected


def test_the_chart_draws_no_previous_bar_where_there_is_nothing_to_compare():
    frame = pd.DataFrame(
        {
            "network_head": ["NOUV", "CABM"],
            "current": [12, 13],
            "previous": [None, 19],
            "change": ["–", "\u221232\u202f%"],
        }
    )
    colors = {"CABM": "#332288", "NOUV": "#CC6677"}
    fig = year_against_year(
        frame, "Formations : T1 à T3 2026 face à T1 à T3 2025 – tous réseaux", current_label="T1 à T3 2026",
        previous_label="T1 à T3 2025", colors=colors, unit="formations",
    )  # fmt: skip
    previous, current = fig.data
    assert list(current.x) == ["CABM", "NOUV"]  # sorted by code, like every chart
    assert values(current.y) == [13, 12] and values(previous.y) == [19, None]
    assert list(previous.text) == ["19", ""]
    assert list(current.marker.color) == ["#332288", "#CC6677"]
    assert list(previous.marker.color) == [lighter("#332288"), lighter("#CC6677")]
    assert list(fig.layout.xaxis.ticktext) == ["<b>CABM</b><br>\u221232\u202f%", "<b>NOUV</b><br>–"]
    assert fig.layout.separators == ",\u00a0"


def test_the_chart_of_money_and_rates_says_its_unit():
    frame = pd.DataFrame(
        {"network_head": ["CABM"], "current": [D("52007.76")], "previous": [D("71274.00")], "change": ["\u221227 %"]}
    )
    fig = year_against_year(frame, "t 2026", current_label="a", previous_label="b", colors={}, measure=Measure.EUROS)
    assert list(fig.data[1].text) == ["52,0\u202fk€"] and list(fig.data[1].customdata) == ["52\u202f007,76\u202f€"]
    assert fig.layout.yaxis.ticksuffix == "\u202f€"
    fig = year_against_year(frame.assign(current=[D("50.00")], previous=[D("71.50")]), "t 2026", current_label="a",
                            previous_label="b", colors={}, measure=Measure.PERCENT)  # fmt: skip
    assert list(fig.data[0].text) == ["71,5\u202f%"] and fig.layout.yaxis.ticksuffix == "\u202f%"


def test_an_empty_selection_says_so():
    empty = pd.DataFrame(columns=["network_head", "current", "previous", "change"])
    fig = year_against_year(empty, "t 2026", current_label="a", previous_label="b", colors={})
    assert fig.layout.annotations[0].text == "Aucune tête de réseau dans cette sélection."


def test_lighter_keeps_the_hue():
    assert lighter("#332288", 0) == "#332288"
    assert lighter("#332288", 1) == "#FFFFFF"
    assert lighter("#000000", 0.5) == "#808080"


# --- the call file of a year not yet published ---


def call_file(tmp_path: Path, extra: str) -> Path:
    """The 2025 call (15 lines) as 2026, `extra` from line 16 on."""
    path = tmp_path / "2026.toml"
    path.write_text(CALL_2025.read_text(encoding="utf-8").replace("annee = 2025", "annee = 2026") + extra, "utf-8")
    return path


def test_a_call_taken_as_a_working_hypothesis_carries_its_note(tmp_path: Path):
    call = parse_call(call_file(tmp_path, 'hypothese_de_travail = true\nnote_hypothese = " repris de 2025 "\n'))
    assert call.working_hypothesis == "repris de 2025"
    assert parse_call(call_file(tmp_path, "hypothese_de_travail = false\n")).working_hypothesis is None
    assert parse_call(CALL_2025).working_hypothesis is None


@pytest.mark.parametrize(
    ("extra", "where", "said"),
    [
        ('hypothese_de_travail = "oui"\n', 16, "valeur « oui » refusée, true ou false attendu"),
        ("hypothese_de_travail = true\n", None, "lu : « absente »"),
        ('hypothese_de_travail = true\nnote_hypothese = ""\n', 17, "une ligne de texte est attendue"),
        ('hypothese_de_travail = true\nnote_hypothese = """a\nb"""\n', 17, "une ligne de texte est attendue"),
    ],
)
def test_a_call_file_that_says_it_badly_is_refused_in_french_with_its_line(tmp_path: Path, extra, where, said):
    path = call_file(tmp_path, extra)
    with pytest.raises(CallFileError) as error:
        parse_call(path)
    message = str(error.value)
    assert said in message
    assert message.startswith(f"{path}:{where}:1: " if where else f"{path}: ")


def test_the_notice_of_each_demo_year():
    assert hypothesis_notice(2026) == "Appel 2026 : paramètres provisoires repris de 2025 (hypothèse de travail)"
    assert hypothesis_notice(2025) is None
    assert hypothesis_notice(2031) is None  # no call at all: nothing to say about it
    assert hypothesis_notice(None) is None
