"""The marts on the demo database: exactly the columns described in iaedash.db.marts, and a grain that is
unique and never null (as jaffle_shop tests its models); plus two cross-checks against the demo files."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from demo_truth import staff_lines

from iaedash.db.marts import MARTS


@pytest.fixture(scope="module")
def con(demo_db_template: Path):
    connection = duckdb.connect(str(demo_db_template), read_only=True)
    yield connection
    connection.close()


@pytest.mark.parametrize("mart", MARTS, ids=lambda m: m.name)
def test_each_mart_has_the_columns_it_is_described_with(con, mart):
    columns = [r[0] for r in con.execute(f"describe select * from {mart.name}(null)").fetchall()]
    assert columns == list(mart.columns)
    assert set(mart.grain) <= set(mart.columns)


@pytest.mark.parametrize("mart", MARTS, ids=lambda m: m.name)
def test_each_mart_s_grain_is_unique_and_never_null(con, mart):
    keys = ", ".join(mart.grain)
    rows = con.execute(f"select count(*) from {mart.name}(null)").fetchone()[0]
    distinct = con.execute(f"select count(*) from (select distinct {keys} from {mart.name}(null))").fetchone()[0]
    nulls = con.execute(
        f"select count(*) from {mart.name}(null) where " + " or ".join(f"{c} is null" for c in mart.grain)
    ).fetchone()[0]
    assert rows > 0 and rows == distinct and nulls == 0


def test_the_grain_check_can_fail(con):
    """The same check on a query whose grain is wrong (staff lines by month, several employees a month)."""
    rows, distinct = con.execute(
        "select count(*), count(distinct (network_head, year, month)) from current_staff_lines"
    ).fetchone()
    assert rows > distinct


def test_monthly_staff_costs_add_up_to_the_lines_of_the_files(con):
    expected: dict[tuple[str, int, int], int] = {}
    for year in (2025, 2026):
        for line in staff_lines(year):
            key = (line["head"], year, line["month"])
            expected[key] = expected.get(key, 0) + 1
    query = "select network_head, year, month, lines from mart_monthly_staff_costs(null)"
    got = {(h, y, m): n for h, y, m, n in con.execute(query).fetchall()}
    assert got == expected


def test_the_calendar_has_four_quarters_per_convention(con):
    conventions = con.execute("select count(*) from mart_conventions(null)").fetchone()[0]
    assert con.execute("select count(*) from mart_submission_calendar(null)").fetchone()[0] == 4 * conventions
