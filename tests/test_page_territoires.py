"""Territoires on the demo data, through AppTest: each chart's figures against the demo files, the colours of the
network heads, a broken areas file said in French, a network head's account, meeting mode."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import demo_truth as truth
import pytest
from page_runner import APP, TODAY, assert_ran, figures, open_page, show_tab, values
from streamlit.testing.v1 import AppTest
from test_page_access import ACCESS, AUTH

from iaedash.charts.palette import NETWORK_HEAD_PALETTE

PAGE = "pages/territoires.py"
KEY = "territoire_sujet"
TOPICS = ["Carte territoire × réseau", "Activité localisée", "Zones de l'appel", "Part des zones"]
NAMES = {
    "ARR": "Arrageois",
    "ART": "Artois",
    "AUD": "Audomarois",
    "BOU": "Boulonnais",
    "CAL": "Calaisis",
    "LEH": "Lens-Hénin",
    "MOT": "Montreuillois-Ternois",
}
AREAS = {"BOU": "Littoral – Grand Site des Deux-Caps", "CAL": "Littoral – Grand Site des Deux-Caps"}
AREAS |= {"LEH": "Bassin minier", "ART": "Bassin minier"}
HEADS = sorted(truth.plans())


@pytest.fixture(autouse=True)
def demo(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IAEDASH_DB", str(demo_db))
    monkeypatch.setenv("IAEDASH_TODAY", TODAY)


def sums(indicator: str, heads: set[str] | None = None, quarters: set[int] | None = None) -> dict[tuple[str, str], int]:
    """(network head, territory) → the indicator's sum in the demo files; URQLL's values are all DEP."""
    out: dict[tuple[str, str], int] = defaultdict(int)
    for (head, quarter, _o, code, territory), value in truth.indicator_values().items():
        if code == indicator and (not heads or head in heads) and (not quarters or quarter in quarters):
            out[(head, territory)] += value
    return dict(out)


def plain(label: str) -> str:
    return label.replace("<br>", "")


def heat_map(app: AppTest) -> dict[tuple[str, str], int]:
    """(network head, territory name or « DEP ») → the number the map shows, the DEP column included."""
    [fig] = figures(app)
    heat, dep = fig["data"]
    z = values(heat["z"])
    cells = {(head, plain(t)): z[i][j] for i, head in enumerate(heat["y"]) for j, t in enumerate(heat["x"])}
    cells |= {(head, "DEP"): v for head, v in zip(dep["y"], values(dep["customdata"]), strict=True)}
    return cells


def test_the_map_shows_every_territory_and_dep_as_in_the_files():
    app = open_page(PAGE, annee="2025", trimestre=["T1", "T2", "T3"])
    [fig] = figures(app)
    assert fig["layout"]["title"]["text"] == (
        "Accompagnements gouvernance par territoire et par réseau – T1 à T3 2025 – tous réseaux"
    )
    expected = {(head, NAMES.get(t, t)): v for (head, t), v in sums("GOUV", quarters={1, 2, 3}).items()}
    cells = heat_map(app)
    assert {k: v for k, v in cells.items() if v} == {k: v for k, v in expected.items() if v}
    assert len(cells) == len(HEADS) * 8  # every territory a column, for every network head: 0 said where nothing
    assert cells[("URQLL", "DEP")] == sum(v for (h, _t), v in expected.items() if h == "URQLL")
    assert "DEP (tout le Département)" in " ".join(c.value for c in app.caption)


def test_located_activity_by_territory_in_each_network_head_s_colour():
    app = show_tab(open_page(PAGE, annee="2025"), KEY, "Activité localisée")
    [fig] = figures(app)
    expected = {(h, NAMES[t]): v for (h, t), v in sums("GOUV").items() if t != "DEP" and v}
    bars = [s for s in fig["data"] if s["type"] == "bar"]
    got = {(s["name"], plain(x)): y for s in bars for x, y in zip(s["x"], values(s["y"]), strict=True) if y}
    assert got == expected
    colours = {s["name"]: s["marker"]["color"] for s in bars}
    assert colours == {h: NETWORK_HEAD_PALETTE[HEADS.index(h)] for h in colours}  # ranks among every network head
    whole = sum(v for (_h, t), v in sums("GOUV").items() if t == "DEP")
    total = sum(sums("GOUV").values())
    subtitle = fig["layout"]["title"]["text"].split("<sup>")[1]
    assert f"hors DEP (tout le Département, sans territoire) : {whole} accompagnements" in subtitle
    assert f"{round(100 * whole / total)}\u202f% du total" in subtitle


def area_sums(indicator: str) -> dict[tuple[str, str], int]:
    """(network head, part) → sum: an area's name, « Autres territoires » or « Tout le Département (non localisé) »."""
    out: dict[tuple[str, str], int] = defaultdict(int)
    for (head, territory), value in sums(indicator).items():
        part = (
            "Tout le Département (non localisé)" if territory == "DEP" else AREAS.get(territory, "Autres territoires")
        )
        out[(head, part)] += value
    return dict(out)


