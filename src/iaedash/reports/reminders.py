"""The quarters to remind on the home page: overdue (something not received once the due date has passed) or
returned for correction and still waiting for a new version — with whom to write to and the last reminder.

Built on the completeness grid (`reports.overview.completeness`) and the review states (`review.review_states`)
rather than on a status logic of its own: a quarter is overdue here exactly when the grid says « manquant », or
when its staff costs are still missing at a due date passed. Reading it is the Direction's (`may_remind`): the
addresses of the network heads' contacts are in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from pathlib import Path

from iaedash.db import queries as q
from iaedash.db.connection import connect
from iaedash.domain.access import AccessRule, Viewer, network_head_addresses
from iaedash.domain.review import ReviewStatus
from iaedash.filters import Filters
from iaedash.journal import JournalAction
from iaedash.reports import common
from iaedash.reports.common import scoped
from iaedash.reports.overview import completeness
from iaedash.review import review_states


class Missing(Enum):
    """What a quarter still lacks; the presenter says it in French."""

    INDICATORS = "indicateurs"
    STAFF = "personnel"


@dataclass(frozen=True)
class Returned:
    """The return for correction a quarter is waiting on: when, by whom, why."""

    at: datetime
    actor: str
    reason: str | None


@dataclass(frozen=True)
class LastReminder:
    """The last reminder recorded for a quarter, and how many there were."""

    at: datetime
    actor: str
    actor_role: str
    detail: str | None
    count: int


@dataclass(frozen=True)
class Reminder:
    """One quarter of one network head to remind: why, by when it was due, whom to write to."""

    network_head: str
    name: str | None  # of the current convention
    year: int
    quarter: int
    due_date: date
    days_overdue: int  # at the reference day; 0 or less: not yet due (a return waits all the same)
    missing: tuple[Missing, ...]  # empty for a quarter only returned for correction
    returned: Returned | None
    recipients: tuple[str, ...]  # the roles file's `reseau` addresses for the network head; may be empty
    last: LastReminder | None


def reminders(
    db: Path, viewer: Viewer, filters: Filters, today: date, rules: Sequence[AccessRule] = ()
) -> list[Reminder]:
    """The quarters of the view to remind at `today`, by network head then quarter; only for a viewer who may
    remind (AccessDenied otherwise, before anything is read). `rules`: the roles file's entries, for the
    addresses (none known: the reminder has no recipient)."""
    viewer.require(viewer.may_remind, "lire les relances")
    grid = completeness(db, viewer, filters, today)
    returned_of = {
        (s.scope.network_head, s.scope.quarter): s
        for s in review_states(db, viewer, filters.year, filters.network_heads)
        if s.status is ReviewStatus.RETURNED and s.scope.quarter is not None
    }
    names = {c.network_head: c.name for c in common.conventions(db, viewer, filters).itertuples()}
    last = _last_reminders(db, viewer, filters)
    out = []
    for r in grid.itertuples():
        if r.quarter not in filters.quarters:
            continue
        overdue = (today - r.due_date).days
        missing: tuple[Missing, ...] = ()
        if overdue > 0 and r.review not in (ReviewStatus.VALIDATED.value, ReviewStatus.LOCKED.value):
            missing = tuple(
                kind
                for kind, lacking in ((Missing.INDICATORS, r.versions == 0), (Missing.STAFF, r.staff_versions == 0))
                if lacking
            )
        state = returned_of.get((r.network_head, r.quarter))
        if not missing and state is None:
            continue
        back = None
        if state is not None and state.last is not None:
            back = Returned(state.last.at, state.last.actor, state.last.reason)
        out.append(
            Reminder(
                r.network_head,
                names.get(r.network_head),
                filters.year,
                r.quarter,
                r.due_date,
                overdue,
                missing,
                back,
                network_head_addresses(rules, r.network_head),
                last.get((r.network_head, r.quarter)),
            )
        )
    return out


def _last_reminders(db: Path, viewer: Viewer, filters: Filters) -> dict[tuple[str, int], LastReminder]:
    params = scoped(viewer, filters, action=JournalAction.REMINDER.value)
    with connect(db, read_only=True) as con:
        rows = q.fetch_records(con, "reminders_sent", params)
    return {
        (r["network_head"], r["quarter"]): LastReminder(
            r["last_at"], r["last_actor_name"], r["last_actor_role"], r["last_detail"], r["sent"]
        )
        for r in rows
    }
