"""Time travel: the figures, statuses and review states exactly as they stood on a day (`Filters.as_of`, the
« Données au » picker, `--au`). « As they stood that day » means what had been received up to that day
included; review acts and comments count from the day they happened.

Expectations are computed here from data/demo/manifest.csv and the demo files (tests/demo_truth.py reads
them), cut at the day — never read back from the query under test."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import demo_truth as truth
import pytest
from page_runner import TODAY, open_page, show_tab
from viewers import CABM, MANAGER

from iaedash.domain.review import ReviewAction, ReviewStatus
from iaedash.exports import build, file_name
from iaedash.filters import Filters
from iaedash.reports import budget, common, overview
from iaedash.review import Scope, act, review_states, threads

YEAR = 2025
BEFORE_CORRECTION = date(2025, 8, 1)  # FEIAL's T2 first version came on 2025-07-12, its correction on 2025-09-08
CORRECTED = "FEIAL_2025_T2_indicateurs_corrige.csv"


def received_by(day: date | None) -> list[Path]:
    """The demo files of 2025 received up to `day` included, in the order they came (all when None)."""
    return [
        path
        for path, received in truth.manifest()
        if (day is None or date.fromisoformat(received) <= day) and f"_{YEAR}" in path.name
    ]


def indicator_totals(day: date | None) -> dict[tuple[str, int, str], int]:
    """(network head, quarter, indicator) → value of the version current on `day`: the last file received."""
    current: dict[tuple[str, int], list[dict[str, str]]] = {}
    for path in received_by(day):
        for kind, rows in truth._sheets(path).items():
            if kind == "indicateurs":
                current[(rows[0]["reseau"], int(rows[0]["trimestre"].lstrip("T")))] = rows
    out: dict[tuple[str, int, str], int] = defaultdict(int)
    for (head, quarter), rows in current.items():
        for row in rows:
            out[(head, quarter, row["indicateur"])] += int(float(row["valeur"]))
    return dict(out)


def first_received(head: str, quarter: int) -> date:
    """When a quarter's indicators first came in (the files name it: HEAD_2025_TN…)."""
    return min(
        date.fromisoformat(received)
        for path, received in truth.manifest()
        if path.name.startswith(f"{head}_{YEAR}_T{quarter}") and "personnel" not in path.name
    )


def sums(db: Path, day: date | None, viewer=MANAGER) -> dict[tuple[str, int, str], int]:
    frame = common.indicator_sums(db, viewer, Filters(YEAR, as_of=day)).by_quarter
    return {(r.network_head, int(r.quarter), r.indicator): int(r.value) for r in frame.itertuples()}


def test_the_day_before_the_correction_shows_the_first_version(demo_db_template: Path):
    before, now = indicator_totals(BEFORE_CORRECTION), indicator_totals(None)
    assert before[("FEIAL", 2, "WEBI")] != now[("FEIAL", 2, "WEBI")]  # the demo's correction changes the webinars
    assert sums(demo_db_template, BEFORE_CORRECTION) == before
    assert sums(demo_db_template, None) == now
    history = common.submission_history(demo_db_template, MANAGER, Filters(YEAR, ("FEIAL",), as_of=BEFORE_CORRECTION))
    t2 = history[(history["kind"] == "indicateurs") & (history["quarter"] == 2)]
    assert list(t2["version"]) == [1] and bool(t2["is_current"].iloc[0])


@pytest.mark.parametrize("day", [date(2025, 4, 15), date(2025, 9, 7), date(2025, 9, 8), date(2026, 1, 21)])
def test_each_day_counts_what_was_received_up_to_it_included(demo_db_template: Path, day: date):
    assert sums(demo_db_template, day) == indicator_totals(day)


def test_before_the_conventions_there_is_no_year(demo_db_template: Path):
    conventions_came = min(date.fromisoformat(r) for p, r in truth.manifest() if p.name.startswith("conventions"))
    assert common.years(demo_db_template, MANAGER, conventions_came - timedelta(days=1)) == []
    assert common.network_heads(demo_db_template, MANAGER, conventions_came - timedelta(days=1)).empty
    assert YEAR in common.years(demo_db_template, MANAGER, conventions_came)


def test_the_as_of_line_gives_the_last_file_received_by_the_day(demo_db_template: Path):
    line = common.as_of(demo_db_template, MANAGER, BEFORE_CORRECTION)
    came = [date.fromisoformat(r) for p, r in truth.manifest() if p in received_by(BEFORE_CORRECTION)]
    assert line.data_as_of == max(came)
    own = common.as_of(demo_db_template, CABM, BEFORE_CORRECTION).data_as_of
    assert own == max(first_received("CABM", q) for q in (1, 2))  # CABM's T2 came on its own day


