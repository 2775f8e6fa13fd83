"""A call for projects as data: its dates and its money parameters.

One call per year of operation; a new call is a new data file under
data/appels/, never a code change (see iaedash.calls for the loading).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal


@dataclass(frozen=True)
class Call:
    """Parameters of one call, as read from its data file."""

    year: int
    name: str
    operation_start: date
    operation_end: date
    final_report_due: date
    flat_rate: Decimal  # 0.40 for the 2025 call
    min_assignment_rate: Decimal  # in percent, 30 for the 2025 call
    submission_delay_days: int  # quarterly submission due this many days after the quarter's end
    advance_rate: Decimal  # share of the Département's amount paid at signature
    # Not yet published: the parameters are a working hypothesis (`hypothese_de_travail = true` in its file),
    # and this is its one-line French note (« paramètres provisoires repris de 2025 »); None for a published call.
    working_hypothesis: str | None = None


def quarter_of_month(month: int) -> int:
    """Quarter 1–4 that a month 1–12 belongs to."""
    if not 1 <= month <= 12:
        raise ValueError(f"month out of range: {month}")
    return (month - 1) // 3 + 1


def quarter_months(quarter: int) -> tuple[int, int, int]:
    """The three months of a quarter."""
    first = 3 * (quarter - 1) + 1
    return (first, first + 1, first + 2)


def quarter_end(year: int, quarter: int) -> date:
    """Last day of a quarter."""
    if quarter == 4:
        return date(year, 12, 31)
    return date(year, 3 * quarter + 1, 1) - timedelta(days=1)


def submission_due_date(call: Call, quarter: int) -> date:
    """Date by which a quarterly submission of the call's year must be received."""
    return quarter_end(call.year, quarter) + timedelta(days=call.submission_delay_days)


def is_late(call: Call, quarter: int, received_on: date) -> bool:
    """A submission is late when it was received after its due date (the due day itself is on time)."""
    return received_on > submission_due_date(call, quarter)
