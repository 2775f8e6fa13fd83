"""The review of each quarter and convention: its state, the acts of a gestionnaire, the comment threads.

Shared by the Revue page, the fiche réseau and the CLI (`iaedash revue`). Every read takes the viewer and
returns only its network heads; every act checks the viewer's role, then the transition rule of
`domain.review`, inside one transaction, so two people acting at once cannot both pass the check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb

from iaedash import acts
from iaedash.db import queries as q
from iaedash.db.connection import connect, transaction
from iaedash.db.schema import ensure_schema
from iaedash.domain.access import Viewer
from iaedash.domain.reference import INDICATOR_CODES, ORIENTATION_CODES
from iaedash.domain.review import (
    MAX_TEXT,
    RefusalReason,
    ReviewAction,
    ReviewEvent,
    ReviewStatus,
    Versions,
    refusal,
    review_status,
)


@dataclass(frozen=True)
class Scope:
    """What is reviewed: a network head's quarter, or its convention of the year (quarter None)."""

    network_head: str
    year: int
    quarter: int | None

    def params(self) -> dict:
        return {"network_head": self.network_head, "year": self.year, "quarter": self.quarter}


@dataclass(frozen=True)
class ScopeState:
    """A scope's review state: what is current, its status, and the last act (if any)."""

    scope: Scope
    versions: Versions
    status: ReviewStatus
    last: ReviewEvent | None


class ReviewRefused(ValueError):
    """An act the rules refuse; `reason` is the code, the presenter says it in French."""

    def __init__(self, scope: Scope, reason: RefusalReason, state: ScopeState | None) -> None:
        super().__init__(reason.value)
        self.scope = scope
        self.reason = reason
        self.state = state


def _params(
    allowed: list[str] | None, year: int, network_heads: tuple[str, ...] = (), as_of: date | None = None
) -> dict:
    return {"year": year, "network_heads": list(network_heads), "allowed": allowed, "as_of": as_of}


def _states(
    con: duckdb.DuckDBPyConnection,
    allowed: list[str] | None,
    year: int,
    heads: tuple[str, ...],
    as_of: date | None = None,
) -> list[ScopeState]:
    out = []
    for row in q.fetch_records(con, "review_state", _params(allowed, year, heads, as_of)):
        versions = Versions(row["main_version"], row["staff_version"])
        last = None
        if row["action"] is not None:
            last = ReviewEvent(
                ReviewAction(row["action"]),
                Versions(row["act_main_version"], row["act_staff_version"]),
                row["actor_name"],
                row["happened_at"],
                row["reason"],
            )
        scope = Scope(row["network_head"], year, row["quarter"])
        out.append(ScopeState(scope, versions, review_status(versions, last), last))
    return out


def review_states(
    db: Path, viewer: Viewer, year: int, network_heads: tuple[str, ...] = (), as_of: date | None = None
) -> list[ScopeState]:
    """Every scope of `year` that received something, for the viewer's network heads (a scope not listed is
    « attendu »), as it stood on `as_of` (None: today): the versions received and the acts made by then."""
    with connect(db, read_only=True) as con:
        return _states(con, viewer.allowed(), year, network_heads, as_of)


def states_in(con: duckdb.DuckDBPyConnection, year: int, network_heads: tuple[str, ...]) -> list[ScopeState]:
    """Every scope of these network heads in `year` that received something, in the caller's transaction
    (the import path checks the locks of a whole file, or a whole bulk file, with one query per year)."""
    return _states(con, None, year, network_heads)


def state_of(con: duckdb.DuckDBPyConnection, scope: Scope) -> ScopeState:
    """The state of one scope, read in the caller's transaction (the import path checks locks with it)."""
    for state in _states(con, None, scope.year, (scope.network_head,)):
        if state.scope == scope:
            return state
    return ScopeState(scope, Versions(None, None), ReviewStatus.EXPECTED, None)