def expected_status(head: str, quarter: int, day: date) -> str:
    """The call's rule, written out: due 30 days after the quarter's end."""
    ends = {1: date(YEAR, 3, 31), 2: date(YEAR, 6, 30), 3: date(YEAR, 9, 30), 4: date(YEAR, 12, 31)}
    due = ends[quarter] + timedelta(days=30)
    came = first_received(head, quarter)
    if came <= day:
        return "reçu à temps" if came <= due else "reçu en retard"
    return "manquant" if day > due else "pas encore dû"


@pytest.mark.parametrize("day", [BEFORE_CORRECTION, date(2026, 2, 5), date(2026, 2, 25)])
def test_completeness_statuses_are_those_of_the_day(demo_db_template: Path, day: date):
    grid = overview.completeness(demo_db_template, MANAGER, Filters(YEAR, as_of=day), day)
    got = {(r.network_head, int(r.quarter)): r.status for r in grid.itertuples()}
    expected = {(h, q): expected_status(h, q, day) for h, q in got}
    assert len(got) == 24 and got == expected
    if day == date(2026, 2, 5):  # CETTI's T4 came late (2026-02-20): that day it was missing
        assert got[("CETTI", 4)] == "manquant"


def test_review_states_and_threads_stand_as_they_did(demo_db: Path):
    scope = Scope("CABM", YEAR, 1)
    act(demo_db, MANAGER, scope, ReviewAction.VALIDATE, None)  # happens today
    yesterday = date.today() - timedelta(days=1)
    [then] = [s for s in review_states(demo_db, MANAGER, YEAR, ("CABM",), yesterday) if s.scope == scope]
    [now] = [s for s in review_states(demo_db, MANAGER, YEAR, ("CABM",)) if s.scope == scope]
    assert (then.status, now.status) == (ReviewStatus.RECEIVED, ReviewStatus.VALIDATED)
    assert threads(demo_db, MANAGER, YEAR, ("CABM",), yesterday) == []
    assert [i.kind for i in threads(demo_db, MANAGER, YEAR, ("CABM",))] == ["valider"]
    # before its first version came, the quarter had received nothing: it is not listed (« attendu »)
    early = first_received("CABM", 1) - timedelta(days=1)
    assert all(s.scope != scope for s in review_states(demo_db, MANAGER, YEAR, ("CABM",), early))


def test_budget_counts_the_staff_costs_received_by_the_day(demo_db_template: Path):
    """On 2025-08-01 every network head had sent T1 and T2: consumption through T2 is what the files say then,
    and T3's costs, received in October, are not there yet."""
    through_t2 = truth.budget_through(2)
    for c in budget.consumption(demo_db_template, MANAGER, Filters(YEAR, as_of=BEFORE_CORRECTION), 2):
        assert c.costs.eligible_staff_costs == through_t2[c.network_head]["eligible"]
    summary = budget.budget_summary(demo_db_template, MANAGER, Filters(YEAR, as_of=BEFORE_CORRECTION), 3)
    heads = summary[summary["network_head"] != budget.TOTAL_LABEL].set_index("network_head")
    for head in heads.index:
        assert heads.loc[head, "eligible_staff_costs"] == through_t2[head]["eligible"]


def test_an_export_says_its_day_and_holds_that_day_s_versions(demo_db_template: Path):
    chosen = Filters(YEAR, ("FEIAL",), quarters=(2,), as_of=BEFORE_CORRECTION)
    frame = build(demo_db_template, MANAGER, "indicateurs", chosen)
    webinars = int(frame.loc[frame["indicateur"] == "WEBI", "valeur"].sum())
    assert webinars == indicator_totals(BEFORE_CORRECTION)[("FEIAL", 2, "WEBI")]
    assert file_name("indicateurs", chosen, "csv") == "iae_indicateurs_2025_T2_FEIAL_au-2025-08-01.csv"
    imports = build(demo_db_template, MANAGER, "imports", Filters(YEAR, as_of=BEFORE_CORRECTION))
    assert CORRECTED not in set(imports["fichier"])
    assert sorted(imports["fichier"]) == sorted(p.name for p in received_by(BEFORE_CORRECTION))


