"""The demo data: deterministic, credible, and with the situations the pages must show."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from demo_truth import DEMO, FIRST_YEAR, IN_PROGRESS, budget, current_sheets, manifest, staff_lines, totals
from openpyxl import load_workbook

from iaedash.calls import call_for_year
from iaedash.demo import NETWORK_HEADS, generate

HEADS = {h.code for h in NETWORK_HEADS}


def cells(data: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(data))
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


def test_generation_is_deterministic_and_matches_the_committed_files(tmp_path: Path):
    generate(tmp_path)
    for path in sorted(tmp_path.glob("*.csv")):
        assert path.read_bytes() == (DEMO / path.name).read_bytes(), path.name
    # the 2026 workbooks are written with fixed zip dates: byte for byte too
    for path in sorted(tmp_path.glob(f"*_{IN_PROGRESS}_*.xlsx")):
        assert path.read_bytes() == (DEMO / path.name).read_bytes(), path.name
    # the 2025 workbooks were committed as first written (openpyxl dates its zip entries when it saves):
    # the same sheets and cells
    for path in sorted(tmp_path.glob(f"*_{FIRST_YEAR}_*.xlsx")):
        assert cells(path.read_bytes()) == cells((DEMO / path.name).read_bytes()), path.name
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in DEMO.iterdir())


def test_six_fictitious_network_heads_with_credible_budgets():
    assert len(NETWORK_HEADS) == 6
    assert all("fictif" in h.name or "fictive" in h.name for h in NETWORK_HEADS)
    for year in (FIRST_YEAR, IN_PROGRESS):
        assert set(budget(year)) == HEADS
        for head, figures in budget(year).items():
            planned_staff = figures["cout_total_prevu"] / 14 * 10
            assert 60_000 <= planned_staff <= 250_000, (head, year)
            employees = {line["employee"] for line in staff_lines(year) if line["head"] == head}
            assert 2 <= len(employees) <= 6, (head, year)


def test_one_network_head_sent_its_fourth_quarter_late():
    late = [(p.name, received) for p, received in manifest() if "_2025_T4" in p.name and received > "2026-01-30"]
    assert [name.split("_")[0] for name, _ in late] == ["CETTI"]


def test_files_are_listed_in_the_order_they_were_received():
    days = [received for _, received in manifest()]
    assert days == sorted(days)
    assert all(path.exists() for path, _ in manifest())


def sent_2026() -> dict[tuple[str, int], str]:
    """(network head, quarter) → day received of its 2026 indicators, from the manifest and the files' rows."""
    out = {}
    for path, received in manifest():
        if "conventions" in path.name:
            continue
        head, year, quarter = path.stem.split("_")[:3]
        if int(year) == IN_PROGRESS:
            out[(head, int(quarter.lstrip("T")))] = received
    return out


def test_2026_is_in_progress_three_quarters_one_late_one_missing():
    call = call_for_year(IN_PROGRESS)
    sent = sent_2026()
    expected = {(h, q) for h in HEADS for q in (1, 2, 3)} - {("CABM", 3)}
    assert set(sent) == expected  # no T4 at all: it is not due before 30/01/2027
    due = {1: date(2026, 4, 30), 2: date(2026, 7, 30), 3: date(2026, 10, 30)}  # each quarter's end + 30 days
    assert call.submission_delay_days == 30
    late = {key for key, day in sent.items() if date.fromisoformat(day) > due[key[1]]}
    assert late == {("ISARR", 2)}
    # CABM's T3 was due on 30/10/2026: missing on the day the tests pin (24/11) and on the demo's (02/12)
    assert due[3] < date(2026, 11, 24) < date(2026, 12, 2)
    assert ("CABM", 3) not in sent and {("CABM", 1), ("CABM", 2)} <= set(sent)


def test_the_2026_call_is_the_2025_call_a_year_later_as_a_working_hypothesis():
    before, now = call_for_year(FIRST_YEAR), call_for_year(IN_PROGRESS)
    assert before.working_hypothesis is None
    assert now.working_hypothesis == "paramètres provisoires repris de 2025"
    assert (now.operation_start, now.operation_end, now.final_report_due) == (
        date(2026, 1, 1),
        date(2026, 12, 31),
        date(2027, 3, 31),
    )
    same = ("flat_rate", "min_assignment_rate", "submission_delay_days", "advance_rate")
    assert [getattr(now, f) for f in same] == [getattr(before, f) for f in same]
    conventions = [rows[0] for (kind, _h, _q), rows in current_sheets(IN_PROGRESS).items() if kind == "conventions"]
    assert {c["date_debut"] for c in conventions} == {"01/01/2026"}
    assert {c["date_fin"] for c in conventions} == {"31/12/2026"}
    assert {c["date_avance"] for c in conventions} == {"16/03/2026"}


def test_2026_against_2025_some_rise_some_fall_and_one_orientation_without_activity():
    def by_head(year: int) -> dict[str, int]:
        out: dict[str, int] = {}
        for (head, _q, _o, indicator), value in totals(quarters={1, 2, 3}, year=year).items():
            if indicator != "WEBI":  # counted in people: never added to the others
                out[head] = out.get(head, 0) + value
        return out

    before, now = by_head(FIRST_YEAR), by_head(IN_PROGRESS)
    assert any(now[h] > before[h] for h in HEADS) and any(now[h] < before[h] for h in HEADS)
    for head in HEADS:  # credible: no network head doubles nor halves its activity
        assert 0.5 <= now[head] / before[head] <= 1.6, head
    urqll_div = [v for (h, _q, o, _i), v in totals({"URQLL"}, year=IN_PROGRESS).items() if o == "DIV"]
    assert len(urqll_div) == 18 and set(urqll_div) == {0}  # sent, at 0: six indicators × three quarters
    assert any(v for (_h, _q, o, _i), v in totals({"URQLL"}, year=FIRST_YEAR).items() if o == "DIV")


def test_2026_staff_changes_one_hire_and_one_rate_change():
    def employees(year: int, head: str) -> set[str]:
        return {line["employee"] for line in staff_lines(year) if line["head"] == head}

    assert employees(IN_PROGRESS, "CHOPAL") - employees(FIRST_YEAR, "CHOPAL") == {"S05"}
    hired = sorted(
        line["month"] for line in staff_lines(IN_PROGRESS) if (line["head"], line["employee"]) == ("CHOPAL", "S05")
    )
    assert hired == list(range(4, 10))  # from April, through T3
    rates = {
        line["month"]: line["rate"]
        for line in staff_lines(IN_PROGRESS)
        if (line["head"], line["employee"]) == ("FEIAL", "S05")
    }
    assert {rates[m] for m in range(1, 7)} == {25} and {rates[m] for m in range(7, 10)} == {40}
    assert {
        line["eligible"] for line in staff_lines(FIRST_YEAR) if (line["head"], line["employee"]) == ("FEIAL", "S05")
    } == {False}
    for head in HEADS:  # every other head keeps its staff
        if head != "CHOPAL":
            assert employees(IN_PROGRESS, head) == employees(FIRST_YEAR, head), head
