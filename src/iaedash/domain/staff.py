"""Staff costs: eligible amount of a line, the minimum-assignment rule, the flat rate."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from iaedash.domain.calls import Call
from iaedash.domain.money import ZERO, round_cents

REASON_SUPPORT = "fonction support"
REASON_LOW_RATE = "taux d'affectation inférieur à {threshold} %"


@dataclass(frozen=True)
class StaffAssessment:
    """What the call makes of one monthly staff line."""

    amount: Decimal  # cost × rate / 100, rounded per line: what is declared
    eligible: bool
    reason: str | None  # why it is not eligible, in French, None when eligible


def line_amount(monthly_cost: Decimal, assignment_rate: Decimal) -> Decimal:
    """Cost of one month on the operation, rounded half-up to the cent per line."""
    return round_cents(monthly_cost * assignment_rate / 100)


def assess_staff_line(
    call: Call, monthly_cost: Decimal, assignment_rate: Decimal, support_function: bool
) -> StaffAssessment:
    """Apply the call's rules to one line; ineligible lines keep their amount and get a reason."""
    amount = line_amount(monthly_cost, assignment_rate)
    reasons = []
    if support_function:
        reasons.append(REASON_SUPPORT)
    if assignment_rate < call.min_assignment_rate:
        threshold = format(call.min_assignment_rate.normalize(), "f")
        reasons.append(REASON_LOW_RATE.format(threshold=threshold))
    return StaffAssessment(amount, not reasons, " ; ".join(reasons) or None)


def flat_rate_amount(call: Call, eligible_staff_costs: Decimal) -> Decimal:
    """The flat rate is computed once, on the sum of the eligible staff costs of the period."""
    return round_cents(eligible_staff_costs * call.flat_rate)


def planned_total_cost(call: Call, planned_staff_cost: Decimal) -> Decimal:
    """Total cost of a convention: planned staff costs plus the flat rate."""
    return round_cents(planned_staff_cost + planned_staff_cost * call.flat_rate)


@dataclass(frozen=True)
class CostSummary:
    """Declared and eligible costs of a network head over a period, with the flat rate."""

    declared_staff_costs: Decimal
    eligible_staff_costs: Decimal
    flat_rate: Decimal
    total_eligible_cost: Decimal


def summarise_costs(call: Call, declared: Decimal | None, eligible: Decimal | None) -> CostSummary:
    """Build the cost summary from the two sums (None when no staff line was sent yet)."""
    declared = declared if declared is not None else ZERO
    eligible = eligible if eligible is not None else ZERO
    flat = flat_rate_amount(call, eligible)
    return CostSummary(declared, eligible, flat, eligible + flat)


@dataclass(frozen=True)
class RateChange:
    """An employee whose assignment rate is not the same every month of the year."""

    employee: str
    rates: tuple[Decimal, ...]  # distinct rates, in month order of first appearance
    months: tuple[int, ...]  # months at which the rate differs from the previous month


def find_rate_changes(lines: Iterable[tuple[str, int, Decimal]]) -> list[RateChange]:
    """Flag employees whose rate varies between months: the call prefers a fixed monthly rate.

    `lines` are (employee, month, assignment_rate) of one network head and one year.
    """
    by_employee: dict[str, dict[int, Decimal]] = {}
    for employee, month, rate in lines:
        by_employee.setdefault(employee, {})[month] = rate
    changes = []
    for employee in sorted(by_employee):
        months = sorted(by_employee[employee].items())
        changed_at = tuple(m for (_, prev), (m, rate) in pairwise(months) if rate != prev)
        if changed_at:
            distinct = tuple(dict.fromkeys(rate.normalize() for _, rate in months))
            changes.append(RateChange(employee, distinct, changed_at))
    return changes
