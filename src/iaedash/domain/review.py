"""The review of each reported period: received → validated or returned for correction → locked.

A scope of review is a quarter of a network head (its indicators and staff costs together) or its
convention of a year (quarter None). Review acts are stored append-only; the status is derived here from
what was received and the last act, so a new version after a validation or a return is « reçu » again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum


class ReviewStatus(Enum):
    EXPECTED = "attendu"
    RECEIVED = "reçu"
    VALIDATED = "validé"
    RETURNED = "à corriger"
    LOCKED = "verrouillé"


class ReviewAction(Enum):
    """The four acts of a gestionnaire (the values are the CLI's sub-commands)."""

    VALIDATE = "valider"
    RETURN = "renvoyer"
    LOCK = "verrouiller"
    UNLOCK = "deverrouiller"


class RefusalReason(Enum):
    """Why an act is refused; the French sentence is the presenter's (`presenters.review`)."""

    NOTHING_RECEIVED = "nothing_received"
    ALREADY_VALIDATED = "already_validated"
    RETURNED_WAITING = "returned_waiting"
    NOT_VALIDATED = "not_validated"
    NOT_LOCKED = "not_locked"
    ALREADY_LOCKED = "already_locked"
    REASON_REQUIRED = "reason_required"
    REASON_TOO_LONG = "reason_too_long"


# Acts that send something back to the network head or undo a lock must say why.
REASON_REQUIRED = {ReviewAction.RETURN, ReviewAction.UNLOCK}
MAX_TEXT = 2000  # characters of a reason or a comment (the same bound as a file's comment cell)


@dataclass(frozen=True)
class Versions:
    """What is current in a scope: the indicators (or convention) version and the staff-costs version."""

    main: int | None
    staff: int | None = None

    @property
    def received(self) -> bool:
        return self.main is not None or self.staff is not None

    def describe(self) -> str:
        """« indicateurs v2, personnel v1 »; a convention is « v1 »."""
        parts = []
        if self.main is not None:
            parts.append(f"v{self.main}")
        if self.staff is not None:
            parts.append(f"personnel v{self.staff}")
        return ", ".join(parts) or "rien reçu"


@dataclass(frozen=True)
class ReviewEvent:
    """One act of review, as stored: on which versions, by whom, when, why."""

    action: ReviewAction
    versions: Versions
    actor: str
    at: datetime
    reason: str | None = None


def review_status(current: Versions, last: ReviewEvent | None) -> ReviewStatus:
    """The status of a scope from what is current and the last act on it.

    A lock holds whatever was locked (a locked scope refuses new versions); any other act holds only
    for the versions it was made on: a new version since makes the scope « reçu » again.
    """
    if not current.received:
        return ReviewStatus.EXPECTED
    if last is None:
        return ReviewStatus.RECEIVED
    if last.action is ReviewAction.LOCK:
        return ReviewStatus.LOCKED
    if last.versions != current:
        return ReviewStatus.RECEIVED
    if last.action is ReviewAction.RETURN:
        return ReviewStatus.RETURNED
    return ReviewStatus.VALIDATED  # validated, or unlocked (it was validated before its lock)


_FROM = {
    ReviewAction.VALIDATE: {ReviewStatus.RECEIVED},
    ReviewAction.RETURN: {ReviewStatus.RECEIVED, ReviewStatus.VALIDATED},
    ReviewAction.LOCK: {ReviewStatus.VALIDATED},
    ReviewAction.UNLOCK: {ReviewStatus.LOCKED},
}


def refusal(status: ReviewStatus, action: ReviewAction, reason: str | None) -> RefusalReason | None:
    """None when `action` may be done on a scope in `status`; otherwise why not."""
    text = (reason or "").strip()
    if action in REASON_REQUIRED and not text:
        return RefusalReason.REASON_REQUIRED
    if len(text) > MAX_TEXT:
        return RefusalReason.REASON_TOO_LONG
    if status in _FROM[action]:
        return None
    if status is ReviewStatus.EXPECTED:
        return RefusalReason.NOTHING_RECEIVED
    if action is ReviewAction.UNLOCK:
        return RefusalReason.NOT_LOCKED
    if status is ReviewStatus.LOCKED:
        return RefusalReason.ALREADY_LOCKED
    if status is ReviewStatus.RETURNED:
        return RefusalReason.RETURNED_WAITING
    if action is ReviewAction.LOCK:
        return RefusalReason.NOT_VALIDATED
    return RefusalReason.ALREADY_VALIDATED
