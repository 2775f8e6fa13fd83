"""The call's areas (data/territoires.toml) and the reads of the Territoires page.

The file's errors name the file, the line, the column and the value: expected places are found in the test's own
text, never taken from the parser. The sums by territory and by area are computed here from the demo files
(tests/demo_truth.py) with the grouping written out below, never read back from the page's queries.
"""

from __future__ import annotations

import os
from collections import defaultdict
from datetime import date
from pathlib import Path

import demo_truth as truth
import pandas as pd
import pytest
from viewers import CABM, MANAGER

from iaedash.domain.territories import Area
from iaedash.filters import Filters
from iaedash.presenters import territories as frames
from iaedash.presenters.ranking import keep_top
from iaedash.reports.territories import ELSEWHERE, WHOLE_DEPARTMENT, area_sums, territory_sums
from iaedash.territories import TerritoriesFileError, load_areas, parse_areas

ROOT = Path(__file__).resolve().parents[1]
PROJECT_FILE = ROOT / "data" / "territoires.toml"
# The call's areas as the call and DOMAIN.md give them, written here rather than read from the file.
CALL_AREAS = {"BOU": "LITTORAL", "CAL": "LITTORAL", "LEH": "BASSIN_MINIER", "ART": "BASSIN_MINIER"}
YEAR = Filters(2025)

VALID = """\
# deux zones
[[zone]]
code = "LITTORAL"
nom = "Littoral"
territoires = ["BOU", "CAL"]
description = "La côte."

[[zone]]
code = "BASSIN_MINIER"
nom = "Bassin minier"
territoires = [
    "LEH",
    "ART",
]
description = "Le bassin minier."
"""


def place_of(text: str, fragment: str, occurrence: int = 1) -> tuple[int, int]:
    """(line, column), both 1-based, of the `occurrence`-th `fragment` in `text`, reading line by line."""
    found = [
        (n, column + 1)
        for n, line in enumerate(text.splitlines(), start=1)
        for column in range(len(line))
        if line.startswith(fragment, column)
    ]
    return found[occurrence - 1]


def line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    return place_of(text, fragment, occurrence)[0]


# --- the file ---


def test_the_project_file_holds_the_call_s_two_areas():
    areas = load_areas(PROJECT_FILE)
    assert [(a.code, a.label) for a in areas] == [
        ("LITTORAL", "Littoral – Grand Site des Deux-Caps"),
        ("BASSIN_MINIER", "Bassin minier"),
    ]
    assert {t: a.code for a in areas for t in a.territories} == CALL_AREAS
    assert all(a.description for a in areas)


def test_a_valid_file_is_read_in_its_order_with_a_multiline_list():
    assert parse_areas(VALID) == (
        Area("LITTORAL", "Littoral", ("BOU", "CAL"), "La côte."),
        Area("BASSIN_MINIER", "Bassin minier", ("LEH", "ART"), "Le bassin minier."),
    )


def edited(old: str, new: str) -> str:
    assert old in VALID
    return VALID.replace(old, new, 1)


