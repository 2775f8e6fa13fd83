"""Budget rules on sums: the Département's participation, the estimated balance, the year-end projection,
consumption against the plan and against time, and the final-report deadline.

Pure functions on Decimal money (half-up to the cent, never floats). Line eligibility is decided at
import by `domain.staff`; here the rules act on the sums of a network head's eligible staff costs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum

from iaedash.domain.calls import Call, quarter_of_month
from iaedash.domain.money import ZERO, percent, round_cents
from iaedash.domain.monitoring import consumption_stands_out, elapsed_share
from iaedash.domain.staff import CostSummary, flat_rate_amount, summarise_costs


@dataclass(frozen=True)
class FinancingPlan:
    """The money part of a convention (its current version)."""

    planned_staff_cost: Decimal
    planned_total_cost: Decimal  # planned staff cost × (1 + flat rate), checked at import
    esf_amount: Decimal  # FSE+
    department_amount: Decimal  # contrepartie du Département: the most the Département will pay
    self_financing: Decimal
    advance_paid: Decimal

    @property
    def planned_flat_rate(self) -> Decimal:
        return self.planned_total_cost - self.planned_staff_cost


@dataclass(frozen=True)
class MonthCosts:
    """Staff costs of one month that has at least one staff line (eligible or not)."""

    declared: Decimal
    eligible: Decimal


# --- the Département's participation and the balance ---


@dataclass(frozen=True)
class Participation:
    """What the Département owes for a realised cost: its share of the plan, capped at the convention."""

    amount: Decimal  # capped, to the cent
    uncapped: Decimal  # realised cost × share, to the cent, before the cap
    cap: Decimal  # the convention's contrepartie_departement

    @property
    def capped(self) -> bool:
        return self.uncapped > self.cap


def department_participation(
    total_eligible_cost: Decimal, department_amount: Decimal, planned_total_cost: Decimal
) -> Participation:
    """Realised total eligible cost × (contrepartie / planned total cost), rounded half-up once, capped.

    The share is not rounded on its own (30 % of an odd plan is not a round number): the product is
    computed first and rounded to the cent once. A plan of 0 € gives nothing to share.
    """
    if planned_total_cost <= 0:
        return Participation(ZERO, ZERO, department_amount)
    uncapped = round_cents(total_eligible_cost * department_amount / planned_total_cost)
    return Participation(min(uncapped, department_amount), uncapped, department_amount)


class BalanceKind(Enum):
    TO_PAY = "solde à verser"
    TO_RECOVER = "trop-perçu à récupérer"
    SETTLED = "rien à verser ni à récupérer"


@dataclass(frozen=True)
class Balance:
    """Participation minus the advance already paid; negative means the advance was more than owed."""

    participation: Decimal
    advance_paid: Decimal
    amount: Decimal  # signed: negative = trop-perçu

    @property
    def kind(self) -> BalanceKind:
        if self.amount > 0:
            return BalanceKind.TO_PAY
        if self.amount < 0:
            return BalanceKind.TO_RECOVER
        return BalanceKind.SETTLED

    @property
    def to_recover(self) -> Decimal:
        """The trop-perçu as a positive amount (0 when there is none)."""
        return -self.amount if self.amount < 0 else ZERO


def estimated_balance(participation: Decimal, advance_paid: Decimal) -> Balance:
    """Balance = participation − advance paid (both already to the cent: no rounding needed)."""
    return Balance(participation, advance_paid, participation - advance_paid)


def expected_advance(call: Call, department_amount: Decimal) -> Decimal:
    """The advance the call provides at signature: its advance rate × the Département's amount."""
    return round_cents(department_amount * call.advance_rate)


# --- projection and consumption ---


def operation_months(call: Call) -> int:
    """Number of calendar months the operation covers (12 for the 2025 call)."""
    start, end = call.operation_start, call.operation_end
    return (end.year - start.year) * 12 + end.month - start.month + 1


@dataclass(frozen=True)
class Projection:
    """Year-end cost if every month of the operation cost what the months with data cost on average."""

    months_with_data: int
    months_of_operation: int
    staff_costs: Decimal  # projected eligible staff costs
    flat_rate: Decimal  # flat rate once on the projected staff costs
    total_eligible_cost: Decimal


def year_end_projection(call: Call, monthly_eligible: Mapping[int, Decimal]) -> Projection | None:
    """Eligible staff costs of the months with data / number of those months × months of the operation,
    rounded half-up once, then the flat rate once on that sum.

    `monthly_eligible` holds only the months that have at least one staff line (a month whose lines are
    all ineligible is a month with data at 0 €). A month missing from the files is left out of the
    average rather than counted as 0 €: a late quarter should not halve the projection. None when no
    month has data yet.
    """
    if not monthly_eligible:
        return None
    months = operation_months(call)
    staff = round_cents(sum(monthly_eligible.values(), ZERO) * months / len(monthly_eligible))
    flat = flat_rate_amount(call, staff)
    return Projection(len(monthly_eligible), months, staff, flat, staff + flat)


