"""The generated databases of `iaedash demo --echelle N --annees A` (the benchmark's data): they build through
the real import path, twice the same, with figures as plausible as the demo's."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from db_dump import dump, files_under

from iaedash import cli, scale
from iaedash.calls import parse_call
from iaedash.domain.calls import submission_due_date
from iaedash.store import data_status

SIZE = scale.Scale(network_heads=3, years=2)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> scale.Built:
    return scale.build(tmp_path_factory.mktemp("echelle") / "iaedash.duckdb", SIZE)


def rows(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_every_file_is_accepted_and_the_database_is_marked_as_demo_data(built: scale.Built):
    assert built.refused == [], [str(p) for o in built.refused for p in o.problems]
    assert data_status(built.db).demo
    heads = rows(built.db, "select code, name from network_heads order by code")
    assert [code for code, _ in heads] == ["R0001", "R0002", "R0003"]
    assert all(name.endswith(("(fictif)", "(fictive)")) for _, name in heads)


def test_the_past_years_have_their_call_beside_the_database(built: scale.Built):
    assert sorted(p.name for p in built.calls_dir.iterdir()) == ["2024.toml", "2025.toml"]
    call = parse_call(built.calls_dir / "2024.toml")
    assert (call.year, call.operation_start.year, call.final_report_due.year) == (2024, 2024, 2025)
    assert call.flat_rate == parse_call(built.calls_dir / "2025.toml").flat_rate


def test_the_same_size_builds_the_same_database(built: scale.Built, tmp_path: Path):
    again = scale.build(tmp_path / "iaedash.duckdb", SIZE)
    assert dump(again.db) == dump(built.db)
    assert files_under(tmp_path / "depots") == files_under(built.db.parent / "depots")


def test_every_convention_has_its_four_quarters_of_indicators_and_staff(built: scale.Built):
    quarters = rows(
        built.db,
        """select c.network_head, c.year, s.kind, count(distinct s.quarter)
           from current_conventions c join current_submissions s using (network_head, year)
           where s.kind <> 'conventions' group by all""",
    )
    assert len(quarters) == 3 * 2 * 2
    assert {count for *_, count in quarters} == {4}
    assert rows(built.db, "select distinct year from current_conventions order by 1") == [(2024,), (2025,)]


def test_the_figures_are_plausible(built: scale.Built):
    [(negative, values, orientations, territories, commented)] = rows(
        built.db,
        """select count(*) filter (value < 0), count(*), count(distinct orientation), count(distinct territory),
                  count(*) filter (comment <> '')
           from current_indicator_values""",
    )
    assert negative == 0 and values >= 3 * 2 * 4 * 24
    assert orientations == 4 and territories > 1 and commented > 0
    [(eligible, ineligible, rates, costs)] = rows(
        built.db,
        """select count(*) filter (eligible), count(*) filter (not eligible), count(distinct assignment_rate),
                  count(*) filter (monthly_cost_eur <= 0)
           from current_staff_lines""",
    )
    assert eligible > ineligible > 0 and rates > 3 and costs == 0
    [(targets,)] = rows(built.db, "select count(*) filter (target > 0) from current_targets")
    [(planned,)] = rows(built.db, "select min(planned_staff_cost_eur) from current_conventions")
    assert targets > 0 and planned > 10_000


def test_at_scale_some_quarters_are_late_and_some_are_corrected():
    """Generation only (no import): the situations the pages must show do occur at the benchmark's size."""
    size = scale.Scale(network_heads=40, years=1)
    files = scale.year_files(size, 2025)
    call = parse_call(scale.PROJECT_ROOT / "data" / "appels" / "2025.toml")
    late = [
        f
        for f in files
        if "_T" in f.incoming.name and f.received > submission_due_date(call, int(f.incoming.name.split("_T")[1][0]))
    ]
    assert late and any("_corrige" in f.incoming.name for f in files)
    assert files == scale.year_files(size, 2025)


def test_the_command_refuses_to_mix_generated_data_with_a_database(tmp_path: Path, capsys: pytest.CaptureFixture):
    existing = tmp_path / "iaedash.duckdb"
    existing.write_bytes(b"")
    assert cli.main(["demo", "--echelle", "2", "--db", str(existing)]) == 1
    assert "existe déjà" in capsys.readouterr().err
    assert cli.main(["demo", "--annees", "2", "--db", str(scale.PROJECT_ROOT / "data" / "autre.duckdb")]) == 1
    assert "dossier des vrais appels" in capsys.readouterr().err


def test_built_in_bulk_the_database_holds_the_same_figures(built: scale.Built, tmp_path: Path):
    """Large sizes are imported in bulk files (`import --lot`): the same values, only grouped on fewer days."""
    bulk = scale.build(tmp_path / "iaedash.duckdb", SIZE, bulk=True)
    assert bulk.refused == [], [str(p) for o in bulk.refused for p in o.problems]
    assert {o.file_name for o in bulk.outcomes if o.file_name.startswith("lot_")}
    values = """select network_head, year, quarter, orientation, indicator, territory, value, comment
                from current_indicator_values order by all"""
    staff = """select network_head, year, month, employee, job_title, support_function, monthly_cost_eur,
                      assignment_rate, amount_eur, eligible, ineligibility_reason
               from current_staff_lines order by all"""
    # indicators only: a corrected workbook sends its staff sheet again (version 2, same lines), a bulk file does not
    versions = """select network_head, year, quarter, version from current_submissions
                  where kind = 'indicateurs' order by all"""
    for sql in (values, staff, versions):
        assert rows(bulk.db, sql) == rows(built.db, sql)
    assert rows(bulk.db, "select * exclude (submission_id) from current_conventions order by all") == rows(
        built.db, "select * exclude (submission_id) from current_conventions order by all"
    )
