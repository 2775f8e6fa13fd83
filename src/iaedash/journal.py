"""The journal: who did what and when — imports, refused files, review acts, comments, refused access,
reminders sent.

Imports, review acts and comments are already stored append-only; the `journal` view reads them with the
events kept only here (a refused file, a refused sign-in, a reminder to a network head). Nothing in the app
edits or deletes an entry: this module can only append and read, and reading it is for gestionnaires.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from pathlib import Path

import pandas as pd

from iaedash import acts
from iaedash.db import queries as q
from iaedash.db.connection import connect, transaction
from iaedash.db.schema import ensure_schema
from iaedash.domain.access import AccessDenied, Viewer


class JournalAction(Enum):
    """Every kind of entry; the French label is the presenter's."""

    IMPORT = "import"
    IMPORT_REFUSED = "import_refuse"
    VALIDATE = "valider"
    RETURN = "renvoyer"
    LOCK = "verrouiller"
    UNLOCK = "deverrouiller"
    COMMENT = "commentaire"
    ACCESS_REFUSED = "acces_refuse"
    REMINDER = "relance"


# Entries written by this module; the others come from their own tables through the view.
_LOGGED_HERE = {JournalAction.IMPORT_REFUSED, JournalAction.ACCESS_REFUSED, JournalAction.REMINDER}


@dataclass(frozen=True)
class JournalFilter:
    """The journal page's filters; empty = everything."""

    actions: tuple[str, ...] = ()
    actor: str | None = None
    network_heads: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None


def record(
    db: Path,
    actor: Viewer | None,
    action: JournalAction,
    detail: str,
    *,
    network_head: str | None = None,
    year: int | None = None,
    quarter: int | None = None,
    email: str | None = None,
    at: datetime | None = None,
) -> None:
    """Append one event. `actor` None with `email`: an address that is not in the roles file."""
    if action not in _LOGGED_HERE:
        raise ValueError(f"{action} is recorded by its own table")
    if action is JournalAction.REMINDER:  # an act of the Direction, like the review: checked where it is written
        if actor is None:
            raise AccessDenied(f"{email or 'inconnu'} : relance sans personne connectée")
        actor.require(actor.may_remind and network_head is not None and actor.sees(network_head), "relancer")
    who = {
        "actor_email": actor.email if actor else (email or "inconnu"),
        "actor_name": actor.name if actor else (email or "inconnu"),
        "actor_role": actor.role.value if actor else "aucun",
    }
    with connect(db, read_only=False) as con:
        ensure_schema(con)
        with transaction(con):
            q.execute(
                con,
                "insert_journal_event",
                {
                    "happened_at": at or datetime.now(),  # to the microsecond: the journal's order
                    "action": action.value,
                    **who,
                    "network_head": network_head,
                    "year": year,
                    "quarter": quarter,
                    "detail": detail,
                },
            )
            row = acts.last_row(con, "journal_events")
    acts.append(db, "journal_events", row)


def record_reminder(
    db: Path, viewer: Viewer, network_head: str, year: int, quarter: int, detail: str, at: datetime | None = None
) -> None:
    """A reminder sent (or prepared to be sent) to a network head about one quarter; `detail` says to whom
    and with which subject. Only a viewer who may remind (AccessDenied otherwise, nothing written)."""
    record(db, viewer, JournalAction.REMINDER, detail, network_head=network_head, year=year, quarter=quarter, at=at)


JOURNAL_COLUMNS = [
    "happened_at", "action", "actor_email", "actor_name", "actor_role", "network_head", "year", "quarter", "import_id",
    "detail",
]  # fmt: skip


def entries(db: Path, viewer: Viewer, chosen: JournalFilter | None = None) -> pd.DataFrame:
    """The journal, newest first, filtered; only a gestionnaire may read it."""
    viewer.require(viewer.may_review, "lire le journal")
    f = chosen or JournalFilter()
    params = {
        "actions": list(f.actions),
        "actor": f.actor.strip() if f.actor and f.actor.strip() else None,
        "network_heads": list(f.network_heads),
        "allowed": viewer.allowed(),
        "since": f.since,
        "until": f.until,
    }
    with connect(db, read_only=True) as con:
        rows = q.fetch_records(con, "journal_entries", params)
    return pd.DataFrame(rows, columns=JOURNAL_COLUMNS)