def consumption_rate(total_eligible_cost: Decimal, planned_total_cost: Decimal) -> Decimal | None:
    """Total eligible cost / planned total cost, in %, two decimals; None without a plan."""
    return percent(total_eligible_cost, planned_total_cost)


def consumption_gap(rate: Decimal | None, elapsed: Decimal) -> Decimal | None:
    """Consumption minus the share of the operation elapsed, in points (negative: behind time)."""
    return None if rate is None else rate - elapsed


def monthly_flat_rates(call: Call, monthly_eligible: Mapping[int, Decimal]) -> dict[int, Decimal]:
    """Each month's part of the flat rate, for a month-by-month chart.

    The flat rate is computed on sums, never per month: a month's part is the flat rate on the running
    total through that month minus the flat rate on the running total before it, so the months add up
    to the flat rate on the period's sum to the cent.
    """
    out = {}
    running = ZERO
    previous_flat = ZERO
    for month in sorted(monthly_eligible):
        running += monthly_eligible[month]
        flat = flat_rate_amount(call, running)
        out[month] = flat - previous_flat
        previous_flat = flat
    return out


# --- the final report ---


@dataclass(frozen=True)
class Deadline:
    due: date
    days_left: int  # negative once the date has passed

    @property
    def passed(self) -> bool:
        return self.days_left < 0


def final_report_deadline(call: Call, today: date) -> Deadline:
    """The final report is due at the latest on the call's date (3 months after the operation's end)."""
    return Deadline(call.final_report_due, (call.final_report_due - today).days)


# --- one network head's budget through a quarter ---


@dataclass(frozen=True)
class BudgetSummary:
    """Every budget figure of one convention from T1 to `through_quarter`."""

    through_quarter: int
    plan: FinancingPlan
    costs: CostSummary  # realised: declared, eligible, flat rate on the sum, total eligible cost
    months_with_data: tuple[int, ...]
    consumption: Decimal | None  # % of the planned total cost
    elapsed: Decimal  # % of the operation elapsed at the end of the quarter
    gap: Decimal | None  # consumption − elapsed, in points
    stands_out: bool
    projection: Projection | None
    participation: Participation  # on the realised total eligible cost
    balance: Balance  # participation − advance paid
    projected_participation: Participation | None  # on the projected total eligible cost
    projected_balance: Balance | None


def summarise_budget(
    call: Call, plan: FinancingPlan, months: Mapping[int, MonthCosts], through_quarter: int
) -> BudgetSummary:
    """Apply every budget rule to one convention's monthly sums, counting only months up to the quarter."""
    kept = {m: c for m, c in months.items() if quarter_of_month(m) <= through_quarter}
    declared = sum((c.declared for c in kept.values()), ZERO) if kept else None
    eligible = sum((c.eligible for c in kept.values()), ZERO) if kept else None
    costs = summarise_costs(call, declared, eligible)
    rate = consumption_rate(costs.total_eligible_cost, plan.planned_total_cost)
    elapsed = elapsed_share(call, through_quarter)
    projection = year_end_projection(call, {m: c.eligible for m, c in kept.items()})
    participation = department_participation(costs.total_eligible_cost, plan.department_amount, plan.planned_total_cost)
    projected = (
        department_participation(projection.total_eligible_cost, plan.department_amount, plan.planned_total_cost)
        if projection
        else None
    )
    return BudgetSummary(
        through_quarter=through_quarter,
        plan=plan,
        costs=costs,
        months_with_data=tuple(sorted(kept)),
        consumption=rate,
        elapsed=elapsed,
        gap=consumption_gap(rate, elapsed),
        stands_out=consumption_stands_out(rate, elapsed),
        projection=projection,
        participation=participation,
        balance=estimated_balance(participation.amount, plan.advance_paid),
        projected_participation=projected,
        projected_balance=estimated_balance(projected.amount, plan.advance_paid) if projected else None,
    )


# --- the resources of the final report (bilan d'exécution) ---


@dataclass(frozen=True)
class Resources:
    """How the realised total eligible cost is financed, line by line of the financing plan."""

    esf: Decimal  # FSE+ at its share of the plan
    department: Decimal  # the Département's participation (capped at the convention)
    self_financing: Decimal  # the rest: what the network head carries itself

    @property
    def total(self) -> Decimal:
        return self.esf + self.department + self.self_financing


def realised_resources(plan: FinancingPlan, total_eligible_cost: Decimal) -> Resources:
    """FSE+ at its share of the plan (rounded half-up once), the Département's capped participation, and
    self-financing as the remainder, so that the three add up to the realised cost to the cent."""
    if plan.planned_total_cost <= 0:
        return Resources(ZERO, ZERO, total_eligible_cost)
    esf = round_cents(total_eligible_cost * plan.esf_amount / plan.planned_total_cost)
    department = department_participation(total_eligible_cost, plan.department_amount, plan.planned_total_cost)
    return Resources(esf, department.amount, total_eligible_cost - esf - department.amount)