def act(
    db: Path, viewer: Viewer, scope: Scope, action: ReviewAction, reason: str | None = None, at: datetime | None = None
) -> ScopeState:
    """Record one review act; refused (ReviewRefused, nothing written) when the rules do not allow it."""
    viewer.require(viewer.may_review, f"{action.value} {scope}")
    text = (reason or "").strip() or None
    with connect(db, read_only=False) as con:
        ensure_schema(con)
        with transaction(con):
            state = state_of(con, scope)
            why = refusal(state.status, action, text)
            if why is not None:
                raise ReviewRefused(scope, why, state)
            q.execute(
                con,
                "insert_review_event",
                {
                    **scope.params(),
                    "action": action.value,
                    "main_version": state.versions.main,
                    "staff_version": state.versions.staff,
                    "reason": text,
                    **_actor(viewer),
                    "happened_at": at or datetime.now(),  # to the microsecond: the journal's order
                },
            )
            row = acts.last_row(con, "review_events")
            after = state_of(con, scope)
    acts.append(db, "review_events", row)
    return after


def _actor(viewer: Viewer) -> dict:
    return {"actor_email": viewer.email, "actor_name": viewer.name, "actor_role": viewer.role.value}


class CommentRefused(ValueError):
    """A comment that cannot be written (empty, too long, unknown code); the message is French."""


def add_comment(
    db: Path,
    viewer: Viewer,
    scope: Scope,
    body: str,
    indicator: str | None = None,
    orientation: str | None = None,
    at: datetime | None = None,
) -> None:
    """Append one comment to the scope's thread (the Direction's gestionnaires, or the network head itself)."""
    viewer.require(viewer.may_comment and viewer.sees(scope.network_head), f"commenter {scope}")
    text = body.strip()
    if not text:
        raise CommentRefused("le commentaire est vide")
    if len(text) > MAX_TEXT:
        raise CommentRefused(f"le commentaire dépasse {MAX_TEXT} caractères ({len(text)})")
    if (indicator is None) != (orientation is None):
        raise CommentRefused("un commentaire sur une valeur nomme son indicateur et son orientation")
    if indicator is not None and (indicator not in INDICATOR_CODES or orientation not in ORIENTATION_CODES):
        raise CommentRefused(f"valeur inconnue : {indicator} × {orientation}")
    with connect(db, read_only=False) as con:
        ensure_schema(con)
        with transaction(con):
            q.execute(
                con,
                "insert_review_comment",
                {
                    **scope.params(),
                    "indicator": indicator,
                    "orientation": orientation,
                    "body": text,
                    **_actor(viewer),
                    "happened_at": at or datetime.now(),  # to the microsecond: the journal's order
                },
            )
            row = acts.last_row(con, "review_comments")
    acts.append(db, "review_comments", row)


@dataclass(frozen=True)
class ThreadItem:
    """One entry of a scope's thread: a comment, or a review act with its reason."""

    network_head: str
    quarter: int | None
    at: datetime
    author: str
    author_role: str
    kind: str  # "commentaire" or a ReviewAction value
    body: str | None
    indicator: str | None = None
    orientation: str | None = None
    versions: Versions | None = None


def threads(
    db: Path, viewer: Viewer, year: int, network_heads: tuple[str, ...] = (), as_of: date | None = None
) -> list[ThreadItem]:
    """Comments and review acts of the year's scopes up to `as_of` (None: today), oldest first: what was said and
    decided, in order."""
    params = _params(viewer.allowed(), year, network_heads, as_of)
    with connect(db, read_only=True) as con:
        comments = q.fetch_records(con, "review_comments_of_year", params)
        events = q.fetch_records(con, "review_events_of_year", params)
    items = [
        ThreadItem(
            r["network_head"],
            r["quarter"],
            r["happened_at"],
            r["actor_name"],
            r["actor_role"],
            "commentaire",
            r["body"],
            r["indicator"],
            r["orientation"],
        )
        for r in comments
    ]
    items += [
        ThreadItem(
            r["network_head"],
            r["quarter"],
            r["happened_at"],
            r["actor_name"],
            r["actor_role"],
            r["action"],
            r["reason"],
            versions=Versions(r["main_version"], r["staff_version"]),
        )
        for r in events
    ]
    return sorted(items, key=lambda i: (i.at, i.kind != "commentaire"))
