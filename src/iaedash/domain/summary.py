"""Rules of the quarter in words: which changes of an indicator are worth saying, and when a quarter or an
orientation shows no activity.

The Direction's monitoring choices, like those of `domain.monitoring` (targets at risk, consumption against
time elapsed), kept here in one place; the sentences themselves are `presenters.summary`'s.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from iaedash.domain.money import percent
from iaedash.domain.reference import INDICATOR_CODES

# A change is said when it is at least a quarter of the value compared with AND at least 3 units: counts are
# small (2 → 3 is +50 % and no news), and a network head's webinar attendances move by tens.
NOTABLE_CHANGE_SHARE = Decimal("25")  # % of the earlier value
NOTABLE_CHANGE_UNITS = 3  # in the indicator's own unit


@dataclass(frozen=True)
class Change:
    """One indicator from one quarter to another (over the same orientations)."""

    indicator: str
    before: int
    after: int

    @property
    def difference(self) -> int:
        return self.after - self.before

    @property
    def share(self) -> Decimal | None:
        """The change in % of the earlier value, two decimals; None from 0 (no « +∞ % »)."""
        return percent(Decimal(self.difference), Decimal(self.before))

    @property
    def rise(self) -> bool:
        return self.difference > 0


def is_notable(change: Change) -> bool:
    """At least NOTABLE_CHANGE_UNITS and, unless it starts from 0, at least NOTABLE_CHANGE_SHARE % either way."""
    if abs(change.difference) < NOTABLE_CHANGE_UNITS:
        return False
    return change.share is None or abs(change.share) >= NOTABLE_CHANGE_SHARE


def notable_changes(before: Mapping[str, int], after: Mapping[str, int]) -> list[Change]:
    """The notable changes from `before` to `after`, largest first: from nothing, then by share, then by units.

    An indicator missing from either side is 0 there (a received quarter sums what its file declared).
    """
    changes = [Change(code, int(before.get(code, 0)), int(after.get(code, 0))) for code in INDICATOR_CODES]
    kept = [c for c in changes if is_notable(c)]
    return sorted(
        kept,
        key=lambda c: (c.share is not None, -abs(c.share or 0), -abs(c.difference), INDICATOR_CODES.index(c.indicator)),
    )


def without_activity(values: Mapping[str, int]) -> bool:
    """Nothing declared above 0 in any indicator (the Orientations page's « sans aucune activité »)."""
    return all(int(v) == 0 for v in values.values())


def inactive_orientations(by_orientation: Mapping[str, Mapping[str, int]]) -> list[str]:
    """The orientations (in the order given) where nothing was declared in any indicator."""
    return [code for code, values in by_orientation.items() if without_activity(values)]
