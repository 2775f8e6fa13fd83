"""Monitoring rules: is a quarter in, late or missing; is a network head on track; is a value odd.

Thresholds are the Direction's monitoring choices (not the call's money rules), kept here in one place.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from enum import Enum

from iaedash.domain.calls import Call, quarter_end, submission_due_date
from iaedash.domain.money import percent

TARGET_ALERT_SHARE = Decimal("50")  # % of a target below which a network head is flagged with one quarter left
TARGET_ALERT_QUARTER = 3  # the quarter after which one quarter is left: when a target is judged at risk
CONSUMPTION_GAP_POINTS = Decimal("20")  # consumption this many points away from the elapsed share stands out
OUTLIER_Z = 3.5  # Iglewicz–Hoaglin: |modified z-score| above this is an outlier
MIN_HISTORY = 4  # quarters of history needed before judging a value against it
MAD_FLOOR_SHARE = 0.2  # the spread is taken as at least 20 % of the median (and at least 1)


class SubmissionStatus(Enum):
    ON_TIME = "reçu à temps"
    LATE = "reçu en retard"
    MISSING = "manquant"
    NOT_DUE = "pas encore dû"


def submission_status(call: Call, quarter: int, first_received: date | None, today: date) -> SubmissionStatus:
    """A quarter counts as received when its first version came in; lateness is judged on that version."""
    due = submission_due_date(call, quarter)
    if first_received is None:
        return SubmissionStatus.NOT_DUE if today <= due else SubmissionStatus.MISSING
    return SubmissionStatus.ON_TIME if first_received <= due else SubmissionStatus.LATE


def target_achievement(achieved: int, target: int | None) -> Decimal | None:
    """Share of a target reached, in %; None means « pas d'objectif » (never 0 %)."""
    if target is None:
        return None
    if target == 0:
        return Decimal("100.00") if achieved >= 0 else None
    return percent(Decimal(achieved), Decimal(target))


def target_at_risk(share: Decimal | None, through_quarter: int) -> bool:
    """« Objectif en danger »: below half of the annual target when the view reaches T3, one quarter left.

    Earlier, too much of the year remains to judge; after T4 the year is over (reached or not, no longer at risk).
    A target never set (share None) is never at risk. The home page's alerts and the quarter summary both ask here.
    """
    return through_quarter == TARGET_ALERT_QUARTER and share is not None and share < TARGET_ALERT_SHARE


def target_reached(share: Decimal | None) -> bool:
    """The cumulative value has reached the annual target (100 % or more); never for a target not set."""
    return share is not None and share >= 100


def elapsed_share(call: Call, through_quarter: int) -> Decimal:
    """Share of the operation's days elapsed at the end of a quarter, in %."""
    end = min(quarter_end(call.year, through_quarter), call.operation_end)
    total = (call.operation_end - call.operation_start).days + 1
    done = max(0, (end - call.operation_start).days + 1)
    return percent(Decimal(done), Decimal(total)) or Decimal("0")


def year_on_year_change(current: Decimal | int, previous: Decimal | int | None) -> Decimal | None:
    """Change against the previous year at the same point, in % (two decimals, half-up). None when there is
    nothing to measure it against: no previous year, or 0 then (a rise from nothing has no rate)."""
    if previous is None or previous == 0:
        return None
    return percent(Decimal(current) - Decimal(previous), Decimal(previous))


def consumption_stands_out(consumption: Decimal | None, elapsed: Decimal) -> bool:
    """Consumption far from the elapsed time, either way (under-consumption is the usual worry)."""
    return consumption is not None and abs(consumption - elapsed) > CONSUMPTION_GAP_POINTS


def robust_z_score(value: float, history: Sequence[float]) -> float | None:
    """Modified z-score of `value` against `history` (which includes it): 0.6745 × (x − median) / MAD.

    Counts are small and seasonal (few trainings in summer), so four quarters can have a tiny MAD
    that would flag every quiet summer; the MAD is floored at 20 % of the median and at 1.
    None when the history is too short to judge.
    """
    if len(history) < MIN_HISTORY:
        return None
    median = statistics.median(history)
    mad = statistics.median(abs(x - median) for x in history)
    mad = max(mad, MAD_FLOOR_SHARE * abs(median), 1.0)
    return 0.6745 * (value - median) / mad


def is_outlier(value: float, history: Sequence[float]) -> bool:
    z = robust_z_score(value, history)
    return z is not None and abs(z) > OUTLIER_Z
