"""The call's rules as pure functions: money to the cent, the 30 % boundary, the flat rate, dates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest
from helpers_ingest import CALL_2025

from iaedash.domain.calls import is_late, quarter_end, quarter_months, quarter_of_month, submission_due_date
from iaedash.domain.money import percent, round_cents
from iaedash.domain.staff import (
    assess_staff_line,
    find_rate_changes,
    flat_rate_amount,
    line_amount,
    planned_total_cost,
    summarise_costs,
)

CALL = CALL_2025


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (D("0.005"), D("0.01")),  # half-up, not banker's rounding
        (D("0.015"), D("0.02")),
        (D("0.025"), D("0.03")),  # banker's rounding would give 0.02
        (D("2.675"), D("2.68")),  # the float 2.675 rounds to 2.67: we never use floats
        (D("1.004999"), D("1.00")),
        (D("10"), D("10.00")),
    ],
)
def test_round_cents_is_half_up(amount, expected):
    assert round_cents(amount) == expected


@pytest.mark.parametrize(
    ("cost", "rate", "expected"),
    [
        (D("3850.00"), D("100"), D("3850.00")),
        (D("4120.50"), D("60"), D("2472.30")),
        (D("3333.33"), D("50"), D("1666.67")),  # 1666.665 rounds half-up
        (D("1000.01"), D("50.5"), D("505.01")),  # 505.00505
        (D("0.00"), D("100"), D("0.00")),
    ],
)
def test_line_amount_rounds_each_line_to_the_cent(cost, rate, expected):
    assert line_amount(cost, rate) == expected


@pytest.mark.parametrize(
    ("rate", "support", "eligible", "reason"),
    [
        (D("100"), False, True, None),
        (D("30"), False, True, None),  # exactly 30 % is eligible
        (D("29.99"), False, False, "taux d'affectation inférieur à 30 %"),
        (D("100"), True, False, "fonction support"),
        (D("20"), True, False, "fonction support ; taux d'affectation inférieur à 30 %"),
    ],
)
def test_assess_staff_line_applies_support_and_minimum_rate(rate, support, eligible, reason):
    assessed = assess_staff_line(CALL, D("3000.00"), rate, support)
    assert (assessed.eligible, assessed.reason) == (eligible, reason)
    assert assessed.amount == round_cents(D("3000.00") * rate / 100)  # kept with its amount, never dropped


def test_worked_example_of_the_domain_brief():
    """52 000 × 100 % + 46 000 × 50 % + 58 000 × 30 % = 92 400; flat rate 36 960; total 129 360."""
    lines = [(D("52000"), D("100")), (D("46000"), D("50")), (D("58000"), D("30"))]
    eligible = sum(
        (
            assess_staff_line(CALL, c, r, False).amount
            for c, r in lines
            if assess_staff_line(CALL, c, r, False).eligible
        ),
        D("0"),
    )
    summary = summarise_costs(CALL, eligible, eligible)
    assert (summary.eligible_staff_costs, summary.flat_rate, summary.total_eligible_cost) == (
        D("92400.00"),
        D("36960.00"),
        D("129360.00"),
    )


def test_flat_rate_is_rounded_once_on_the_sum_not_per_line():
    lines = [D("0.01")] * 3  # 40 % of each line is 0.004 → 0.00 per line, but 40 % of 0.03 is 0.012 → 0.01
    assert sum(flat_rate_amount(CALL, x) for x in lines) == D("0.00")
    assert flat_rate_amount(CALL, sum(lines)) == D("0.01")


def test_summary_without_any_staff_line_is_zero():
    summary = summarise_costs(CALL, None, None)
    assert summary.declared_staff_costs == summary.total_eligible_cost == D("0")


def test_flat_rate_comes_from_the_call():
    other = replace(CALL, flat_rate=D("0.15"))
    assert flat_rate_amount(other, D("1000")) == D("150.00")
    assert planned_total_cost(other, D("1000")) == D("1150.00")
    assert planned_total_cost(CALL, D("100000.01")) == D("140000.01")  # 140000.014 half-up


@pytest.mark.parametrize(
    ("part", "whole", "expected"), [(D("1"), D("3"), D("33.33")), (D("2"), D("3"), D("66.67")), (D("5"), D("0"), None)]
)
def test_percent(part, whole, expected):
    assert percent(part, whole) == expected


def test_rate_changes_are_flagged_with_the_months_they_change():
    lines = [("S01", m, D("100")) for m in range(1, 13)]
    lines += [("S02", m, D("50") if m <= 6 else D("70")) for m in range(1, 13)]
    lines += [("S03", 1, D("40")), ("S03", 2, D("40.0"))]  # same rate written differently: no flag
    [change] = find_rate_changes(lines)
    assert change.employee == "S02"
    assert change.months == (7,)
    assert change.rates == (D("50"), D("70"))


@pytest.mark.parametrize(("month", "quarter"), [(1, 1), (3, 1), (4, 2), (9, 3), (10, 4), (12, 4)])
def test_quarter_of_month(month, quarter):
    assert quarter_of_month(month) == quarter
    assert month in quarter_months(quarter)


@pytest.mark.parametrize(
    ("quarter", "end", "due"),
    [
        (1, date(2025, 3, 31), date(2025, 4, 30)),
        (2, date(2025, 6, 30), date(2025, 7, 30)),
        (3, date(2025, 9, 30), date(2025, 10, 30)),
        (4, date(2025, 12, 31), date(2026, 1, 30)),
    ],
)
def test_due_dates_are_thirty_days_after_the_quarter(quarter, end, due):
    assert quarter_end(2025, quarter) == end
    assert submission_due_date(CALL, quarter) == due
    assert not is_late(CALL, quarter, due)  # the due day itself is on time
    assert is_late(CALL, quarter, date.fromordinal(due.toordinal() + 1))