def test_activity_in_each_area_of_the_call():
    app = show_tab(open_page(PAGE, annee="2025"), KEY, "Zones de l'appel")
    [fig] = figures(app)
    assert (
        fig["layout"]["title"]["text"]
        == "Accompagnements gouvernance dans les zones de l'appel – T1 à T4 2025 – tous réseaux"
    )
    got = {
        (s["name"], x.split("<br>")[0]): y
        for s in fig["data"]
        if s["type"] == "bar"
        for x, y in zip(s["x"], values(s["y"]), strict=True)
        if y
    }
    assert got == {k: v for k, v in area_sums("GOUV").items() if k[1] in AREAS.values() and v}
    assert fig["data"][0]["x"] == [
        "Littoral – Grand Site des Deux-Caps<br>(Boulonnais, Calaisis)",
        "Bassin minier<br>(Lens-Hénin, Artois)",
    ]
    text = " ".join(m.value for m in app.markdown)
    assert "**Littoral – Grand Site des Deux-Caps** (Boulonnais, Calaisis)" in text
    assert "**Bassin minier** (Lens-Hénin, Artois)" in text


def test_each_area_s_share_of_each_network_head_s_activity():
    app = show_tab(open_page(PAGE, annee="2025"), KEY, "Part des zones")
    [fig] = figures(app)
    expected = area_sums("GOUV")
    totals = {h: sum(v for (g, _p), v in expected.items() if g == h) for h in HEADS}
    every = sum(totals.values())
    for series in fig["data"]:
        shares = dict(zip(series["y"], values(series["x"]), strict=True))
        for head in HEADS:
            assert shares[head] == pytest.approx(100 * expected.get((head, series["name"]), 0) / totals[head])
        overall = sum(v for (_h, p), v in expected.items() if p == series["name"])
        assert shares["Ensemble"] == pytest.approx(100 * overall / every)
    assert [s["name"] for s in fig["data"]] == [
        "Littoral – Grand Site des Deux-Caps",
        "Bassin minier",
        "Autres territoires",
        "Tout le Département (non localisé)",
    ]
    assert fig["data"][-1]["marker"]["pattern"]["shape"] == "/"  # located nowhere: hatched
    table = app.dataframe[0].value.set_index("Réseau")
    assert table.loc["URQLL", "Tout le Département (non localisé) (part)"] == "100,0\u202f%"
    assert table.loc["CHOPAL", "Total (accompagnements)"] == totals["CHOPAL"]


def test_another_indicator_redraws_every_chart():
    app = open_page(PAGE, annee="2025")
    app.segmented_control(key="territoire_indicateur").set_value("JURI").run()
    expected = {(head, NAMES.get(t, t)): v for (head, t), v in sums("JURI").items() if v}
    assert {k: v for k, v in heat_map(app).items() if v} == expected
    assert figures(app)[0]["layout"]["title"]["text"].startswith("Interventions juridiques par territoire")
    show_tab(app, KEY, "Activité localisée")
    assert figures(app)[0]["data"][0]["hovertemplate"].endswith("interventions<extra></extra>")


