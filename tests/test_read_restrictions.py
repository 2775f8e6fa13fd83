"""Every read returns only what its viewer may see: a network head's account its own network head, a lecteur
no staff line; the restriction is applied in SQL (`$allowed`), so asking for another network head gives
nothing rather than everything. Expectations come from the demo files (tests/demo_truth.py)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import demo_truth as truth
import pytest
from helpers_review import corrected_indicators, corrected_staff
from viewers import ANALYST, CABM, MANAGER, READER

from iaedash.domain.access import AccessDenied, Viewer
from iaedash.domain.review import ReviewAction
from iaedash.exports import DATASETS, build
from iaedash.filters import Filters
from iaedash.final_report.narrative import NoConventionError
from iaedash.final_report.pack import final_report_pack
from iaedash.ingest.load import import_files
from iaedash.presenters.overview import alert_sentence
from iaedash.reports import budget, common, overview
from iaedash.reports.overview import AlertKind
from iaedash.review import Scope, act, add_comment, review_states, threads

ROOT = Path(__file__).resolve().parents[1]
SQL = ROOT / "src" / "iaedash" / "db" / "sql"
YEAR = Filters(2025)
FEIAL_ONLY = Filters(2025, network_heads=("FEIAL",))
TODAY = date(2026, 3, 1)  # after the year: every quarter has ended
HEADS = set(truth.plans())


# --- what the demo files say, computed here ---


def quarter_totals(heads: set[str] | None = None) -> dict[tuple[str, int, str], int]:
    out: dict[tuple[str, int, str], int] = defaultdict(int)
    for (head, quarter, _orientation, indicator), value in truth.totals(heads).items():
        out[(head, quarter, indicator)] += value
    return dict(out)


def orientation_totals(heads: set[str] | None = None) -> dict[tuple[str, str, str], int]:
    out: dict[tuple[str, str, str], int] = defaultdict(int)
    for (head, _quarter, orientation, indicator), value in truth.totals(heads).items():
        out[(head, orientation, indicator)] += value
    return dict(out)


def file_comments() -> Counter:
    """Network head → comments sent with its current indicator values."""
    out: Counter = Counter()
    for (kind, head, _q), rows in truth.current_sheets().items():
        if kind == "indicateurs":
            out[head] += sum(1 for r in rows if (r.get("commentaire") or "").strip() not in ("", "None"))
    return out


def scopes_per_file() -> list[tuple[str, set[str]]]:
    """(file name, network heads it covers) for every file of the manifest, and the submissions it makes."""
    out = []
    for path, _received in truth.manifest():
        heads = set()
        for kind, rows in truth._sheets(path).items():
            heads |= {r["reseau"] for r in rows} if kind == "conventions" else {rows[0]["reseau"]}
        out.append((path.name, heads))
    return out


def submissions_of(head: str, year: int = YEAR.year) -> int:
    count = 0
    for path, _received in truth.manifest():
        for kind, rows in truth._sheets(path).items():
            mine = [r for r in rows if r["reseau"] == head and int(float(r["annee"])) == year]
            count += len(mine) if kind == "conventions" else bool(mine)
    return count


def as_dict(frame, keys: list[str]) -> dict:
    return {tuple(r[k] for k in keys): int(r["value"]) for r in frame.to_dict("records")}


# --- CABM sees CABM, and asking for FEIAL gives nothing ---


def test_indicator_reads_of_cabm_are_cabm_s_only(demo_db: Path):
    assert as_dict(common.by_quarter(demo_db, CABM, YEAR), ["network_head", "quarter", "indicator"]) == quarter_totals(
        {"CABM"}
    )
    assert as_dict(
        common.by_orientation(demo_db, CABM, YEAR), ["network_head", "orientation", "indicator"]
    ) == orientation_totals({"CABM"})
    assert as_dict(
        common.by_quarter_and_orientation(demo_db, CABM, YEAR), ["network_head", "quarter", "orientation", "indicator"]
    ) == truth.totals({"CABM"})
    for read in (common.by_quarter, common.by_orientation, common.by_quarter_and_orientation):
        assert read(demo_db, CABM, FEIAL_ONLY).empty, read.__name__
        # the same filter for the Direction does give FEIAL: the emptiness above is the restriction
        assert set(read(demo_db, MANAGER, FEIAL_ONLY)["network_head"]) == {"FEIAL"}, read.__name__


def test_the_manager_sees_every_network_head(demo_db: Path):
    assert as_dict(common.by_quarter(demo_db, MANAGER, YEAR), ["network_head", "quarter", "indicator"]) == (
        quarter_totals()
    )
    assert (
        as_dict(
            common.by_quarter_and_orientation(demo_db, MANAGER, YEAR),
            ["network_head", "quarter", "orientation", "indicator"],
        )
        == truth.totals()
    )
    assert set(common.conventions(demo_db, MANAGER, YEAR)["network_head"]) == HEADS
    assert len(common.import_history(demo_db, MANAGER)) == len(truth.manifest())
    assert list(common.network_heads(demo_db, MANAGER)["code"]) == sorted(HEADS)
    assert len(common.comments(demo_db, MANAGER, YEAR)) == sum(file_comments().values())
    assert len(common.submission_history(demo_db, MANAGER, YEAR)) == sum(submissions_of(h) for h in HEADS)


def test_conventions_network_heads_and_years_of_cabm(demo_db: Path):
    conventions = common.conventions(demo_db, CABM, YEAR)
    assert list(conventions["network_head"]) == ["CABM"]
    assert conventions.iloc[0]["department_amount_eur"] == truth.plans()["CABM"]["department"]
    assert common.conventions(demo_db, CABM, FEIAL_ONLY).empty
    heads = common.network_heads(demo_db, CABM)
    assert heads.to_dict("records") == [
        {"code": "CABM", "name": "Coordination des associations intermédiaires du Bassin minier (fictive)"}
    ]
    assert common.years(demo_db, CABM) == [2026, 2025]  # newest first
    assert common.years(demo_db, Viewer(CABM.role, "x@y.fr", "X", frozenset({"NOPE"}))) == []


def test_comments_and_history_of_cabm(demo_db: Path):
    sent = common.comments(demo_db, CABM, YEAR)
    assert set(sent["network_head"]) <= {"CABM"}
    assert len(sent) == file_comments()["CABM"]
    assert common.comments(demo_db, CABM, FEIAL_ONLY).empty

    history = common.submission_history(demo_db, CABM, YEAR)
    assert set(history["network_head"]) == {"CABM"}
    assert len(history) == submissions_of("CABM")
    assert common.submission_history(demo_db, CABM, FEIAL_ONLY).empty

    files = common.import_history(demo_db, CABM)
    # only the files about CABM alone: the conventions file of every network head is not one of them
    assert sorted(files["file_name"]) == sorted(name for name, heads in scopes_per_file() if heads == {"CABM"})


def test_as_of_is_that_of_cabm_s_own_files(demo_db: Path):
    received = {path.name: day for path, day in truth.manifest()}
    own = max(day for name, day in received.items() if name.startswith("CABM_"))
    assert common.as_of(demo_db, CABM).data_as_of.isoformat() == own
    assert common.as_of(demo_db, MANAGER).data_as_of.isoformat() == max(received.values())
    assert own != max(received.values())  # so that the two lines above tell different things


def test_colours_of_cabm_are_the_direction_s(demo_db: Path):
    every = common.colours(demo_db, MANAGER)
    assert set(every) == HEADS
    assert common.colours(demo_db, CABM) == {"CABM": every["CABM"]}


def test_tiles_of_cabm_are_cabm_s_totals(demo_db: Path):
    totals = truth.year_totals()
    targets = truth.targets()
    for tile in overview.tiles(demo_db, CABM, YEAR):
        assert tile.total == totals[("CABM", tile.indicator)], tile.indicator
        assert tile.target == targets[("CABM", tile.indicator)]
        assert tile.heads == 1
    every = {t.indicator: t.total for t in overview.tiles(demo_db, MANAGER, YEAR)}
    assert every == {i: sum(v for (h, i2), v in totals.items() if i2 == i) for i in every}
    for tile in overview.tiles(demo_db, CABM, FEIAL_ONLY):
        assert (tile.total, tile.target, tile.heads) == (0, None, 0), tile.indicator


def test_completeness_and_alerts_of_cabm(demo_db: Path):
    # a CABM staff file with a support-function line: CABM has an alert of its own
    [outcome] = import_files(demo_db, [corrected_staff("CABM", 4, support=True)], date(2026, 1, 25), viewer=MANAGER)
    assert outcome.status == "accepted"

    grid = overview.completeness(demo_db, CABM, YEAR, TODAY)
    assert list(zip(grid["network_head"], grid["quarter"], strict=True)) == [("CABM", q) for q in (1, 2, 3, 4)]
    assert overview.completeness(demo_db, CABM, FEIAL_ONLY, TODAY).empty

    every = overview.alerts(demo_db, MANAGER, YEAR, TODAY)
    assert {a.network_head for a in every} - {"CABM"}  # others have alerts: the test below can fail
    own = overview.alerts(demo_db, CABM, YEAR, TODAY)
    assert own, "CABM has its ineligible line"
    assert {a.network_head for a in own} == {"CABM"}
    assert all(alert_sentence(a, YEAR).startswith("CABM : ") for a in own)
    assert own == [a for a in every if a.network_head == "CABM"]
    assert AlertKind.INELIGIBLE in {a.kind for a in own}
    assert overview.alerts(demo_db, CABM, FEIAL_ONLY, TODAY) == []


def test_budget_reads_of_cabm(demo_db: Path):
    expected = truth.budget()["CABM"]
    [mine] = budget.consumption(demo_db, CABM, YEAR, 4)
    assert (mine.network_head, mine.rate) == ("CABM", expected["taux_consommation"])
    assert budget.consumption(demo_db, CABM, FEIAL_ONLY, 4) == []
    assert len(budget.consumption(demo_db, MANAGER, YEAR, 4)) == len(HEADS)

    summary = budget.budget_summary(demo_db, CABM, YEAR, 4)
    assert list(summary["network_head"]) == ["CABM", budget.TOTAL_LABEL]
    assert list(summary["total_eligible_cost"]) == [expected["cout_total_eligible"]] * 2
    assert budget.budget_summary(demo_db, CABM, FEIAL_ONLY, 4).empty

    detail = budget.network_head_budget(demo_db, CABM, 2025, "CABM", 4, TODAY)
    assert not detail.withheld
    assert len(detail.lines) == sum(1 for line in truth.staff_lines() if line["head"] == "CABM")
    assert budget.network_head_budget(demo_db, CABM, 2025, "FEIAL", 4, TODAY) is None


def test_review_reads_of_cabm(demo_db: Path):
    act(demo_db, MANAGER, Scope("FEIAL", 2025, 1), ReviewAction.VALIDATE)
    act(demo_db, MANAGER, Scope("CABM", 2025, 1), ReviewAction.RETURN, "à revoir")
    add_comment(demo_db, MANAGER, Scope("FEIAL", 2025, 1), "FEIAL seulement")
    add_comment(demo_db, CABM, Scope("CABM", 2025, 1), "CABM seulement")

    states = review_states(demo_db, CABM, 2025)
    assert {s.scope.network_head for s in states} == {"CABM"}
    assert {s.scope.network_head for s in review_states(demo_db, MANAGER, 2025)} == HEADS
    assert review_states(demo_db, CABM, 2025, ("FEIAL",)) == []

    own = threads(demo_db, CABM, 2025)
    assert [(i.network_head, i.body) for i in own] == [("CABM", "à revoir"), ("CABM", "CABM seulement")]
    assert {i.network_head for i in threads(demo_db, MANAGER, 2025)} == {"CABM", "FEIAL"}
    assert threads(demo_db, CABM, 2025, ("FEIAL",)) == []


# --- the lecteur: figures, never a staff line ---


def test_a_reader_gets_no_staff_line_but_the_same_counts(demo_db: Path):
    for head in ("FEIAL", "CABM"):
        mine = budget.network_head_budget(demo_db, READER, 2025, head, 4, TODAY)
        every = budget.network_head_budget(demo_db, MANAGER, 2025, head, 4, TODAY)
        assert mine.withheld and not every.withheld
        assert mine.lines.empty and mine.rate_changes == []
        assert len(every.lines) == sum(1 for line in truth.staff_lines() if line["head"] == head)
        assert mine.ineligible == every.ineligible
        assert mine.employees_with_rate_changes == every.employees_with_rate_changes
        assert mine.summary == every.summary
    # what is counted is what the files say: FEIAL's refused lines by reason
    refused = Counter(
        line["reason"] for line in truth.staff_lines() if line["head"] == "FEIAL" and not line["eligible"]
    )
    mine = budget.network_head_budget(demo_db, READER, 2025, "FEIAL", 4, TODAY)
    assert {r.reason: r.lines for r in mine.ineligible} == dict(refused)
    assert refused  # FEIAL has refused lines in the demo: the comparison is not between two empty lists
    # a rate change is counted for a reader too, never shown
    assert budget.network_head_budget(demo_db, READER, 2025, "CABM", 4, TODAY).employees_with_rate_changes >= 1


def test_final_report_pack_per_role(demo_db: Path):
    def names(viewer: Viewer, head: str) -> list[str]:
        return [d.file_name for d in final_report_pack(demo_db, viewer, head, 2025, TODAY)]

    both = ["bilan_pedagogique_CABM_2025.docx", "bilan_execution_CABM_2025.xlsx"]
    assert names(READER, "CABM") == ["bilan_pedagogique_CABM_2025.docx"]
    assert names(MANAGER, "CABM") == both
    assert names(ANALYST, "CABM") == both
    assert names(CABM, "CABM") == both
    with pytest.raises(NoConventionError):
        final_report_pack(demo_db, CABM, "FEIAL", 2025, TODAY)


@pytest.mark.parametrize("name", list(DATASETS))
@pytest.mark.parametrize("viewer", [READER, CABM], ids=lambda v: v.role.value)
def test_exports_are_for_analysts_and_managers(demo_db: Path, viewer: Viewer, name: str):
    with pytest.raises(AccessDenied):
        build(demo_db, viewer, name, YEAR)


def test_exports_of_the_direction_cover_every_network_head(demo_db: Path):
    for viewer in (ANALYST, MANAGER):
        frame = build(demo_db, viewer, "budget", YEAR)
        assert set(frame["reseau"]) == HEADS
        assert dict(zip(frame["reseau"], frame["cout_total_eligible"], strict=True)) == {
            h: v["cout_total_eligible"] for h, v in truth.budget().items()
        }


def test_a_new_version_is_seen_by_its_network_head_only(demo_db: Path):
    """A read keyed by the viewer, not a filtered copy of the Direction's: CABM's correction shows for CABM."""
    [outcome] = import_files(demo_db, [corrected_indicators("CABM", 2, add=5)], date(2025, 9, 1), viewer=CABM)
    assert outcome.status == "accepted"
    totals = quarter_totals({"CABM"})
    first_indicator = truth._sheets(truth.DEMO / "CABM_2025_T2_indicateurs.csv")["indicateurs"][0]["indicateur"]
    totals[("CABM", 2, first_indicator)] += 5
    assert as_dict(common.by_quarter(demo_db, CABM, YEAR), ["network_head", "quarter", "indicator"]) == totals


# --- the restriction is in every SQL read ---

# SELECT files that read network-head data without $allowed, and why that is right. Each is read by the
# import path or by code that lets no network-head data reach a viewer.
UNRESTRICTED = {
    "conventions_known": "import: does a convention exist for the quarter being imported (any viewer's file)",
    "staff_rates_of_year": "import: rate changes of the network head of the file being imported",
    "network_head_codes": "colours: only the rank of each code leaves reports.common.colours",
    "lot_scopes": "bulk import: the scopes of the file being imported (rows registered from that file)",
    "lot_duplicates": "bulk import: repeated keys within the file being imported",
    "lot_latest_versions": "bulk import: the versions the file's scopes replace, whoever sends it",
    "lot_rate_lines": "bulk import: rate changes of the employees of the file being imported",
    "integrity_scopes": "iaedash check (operator CLI): every import's counts and sums against its kept file",
    "act_rows_review_events": "check / rebuild (operator CLI): acts committed but missing from the acts file",
    "act_rows_review_comments": "check / rebuild (operator CLI): acts committed but missing from the acts file",
    "act_rows_journal_events": "check / rebuild (operator CLI): acts committed but missing from the acts file",
}


def strip_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)


def unrestricted(sql: str) -> bool:
    """A SELECT query that reads network-head data and passes no `$allowed` to in_view or visible."""
    body = strip_comments(sql).strip().lower()
    if not re.match(r"(select|with)\b", body):
        return False
    reads_heads = "network_head" in body or re.search(r"\bnetwork_heads\b", body) is not None
    restricted = re.search(r"\b(in_view|visible)\s*\([^;]*?\$allowed\s*\)", body) is not None
    # indicator_values_of (marts.sql) applies in_view to its `allowed` argument: passing it $allowed restricts
    restricted = restricted or re.search(r"\bindicator_values_of\s*\([^;)]*\$allowed\b", body) is not None
    return reads_heads and not restricted


@pytest.mark.parametrize(
    ("sql", "flagged"),
    [
        ("select network_head, value from current_indicator_values where year = $year", True),
        ("with x as (select * from current_conventions) select network_head from x", True),
        ("select code, name from network_heads order by code", True),
        ("-- visible(network_head, $allowed)\nselect network_head from submissions", True),  # in a comment
        ("select network_head from submissions where $allowed is null", True),  # not through the macros
        ("select network_head from submissions where visible(network_head, $allowed)", False),
        ("select network_head from s where in_view(network_head, $network_heads, $allowed) and year = 1", False),
        ("select count(*) from imports", False),
        ("select network_head from indicator_values_of($as_of, $year, $network_heads, $allowed, $q, $o)", False),
        ("select network_head from indicator_values_of($as_of, $year, $network_heads, null, $q, $o)", True),
        ("insert into review_events select $network_head", False),
    ],
)
def test_the_checker_flags_an_unrestricted_read(sql: str, flagged: bool):
    assert unrestricted(sql) is flagged


def test_every_sql_read_of_network_head_data_is_restricted():
    files = {p.stem: p.read_text(encoding="utf-8") for p in SQL.glob("*.sql")}
    # the one filter macro the reads may use instead of in_view applies it to its `allowed` argument
    macro = strip_comments(files["marts"]).lower()
    assert re.search(r"macro indicator_values_of\([^)]*\ballowed\b[^;]*in_view\(network_head, chosen, allowed\)", macro)
    assert len(files) > 40
    flagged = {name for name, sql in files.items() if unrestricted(sql)}
    assert flagged == set(UNRESTRICTED), f"without $allowed: {sorted(flagged - set(UNRESTRICTED))}"
    # the allow-list holds SELECT files only, each reading network-head data (none kept after it stops)
    for name in UNRESTRICTED:
        assert name in files