# text, what the message says, and where: the `occurrence`-th `fragment` (a value, a key or the entry's header)
BAD = {
    "unknown territory": (edited('"CAL"]', '"CAX"]'), "« CAX » inconnu", ('"CAX"', 1)),
    "lower case code": (edited('"BOU"', '"bou"'), "« bou » inconnu", ('"bou"', 1)),
    "unknown territory in a multiline list": (
        edited('    "ART",', '    "ARTOIS",'),
        "« ARTOIS » inconnu",
        ('"ARTOIS"', 1),
    ),
    "DEP in an area": (
        edited('"CAL"]', '"DEP"]'),
        "« DEP » (tout le Département) n'entre dans aucune zone",
        ('"DEP"', 1),
    ),
    "a territory twice in an area": (edited('"CAL"]', '"CAL", "CAL"]'), "« CAL » cité deux fois", ('"CAL"', 2)),
    "a territory in two areas": (
        edited('"LEH",', '"BOU",'),
        "« BOU » est déjà dans la zone « LITTORAL » (ligne 2)",
        ('"BOU"', 2),
    ),
    "unknown key": (
        edited('nom = "Littoral"', 'nom = "Littoral"\ncouleur = "bleu"'),
        "clé inconnue « couleur »",
        ("couleur", 1),
    ),
    "missing key": (edited('description = "La côte."\n', ""), "« description » manque", ("[[zone]]", 1)),
    "bad area code": (
        edited('code = "LITTORAL"', 'code = "Littoral"'),
        "code de zone « Littoral » invalide",
        ('code = "Littoral"', 1),
    ),
    "empty label": (edited('nom = "Littoral"', 'nom = "  "'), "« nom » doit être un texte non vide", ('nom = "  "', 1)),
    "empty list": (
        edited('["BOU", "CAL"]', "[]"),
        "« territoires » doit être une liste non vide",
        ("territoires = []", 1),
    ),
    "a number for a code": (edited('"CAL"]', "59]"), "territoire « 59 »", ("territoires = [", 1)),
    "same code twice": (
        edited('code = "BASSIN_MINIER"', 'code = "LITTORAL"'),
        "la zone « LITTORAL » figure déjà à la ligne 2",
        ("[[zone]]", 2),
    ),
    "unknown section": ("[options]\nx = 1\n" + VALID, "section inconnue « options »", ("[options]", 1)),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_wrong_file_is_refused_naming_file_line_and_value(case: str):
    text, said, where = BAD[case]
    with pytest.raises(TerritoriesFileError) as error:
        parse_areas(text, "zones.toml")
    message = str(error.value)
    assert said in message
    fragment, occurrence = where
    line, column = place_of(text, fragment, occurrence)
    if fragment.startswith('"'):  # a value: its column too
        assert message.startswith(f"zones.toml, ligne {line}, colonne {column} :"), message
    else:  # a key, or the header of the entry at fault
        assert message.startswith(f"zones.toml, ligne {line} :"), message


def test_a_file_that_is_not_toml_names_its_line_and_column():
    text = edited('nom = "Littoral"', "nom = Littoral")
    with pytest.raises(TerritoriesFileError, match=rf"^zones\.toml, ligne {line_of(text, 'nom = Littoral')}, colonne"):
        parse_areas(text, "zones.toml")


@pytest.mark.parametrize("text", ["", "# rien\n", "zone = []\n"])
def test_a_file_without_any_area_is_refused(text: str):
    with pytest.raises(TerritoriesFileError, match="aucune zone"):
        parse_areas(text, "zones.toml")


def test_a_missing_file_is_an_error_naming_it(tmp_path: Path):
    with pytest.raises(TerritoriesFileError, match=r"absent\.toml : fichier des zones introuvable"):
        load_areas(tmp_path / "absent.toml")


def test_the_setting_names_another_file_read_again_when_it_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    chosen = tmp_path / "zones.toml"
    chosen.write_text(VALID, encoding="utf-8")
    monkeypatch.setenv("IAEDASH_TERRITOIRES", str(chosen))
    assert [a.code for a in load_areas()] == ["LITTORAL", "BASSIN_MINIER"]
    chosen.write_text(edited('"CAL"]', '"XYZ"]'), encoding="utf-8")
    later = chosen.stat().st_mtime_ns + 1_000_000_000
    os.utime(chosen, ns=(later, later))  # a second later, whatever the file system's clock resolution
    with pytest.raises(TerritoriesFileError, match=rf"^{chosen}, ligne 5, colonne \d+ : territoire « XYZ » inconnu"):
        load_areas()


# --- what the demo files say, computed here ---


def values_of(heads: set[str] | None = None, quarters: set[int] | None = None, orientations: set[str] | None = None):
    for (head, quarter, orientation, indicator, territory), value in truth.indicator_values().items():
        if (heads and head not in heads) or (quarters and quarter not in quarters):
            continue
        if orientations and orientation not in orientations:
            continue
        yield head, indicator, territory, value


def by_territory(**selection: set) -> dict[tuple[str, str, str], int]:
    """(network head, territory, indicator) → sum; URQLL sends no territory column: all of it DEP."""
    out: dict[tuple[str, str, str], int] = defaultdict(int)
    for head, indicator, territory, value in values_of(**selection):
        out[(head, territory, indicator)] += value
    return {k: v for k, v in out.items()}


def by_part(grouping: dict[str, str], **selection: set) -> dict[tuple[str, str, str], int]:
    """(network head, indicator, part) → sum: an area's code, ELSEWHERE, or WHOLE_DEPARTMENT for DEP."""
    out: dict[tuple[str, str, str], int] = defaultdict(int)
    for head, indicator, territory, value in values_of(**selection):
        part = WHOLE_DEPARTMENT if territory == "DEP" else grouping.get(territory, ELSEWHERE)
        out[(head, indicator, part)] += value
    return dict(out)


def as_dict(frame: pd.DataFrame, keys: list[str]) -> dict:
    return {tuple(r[k] for k in keys): int(r["value"]) for r in frame.to_dict("records")}


def test_the_demo_has_located_and_unlocated_activity():
    """What the checks below lean on: URQLL all DEP, the others partly located, both areas reached."""
    sums = by_territory()
    assert {t for (h, t, _), v in sums.items() if h == "URQLL" and v} == {"DEP"}
    assert {t for (_h, t, _), v in sums.items() if v} > {"DEP", *CALL_AREAS}


# --- the reads ---


def test_sums_by_territory_equal_the_files(demo_db: Path):
    assert as_dict(territory_sums(demo_db, MANAGER, YEAR), ["network_head", "territory", "indicator"]) == (
        by_territory()
    )
    chosen = Filters(2025, ("CHOPAL", "FEIAL", "URQLL"), (2, 3), ("PRO", "MAR"))
    got = as_dict(territory_sums(demo_db, MANAGER, chosen), ["network_head", "territory", "indicator"])
    assert got == by_territory(heads={"CHOPAL", "FEIAL", "URQLL"}, quarters={2, 3}, orientations={"PRO", "MAR"})


def test_sums_by_area_equal_the_files_and_add_up_to_each_total(demo_db: Path):
    got = as_dict(area_sums(demo_db, MANAGER, YEAR, load_areas(PROJECT_FILE)), ["network_head", "indicator", "part"])
    assert got == by_part(CALL_AREAS)
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for (head, indicator, _part), value in got.items():
        totals[(head, indicator)] += value
    assert dict(totals) == truth.year_totals()


def test_the_grouping_is_data(demo_db: Path, tmp_path: Path):
    """Another file, other areas: the same query groups by them (no area is written in the code)."""
    other = tmp_path / "zones.toml"
    other.write_text(
        '[[zone]]\ncode = "SUD"\nnom = "Sud"\nterritoires = ["ARR", "MOT"]\ndescription = "Le sud."\n', encoding="utf-8"
    )
    got = as_dict(area_sums(demo_db, MANAGER, YEAR, load_areas(other)), ["network_head", "indicator", "part"])
    assert got == by_part({"ARR": "SUD", "MOT": "SUD"})
    assert ("ISARR", "GOUV", "SUD") in got and ("CHOPAL", "GOUV", ELSEWHERE) in got


def test_the_past_counts_the_versions_received_by_then(demo_db: Path):
    """Before FEIAL's corrected T2 (received 08/09/2025) and before any T3, the figures of that day."""
    day = date(2025, 9, 1)
    received = {path.name for path, on in truth.manifest() if date.fromisoformat(on) <= day}
    expected: dict[tuple[str, str, str], int] = defaultdict(int)
    latest: dict[tuple[str, int], list[dict]] = {}
    for path, _on in truth.manifest():
        if path.name in received:
            for kind, rows in truth._sheets(path).items():
                if kind == "indicateurs":
                    latest[(rows[0]["reseau"], int(rows[0]["trimestre"].lstrip("T")))] = rows
    for (head, _q), rows in latest.items():
        for r in rows:
            expected[(head, r.get("territoire") or "DEP", r["indicateur"])] += int(float(r["valeur"]))
    past = Filters(2025, as_of=day)
    assert as_dict(territory_sums(demo_db, MANAGER, past), ["network_head", "territory", "indicator"]) == dict(expected)
    assert expected != by_territory(quarters={1, 2})  # FEIAL's correction changed T2 afterwards


def test_a_network_head_account_reads_its_own_territories_only(demo_db: Path):
    areas = load_areas(PROJECT_FILE)
    mine = as_dict(territory_sums(demo_db, CABM, YEAR), ["network_head", "territory", "indicator"])
    assert mine == by_territory(heads={"CABM"})
    parts = as_dict(area_sums(demo_db, CABM, YEAR, areas), ["network_head", "indicator", "part"])
    assert parts == by_part(CALL_AREAS, heads={"CABM"})
    feial = Filters(2025, network_heads=("FEIAL",))
    assert territory_sums(demo_db, CABM, feial).empty and area_sums(demo_db, CABM, feial, areas).empty
    # the same filter for the Direction does give FEIAL: the emptiness above is the restriction
    assert set(territory_sums(demo_db, MANAGER, feial)["network_head"]) == {"FEIAL"}
    assert set(area_sums(demo_db, MANAGER, feial, areas)["network_head"]) == {"FEIAL"}


# --- the presenter's shares ---


def test_shares_are_each_part_over_the_network_head_s_total(demo_db: Path):
    areas = load_areas(PROJECT_FILE)
    parts = frames.parts_for_indicator(area_sums(demo_db, MANAGER, YEAR, areas), "GOUV")
    rows = frames.shares(parts, parts)
    expected = {(h, p): v for (h, i, p), v in by_part(CALL_AREAS).items() if i == "GOUV"}
    heads = {h for h, _ in expected}
    for (head, part), value in expected.items():
        total = sum(v for (h, _), v in expected.items() if h == head)
        [row] = rows[(rows["row"] == head) & (rows["part"] == part)].to_dict("records")
        assert row["value"] == value and row["share"] == pytest.approx(100 * value / total)
    overall = rows[rows["row"] == frames.OVERALL].set_index("part")["value"].to_dict()
    assert overall == {p: sum(v for (_, q), v in expected.items() if q == p) for p in {p for _, p in expected}}
    assert list(rows["row"].drop_duplicates()) == [frames.OVERALL, *sorted(heads)]
    assert rows.groupby("row")["share"].sum().round(9).eq(100).all()


def test_the_share_table_names_what_is_not_located():
    areas = (Area("LITTORAL", "Littoral", ("BOU", "CAL"), "…"),)
    parts = pd.DataFrame(
        {"network_head": ["A", "A", "A"], "part": ["LITTORAL", ELSEWHERE, WHOLE_DEPARTMENT], "value": [1, 1, 2]}
    )
    table = frames.share_table(frames.shares(parts, parts), areas, "formations")
    assert table.to_dict("records") == [
        {
            "Réseau": "A",
            "Littoral (formations)": 1,
            "Littoral (part)": "25,0\u202f%",
            "Autres territoires (formations)": 1,
            "Autres territoires (part)": "25,0\u202f%",
            "Tout le Département (non localisé) (formations)": 2,
            "Tout le Département (non localisé) (part)": "50,0\u202f%",
            "Total (formations)": 4,
        }
    ]


def test_beyond_twelve_network_heads_the_others_share_from_their_sums():
    """Twenty network heads: the first eleven and « autres », whose shares come from the others' summed parts."""
    rows = []
    for n in range(20):
        rows += [{"network_head": f"R{n:02}", "part": "LITTORAL", "value": n}]
        rows += [{"network_head": f"R{n:02}", "part": WHOLE_DEPARTMENT, "value": 100}]
    parts = pd.DataFrame(rows)
    shown = keep_top(parts, by=["part"])
    shares = frames.shares(shown.frame, parts).set_index(["row", "part"])
    others = [n for n in range(20) if f"R{n:02}" not in set(shown.frame["network_head"])]
    assert len(others) == 9 and "autres" in shares.index.get_level_values("row")
    littoral = sum(others)
    assert shares.loc[("autres", "LITTORAL"), "share"] == pytest.approx(100 * littoral / (littoral + 100 * 9))
    assert shares.loc[(frames.OVERALL, WHOLE_DEPARTMENT), "value"] == 2000