def test_the_cli_exports_and_writes_the_final_report_as_of_a_day(demo_db_template: Path, tmp_path: Path):
    out = tmp_path / "feial.csv"
    run = subprocess.run(
        [sys.executable, "-m", "iaedash", "export", "indicateurs", "--db", str(demo_db_template), "--annee", "2025",
         "--reseau", "FEIAL", "--trimestre", "2", "--au", BEFORE_CORRECTION.isoformat(), "--out", str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig")), delimiter=";"))
    assert sum(int(r["valeur"]) for r in rows if r["indicateur"] == "WEBI") == indicator_totals(BEFORE_CORRECTION)[
        ("FEIAL", 2, "WEBI")
    ]
    future = (date.today() + timedelta(days=2)).isoformat()
    refused = subprocess.run(
        [sys.executable, "-m", "iaedash", "export", "indicateurs", "--db", str(demo_db_template), "--au", future],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert refused.returncode == 2 and "dans le futur" in refused.stderr
    folder = tmp_path / "bilan"
    run = subprocess.run(
        [sys.executable, "-m", "iaedash", "bilan", "--db", str(demo_db_template), "--reseau", "FEIAL",
         "--annee", "2025", "--au", "2025-05-01", "--dossier", str(folder)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    from openpyxl import load_workbook

    book = load_workbook(folder / "bilan_execution_FEIAL_2025.xlsx")
    text = "\n".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value)
    assert "Chiffres au 01/05/2025" in text  # the workbook is dated by the day it shows
    from docx import Document

    draft = "\n".join(p.text for p in Document(folder / "bilan_pedagogique_FEIAL_2025.docx").paragraphs)
    assert "reçus jusqu'au 01/05/2025 inclus" in draft


# --- the pages ---


@pytest.fixture
def demo(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("IAEDASH_DB", str(demo_db))
    monkeypatch.setenv("IAEDASH_TODAY", TODAY)
    return demo_db


def test_the_url_s_day_reaches_every_reading_and_the_as_of_line(demo):
    app = open_page("pages/fiche_reseau.py", au=BEFORE_CORRECTION.isoformat(), annee="2025", fiche="FEIAL")
    assert app.session_state["au"] == BEFORE_CORRECTION
    assert any("État au 01/08/2025" in c.value for c in app.caption)
    assert any("Tableau de bord au 01/08/2025" in i.value for i in app.info)
    app = show_tab(app, "fiche_sujet", "Indicateurs")
    table = app.dataframe[0].value
    webinars = table.loc[table.iloc[:, 0].astype(str).str.contains("Webinaires|WEBI|Participants", regex=True)]
    assert not webinars.empty
    assert str(indicator_totals(BEFORE_CORRECTION)[("FEIAL", 2, "WEBI")]) in webinars.to_string()


def test_today_is_the_default_and_says_no_day(demo):
    app = open_page()
    assert app.session_state["au"] == date.fromisoformat(TODAY)
    assert not any("État au" in c.value for c in app.caption)


def test_in_the_past_the_review_page_shows_the_states_and_offers_no_act(demo):
    app = open_page("pages/revue.py", au=BEFORE_CORRECTION.isoformat())
    assert any("Vous consultez l'état de la revue au 01/08/2025" in i.value for i in app.info)
    assert not [b for b in app.button if b.label in ("Valider", "Renvoyer pour correction")]


PAGES = ["accueil", "indicateurs", "orientations", "territoires", "budget", "budget_reseau", "depots", "exports",
         "bilan_final", "journal"]  # fmt: skip


@pytest.mark.parametrize("page", [f"pages/{name}.py" for name in PAGES])
def test_every_page_runs_on_a_day_of_the_past(demo, page: str):
    app = open_page(page, au=BEFORE_CORRECTION.isoformat())
    assert any("État au 01/08/2025" in c.value for c in app.caption)


def test_the_home_grid_gives_the_statuses_of_the_day(demo):
    app = open_page(au="2026-02-05")
    app = show_tab(app, "accueil_sujet", "Complétude des dépôts")
    grid = app.dataframe[0].value.set_index("Réseau")
    assert grid.loc["CETTI"].astype(str).str.contains("manquant").any()
    app = open_page()
    app = show_tab(app, "accueil_sujet", "Complétude des dépôts")
    grid = app.dataframe[0].value.set_index("Réseau")
    assert not grid.loc["CETTI"].astype(str).str.contains("manquant").any()


def test_in_the_past_reminders_wait_for_today(demo):
    app = open_page(au=BEFORE_CORRECTION.isoformat())
    app = show_tab(app, "accueil_sujet", "Relances")
    assert any("Les relances se préparent sur l'état du jour" in i.value for i in app.info)
    assert not [b for b in app.button if b.label == "Marquer la relance comme envoyée"]
