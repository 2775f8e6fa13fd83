"""Budget rules as pure functions: participation, balance, projection, consumption, deadline."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest
from helpers_ingest import CALL_2025

from iaedash.domain.budget import (
    BalanceKind,
    FinancingPlan,
    MonthCosts,
    consumption_gap,
    consumption_rate,
    department_participation,
    estimated_balance,
    expected_advance,
    final_report_deadline,
    monthly_flat_rates,
    operation_months,
    realised_resources,
    summarise_budget,
    year_end_projection,
)
from iaedash.domain.staff import assess_staff_line

CALL = CALL_2025

# The worked example of the domain brief: 92 400 € of staff × 1.40 = 129 360 € = FSE+ 60 % + Département 30 %
# + autofinancement 10 %; advance 50 % of the Département's 38 808 €.
PLAN = FinancingPlan(
    planned_staff_cost=D("92400.00"),
    planned_total_cost=D("129360.00"),
    esf_amount=D("77616.00"),
    department_amount=D("38808.00"),
    self_financing=D("12936.00"),
    advance_paid=D("19404.00"),
)


def months(amounts: dict[int, str], declared: dict[int, str] | None = None) -> dict[int, MonthCosts]:
    declared = declared or {}
    return {m: MonthCosts(D(declared.get(m, a)), D(a)) for m, a in amounts.items()}


# --- participation of the Département ---


@pytest.mark.parametrize(
    ("total", "department", "planned", "amount", "uncapped", "capped"),
    [
        (D("129360.00"), D("38808.00"), D("129360.00"), D("38808.00"), D("38808.00"), False),  # exactly the plan
        (D("64680.00"), D("38808.00"), D("129360.00"), D("19404.00"), D("19404.00"), False),  # half the plan
        (D("0.00"), D("38808.00"), D("129360.00"), D("0.00"), D("0.00"), False),  # no staff line yet
        (D("150000.00"), D("38808.00"), D("129360.00"), D("38808.00"), D("45000.00"), True),  # cap reached
        (D("129360.01"), D("38808.00"), D("129360.00"), D("38808.00"), D("38808.00"), False),  # a cent over: 0.003
        (D("163334.64"), D("48006.00"), D("160020.00"), D("48006.00"), D("49000.39"), True),  # demo CHOPAL
        (D("85680.00"), D("39858.00"), D("132860.00"), D("25704.00"), D("25704.00"), False),  # demo URQLL
        # share 1/3 is not rounded first: 100.01 × 1/3 = 33.33666… → 33.34 (a rounded share 0.33 gives 33.00)
        (D("100.01"), D("100.00"), D("300.00"), D("33.34"), D("33.34"), False),
        (D("0.03"), D("1.00"), D("2.00"), D("0.02"), D("0.02"), False),  # 0.015 rounds half-up, not to even
        (D("1000.00"), D("300.00"), D("0.00"), D("0.00"), D("0.00"), False),  # no plan: nothing to share
    ],
)
def test_department_participation_follows_the_share_rounded_once_and_capped(
    total, department, planned, amount, uncapped, capped
):
    p = department_participation(total, department, planned)
    assert (p.amount, p.uncapped, p.capped, p.cap) == (amount, uncapped, capped, department)


# --- the estimated balance ---


@pytest.mark.parametrize(
    ("participation", "advance", "amount", "kind", "to_recover"),
    [
        (D("29030.40"), D("14952.00"), D("14078.40"), BalanceKind.TO_PAY, D("0.00")),
        (D("19404.00"), D("19404.00"), D("0.00"), BalanceKind.SETTLED, D("0.00")),
        (D("19278.00"), D("19929.00"), D("-651.00"), BalanceKind.TO_RECOVER, D("651.00")),  # trop-perçu
        (D("0.00"), D("24003.00"), D("-24003.00"), BalanceKind.TO_RECOVER, D("24003.00")),  # nothing spent yet
        (D("0.01"), D("0.00"), D("0.01"), BalanceKind.TO_PAY, D("0.00")),  # no advance paid
    ],
)
def test_estimated_balance_is_participation_minus_advance(participation, advance, amount, kind, to_recover):
    b = estimated_balance(participation, advance)
    assert (b.amount, b.kind, b.to_recover) == (amount, kind, to_recover)


@pytest.mark.parametrize(
    ("department", "expected"),
    [(D("48006.00"), D("24003.00")), (D("29526.01"), D("14763.01")), (D("0.00"), D("0.00"))],  # 14 763,005 ↑
)
def test_expected_advance_is_the_call_rate_of_the_departement_amount(department, expected):
    assert expected_advance(CALL, department) == expected


# --- projection at the current monthly run rate ---


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2025, 1, 1), date(2025, 12, 31), 12),
        (date(2025, 1, 1), date(2025, 6, 30), 6),
        (date(2025, 7, 1), date(2026, 6, 30), 12),  # across two calendar years
        (date(2025, 3, 15), date(2025, 3, 31), 1),
    ],
)
def test_operation_months(start, end, expected):
    call = replace(CALL, operation_start=start, operation_end=end)
    assert operation_months(call) == expected


@pytest.mark.parametrize(
    ("monthly", "n", "staff", "flat", "total"),
    [
        ({}, None, None, None, None),  # no staff line yet: no projection
        ({m: "5450.00" for m in range(1, 13)}, 12, "65400.00", "26160.00", "91560.00"),  # full year: the realised
        ({m: "5450.00" for m in range(1, 10)}, 9, "65400.00", "26160.00", "91560.00"),  # through T3
        ({1: "1000.00", 3: "2000.00"}, 2, "18000.00", "7200.00", "25200.00"),  # February missing: not a 0 €
        ({1: "1000.00", 2: "0.00", 3: "2000.00"}, 3, "12000.00", "4800.00", "16800.00"),  # Feb all ineligible
        ({1: "0.00", 2: "0.00", 3: "0.00"}, 3, "0.00", "0.00", "0.00"),  # only ineligible lines
        # rounded once, after × 12 / 7: 1000.01 × 12 / 7 = 1714.302857… → 1714.30; flat 685.72 on that sum
        ({m: ("1000.01" if m == 1 else "0.00") for m in range(1, 8)}, 7, "1714.30", "685.72", "2400.02"),
        ({1: "1234.57", 2: "1234.56", 3: "1234.57"}, 3, "14814.80", "5925.92", "20740.72"),
    ],
)
def test_year_end_projection_at_the_run_rate(monthly, n, staff, flat, total):
    p = year_end_projection(CALL, {m: D(a) for m, a in monthly.items()})
    if n is None:
        assert p is None
        return
    assert (p.months_with_data, p.months_of_operation) == (n, 12)
    assert (p.staff_costs, p.flat_rate, p.total_eligible_cost) == (D(staff), D(flat), D(total))


@pytest.mark.parametrize(
    "monthly",
    [
        {m: "0.01" for m in range(1, 13)},  # 0,004 € of flat rate a month: rounding per month would give 0
        {1: "1234.57", 2: "1234.56", 3: "1234.57"},
        {1: "10.01", 4: "10.01", 12: "0.00"},  # months missing and a month at 0 €
        {},
    ],
)
def test_monthly_parts_of_the_flat_rate_add_up_to_the_flat_rate_on_the_sum(monthly):
    amounts = {m: D(a) for m, a in monthly.items()}
    parts = monthly_flat_rates(CALL, amounts)
    assert set(parts) == set(amounts)
    expected = (sum(amounts.values(), D("0")) * D("0.40")).quantize(D("0.01"), rounding="ROUND_HALF_UP")
    assert sum(parts.values(), D("0")) == expected


# --- consumption against the plan and against time ---


@pytest.mark.parametrize(
    ("total", "planned", "expected"),
    [
        (D("96768.00"), D("99680.00"), D("97.08")),
        (D("163334.64"), D("160020.00"), D("102.07")),
        (D("0.00"), D("99680.00"), D("0.00")),
        (D("1.00"), D("0.00"), None),  # no plan: no rate rather than a division by zero
        (D("1.00"), D("3.00"), D("33.33")),
        (D("2.00"), D("3.00"), D("66.67")),
    ],
)
def test_consumption_rate(total, planned, expected):
    assert consumption_rate(total, planned) == expected


@pytest.mark.parametrize(
    ("rate", "elapsed", "gap"),
    [(D("30.00"), D("74.79"), D("-44.79")), (D("102.07"), D("100.00"), D("2.07")), (None, D("50.00"), None)],
)
def test_consumption_gap_in_points(rate, elapsed, gap):
    assert consumption_gap(rate, elapsed) == gap


# --- the final report ---


@pytest.mark.parametrize(
    ("today", "days_left", "passed"),
    [
        (date(2025, 12, 31), 90, False),
        (date(2026, 3, 31), 0, False),  # the due day itself is still in time
        (date(2026, 4, 1), -1, True),
        (date(2026, 11, 24), -238, True),
    ],
)
def test_final_report_deadline_and_days_left(today, days_left, passed):
    d = final_report_deadline(CALL, today)
    assert (d.due, d.days_left, d.passed) == (date(2026, 3, 31), days_left, passed)


# --- everything together for one convention ---


def test_no_staff_line_yet():
    s = summarise_budget(CALL, PLAN, {}, 2)
    assert s.costs.declared_staff_costs == s.costs.total_eligible_cost == D("0.00")
    assert s.consumption == D("0.00") and s.projection is None and s.months_with_data == ()
    assert s.participation.amount == D("0.00")
    assert (s.balance.amount, s.balance.kind) == (D("-19404.00"), BalanceKind.TO_RECOVER)
    assert s.projected_participation is None and s.projected_balance is None
    assert s.stands_out  # nothing spent at mid-year


def test_only_ineligible_lines_declare_costs_but_count_for_nothing():
    lines = [
        assess_staff_line(CALL, D("3300.00"), D("20"), True),
        assess_staff_line(CALL, D("4000.00"), D("29.99"), False),
    ]
    declared = sum((a.amount for a in lines), D("0"))
    eligible = sum((a.amount for a in lines if a.eligible), D("0"))
    s = summarise_budget(CALL, PLAN, {1: MonthCosts(declared, eligible)}, 1)
    assert s.costs.declared_staff_costs == D("1859.60")  # 660.00 + 1199.60
    assert s.costs.eligible_staff_costs == s.costs.flat_rate == D("0.00")
    assert s.projection.total_eligible_cost == D("0.00") and s.projection.months_with_data == 1
    assert s.balance.amount == -PLAN.advance_paid


@pytest.mark.parametrize(
    ("rate", "eligible"),
    [(D("30"), D("1200.00")), (D("30.00"), D("1200.00")), (D("29.99"), D("0.00")), (D("30.01"), D("1200.40"))],
)
def test_the_30_percent_boundary_reaches_the_sums(rate, eligible):
    line = assess_staff_line(CALL, D("4000.00"), rate, False)
    s = summarise_budget(CALL, PLAN, {1: MonthCosts(line.amount, line.amount if line.eligible else D("0"))}, 1)
    assert s.costs.eligible_staff_costs == eligible
    assert s.costs.flat_rate == (eligible * D("0.4")).quantize(D("0.01"))


def test_worked_example_full_year_settles_the_convention():
    """92 400 € of eligible staff over the year: exactly the plan, the Département pays its 38 808 €."""
    s = summarise_budget(CALL, PLAN, months({m: "7700.00" for m in range(1, 13)}), 4)
    assert (s.costs.eligible_staff_costs, s.costs.flat_rate, s.costs.total_eligible_cost) == (
        D("92400.00"),
        D("36960.00"),
        D("129360.00"),
    )
    assert s.consumption == D("100.00") and s.elapsed == D("100.00") and not s.stands_out
    assert s.participation.amount == D("38808.00") and not s.participation.capped
    assert s.balance.amount == D("19404.00")


def test_cap_reached_balance_stops_at_the_convention_amount():
    s = summarise_budget(CALL, PLAN, months({m: "9000.00" for m in range(1, 13)}), 4)
    assert s.costs.total_eligible_cost == D("151200.00")
    assert s.participation.capped and s.participation.amount == PLAN.department_amount
    assert s.balance.amount == PLAN.department_amount - PLAN.advance_paid


def test_thirty_percent_after_nine_months_stands_out_and_projection_shows_the_year():
    # 9 months at 3 234 € of staff: 29 106 € + 40 % = 40 748,40 € = 31,50 % of the plan after 74,79 % of the year
    s = summarise_budget(CALL, PLAN, months({m: "3234.00" for m in range(1, 10)}), 3)
    assert s.consumption == D("31.50") and s.elapsed == D("74.79")
    assert s.gap == D("-43.29") and s.stands_out
    assert s.projection.total_eligible_cost == D("54331.20")  # 38 808 × 1.40
    assert s.participation.amount == D("12224.52")  # 40 748,40 × 30 %
    assert s.balance.kind is BalanceKind.TO_RECOVER  # below the advance so far: an estimate, not a claim
    assert s.projected_participation.amount == D("16299.36")
    assert s.projected_balance.amount == D("-3104.64")


def test_months_after_the_quarter_are_left_out():
    data = months({m: "1000.00" for m in range(1, 13)}, declared={12: "5000.00"})
    s = summarise_budget(CALL, PLAN, data, 2)
    assert s.months_with_data == (1, 2, 3, 4, 5, 6)
    assert s.costs.declared_staff_costs == s.costs.eligible_staff_costs == D("6000.00")
    assert s.elapsed == D("49.59")  # 181 days of 365


def test_a_missing_month_is_not_a_zero_in_the_projection_but_lowers_the_realised():
    data = months({1: "7700.00", 3: "7700.00", 4: "7700.00", 5: "7700.00", 6: "7700.00"})  # February missing
    s = summarise_budget(CALL, PLAN, data, 2)
    assert s.costs.eligible_staff_costs == D("38500.00")
    assert s.projection.months_with_data == 5
    assert s.projection.staff_costs == D("92400.00")  # the year at 7 700 € a month


@pytest.mark.parametrize(
    ("plan", "participation", "balance"),
    [
        (PLAN, D("19404.00"), D("0.00")),
        # the amended version: planned staff 80 000 € (total 112 000 €), Département 33 600 €, advance unchanged
        (
            FinancingPlan(D("80000.00"), D("112000.00"), D("67200.00"), D("33600.00"), D("11200.00"), D("19404.00")),
            D("19404.00"),
            D("0.00"),
        ),
        # the amended version lowers the Département's amount to 15 000 €: the cap follows it
        (
            FinancingPlan(D("92400.00"), D("129360.00"), D("101424.00"), D("15000.00"), D("12936.00"), D("19404.00")),
            D("7500.00"),
            D("-11904.00"),
        ),
    ],
)
def test_an_amended_convention_counts_with_its_own_plan(plan, participation, balance):
    """The store hands the current version of a convention; every figure follows that version's plan."""
    s = summarise_budget(CALL, plan, months({m: "3850.00" for m in range(1, 13)}), 4)  # 64 680 € total
    assert s.costs.total_eligible_cost == D("64680.00")
    assert s.consumption == (D("64680.00") * 100 / plan.planned_total_cost).quantize(D("0.01"), "ROUND_HALF_UP")
    assert (s.participation.amount, s.balance.amount) == (participation, balance)


@pytest.mark.parametrize(
    ("total", "esf", "department", "self_financing"),
    [
        (D("140000.00"), D("84000.00"), D("42000.00"), D("14000.00")),  # as planned
        (D("70000.00"), D("42000.00"), D("21000.00"), D("7000.00")),  # half spent
        (D("154000.00"), D("92400.00"), D("42000.00"), D("19600.00")),  # overspent: cap
        (D("0.01"), D("0.01"), D("0.00"), D("0.00")),  # 0.006 and 0.003 round half-up
        (D("0"), D("0.00"), D("0.00"), D("0.00")),
    ],
)
def test_realised_resources_add_up_to_the_realised_cost(total, esf, department, self_financing):
    plan = FinancingPlan(
        D("100000.00"),
        D("140000.00"),
        D("84000.00"),
        D("42000.00"),
        D("14000.00"),
        D("21000.00"),
    )
    resources = realised_resources(plan, total)
    assert (resources.esf, resources.department, resources.self_financing) == (esf, department, self_financing)
    assert resources.total == total