def test_an_indicator_never_located_says_so_instead_of_an_empty_chart():
    """Committees are never located in the demo: the located chart is a sentence that says where they went."""
    assert not any(v for (_h, t), v in sums("COMI").items() if t != "DEP")
    app = open_page(PAGE, annee="2025")
    app.segmented_control(key="territoire_indicateur").set_value("COMI").run()
    show_tab(app, KEY, "Activité localisée")
    [fig] = figures(app)
    sentence = fig["layout"]["annotations"][0]["text"]
    whole = sum(sums("COMI").values())
    assert sentence.startswith("Aucune valeur localisée dans un territoire pour cette sélection. Hors DEP")
    assert f"{truth_number(whole)} participations, 100\u202f% du total" in sentence


def truth_number(n: int) -> str:
    """« 1 234 » as formatting writes it, the thousands separated by a narrow no-break space."""
    return f"{n:,}".replace(",", "\u202f")


def test_a_broken_areas_file_is_said_in_french_and_the_territories_still_show(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    broken = tmp_path / "zones.toml"
    wrong = 'territoires = ["BOU", "XYZ"]'
    broken.write_text(f'[[zone]]\ncode = "NORD"\nnom = "Nord"\n{wrong}\ndescription = "x"\n', encoding="utf-8")
    monkeypatch.setenv("IAEDASH_TERRITOIRES", str(broken))
    app = open_page(PAGE, annee="2025")
    assert heat_map(app)  # the territories do not need the areas file
    for topic in ("Zones de l'appel", "Part des zones"):
        show_tab(app, KEY, topic)
        [error] = app.error
        assert "Zones de l'appel indisponibles" in error.value
        column = wrong.index('"XYZ"') + 1  # the opening quote, 1-based
        assert f"{broken}, ligne 4, colonne {column} : territoire « XYZ » inconnu" in error.value
        assert not figures(app)


def signed_cabm(**params: str) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    app.secrets["auth"] = AUTH
    app.user = {"is_logged_in": True, "email": "contact@reseau-cabm.fr", "name": "Camille Petit"}
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    app.switch_page(PAGE).run()
    assert_ran(app)
    return app


def test_a_network_head_account_sees_its_own_territories_only(monkeypatch: pytest.MonkeyPatch):
    """CABM, even with a link typed to FEIAL: its own figures on every tab, no other code in any table."""
    monkeypatch.setenv("IAEDASH_ACCES", str(ACCESS))
    app = signed_cabm(annee="2025", reseau="FEIAL")
    for topic in TOPICS:
        show_tab(app, KEY, topic)
        tables = [d.value for d in app.dataframe]
        heads = {str(v) for t in tables for v in t.get("Réseau", [])}
        assert heads <= {"CABM"}, (topic, heads)
        names = {s.get("name") for f in figures(app) for s in f["data"]} | {
            y for f in figures(app) for s in f["data"] for y in (s.get("y") if isinstance(s.get("y"), list) else [])
        }
        assert not names & (set(HEADS) - {"CABM"}), (topic, names)
    app = signed_cabm(annee="2025")
    expected = {("CABM", NAMES.get(t, t)): v for (_h, t), v in sums("GOUV", heads={"CABM"}).items() if v}
    assert {k: v for k, v in heat_map(app).items() if v} == expected


def test_meeting_mode_shows_one_topic_per_screen():
    app = open_page(PAGE, annee="2025", reunion="true")
    assert [s.label for s in app.segmented_control] == ["Indicateur", "Sujet"]
    assert len(figures(app)) == 1
    show_tab(app, KEY, "Part des zones")
    [fig] = figures(app)
    assert fig["layout"]["title"]["text"].startswith("Accompagnements gouvernance : part de chaque zone")
