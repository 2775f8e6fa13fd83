"""The review of each quarter and convention: the status rules, the acts on a real demo database, the locks
that refuse new versions, the comment threads and `iaedash revue`."""

from __future__ import annotations

import getpass
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from db_dump import dump, files_under
from helpers_review import amended_convention, corrected_indicators, corrected_staff
from viewers import ANALYST, CABM, MANAGER, READER

from iaedash.cli import main
from iaedash.domain.access import AccessDenied, Viewer
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
from iaedash.ingest.load import IncomingFile, import_files
from iaedash.review import CommentRefused, ReviewRefused, Scope, act, add_comment, review_states, state_of, threads

S = ReviewStatus
A = ReviewAction
R = RefusalReason
V = Versions
AT = datetime(2026, 1, 5, 9, 30)


def event(action: ReviewAction, versions: Versions) -> ReviewEvent:
    return ReviewEvent(action, versions, "Dominique Leroy", AT, "motif" if action in (A.RETURN, A.UNLOCK) else None)


# --- the rules (pure) ---


@pytest.mark.parametrize(
    ("current", "last", "expected"),
    [
        (V(None, None), None, S.EXPECTED),
        (V(None, None), event(A.LOCK, V(1, 1)), S.EXPECTED),  # nothing current: nothing to review
        (V(1, None), None, S.RECEIVED),
        (V(None, 1), None, S.RECEIVED),  # staff costs alone are something received
        (V(1, 1), None, S.RECEIVED),
        (V(1, 1), event(A.VALIDATE, V(1, 1)), S.VALIDATED),
        (V(2, 1), event(A.VALIDATE, V(1, 1)), S.RECEIVED),  # a new indicators version since
        (V(1, 2), event(A.VALIDATE, V(1, 1)), S.RECEIVED),  # a new staff-costs version since
        (V(1, 1), event(A.RETURN, V(1, 1)), S.RETURNED),
        (V(2, 1), event(A.RETURN, V(1, 1)), S.RECEIVED),  # the correction came in
        (V(1, 1), event(A.LOCK, V(1, 1)), S.LOCKED),
        (V(2, 1), event(A.LOCK, V(1, 1)), S.LOCKED),  # a lock holds whatever was locked
        (V(1, 1), event(A.UNLOCK, V(1, 1)), S.VALIDATED),  # it was validated before its lock
        (V(2, 1), event(A.UNLOCK, V(1, 1)), S.RECEIVED),
        (V(1, None), event(A.VALIDATE, V(1, None)), S.VALIDATED),  # a convention
        (V(2, None), event(A.VALIDATE, V(1, None)), S.RECEIVED),
    ],
)
def test_review_status(current: Versions, last: ReviewEvent | None, expected: ReviewStatus):
    assert review_status(current, last) is expected


# Every (status, action) pair with a valid reason: None = allowed.
TRANSITIONS = {
    (S.EXPECTED, A.VALIDATE): R.NOTHING_RECEIVED,
    (S.EXPECTED, A.RETURN): R.NOTHING_RECEIVED,
    (S.EXPECTED, A.LOCK): R.NOTHING_RECEIVED,
    (S.EXPECTED, A.UNLOCK): R.NOTHING_RECEIVED,
    (S.RECEIVED, A.VALIDATE): None,
    (S.RECEIVED, A.RETURN): None,
    (S.RECEIVED, A.LOCK): R.NOT_VALIDATED,
    (S.RECEIVED, A.UNLOCK): R.NOT_LOCKED,
    (S.VALIDATED, A.VALIDATE): R.ALREADY_VALIDATED,
    (S.VALIDATED, A.RETURN): None,
    (S.VALIDATED, A.LOCK): None,
    (S.VALIDATED, A.UNLOCK): R.NOT_LOCKED,
    (S.RETURNED, A.VALIDATE): R.RETURNED_WAITING,
    (S.RETURNED, A.RETURN): R.RETURNED_WAITING,
    (S.RETURNED, A.LOCK): R.RETURNED_WAITING,
    (S.RETURNED, A.UNLOCK): R.NOT_LOCKED,
    (S.LOCKED, A.VALIDATE): R.ALREADY_LOCKED,
    (S.LOCKED, A.RETURN): R.ALREADY_LOCKED,
    (S.LOCKED, A.LOCK): R.ALREADY_LOCKED,
    (S.LOCKED, A.UNLOCK): None,
}


def test_the_transition_table_covers_every_pair():
    assert set(TRANSITIONS) == {(s, a) for s in ReviewStatus for a in ReviewAction}


@pytest.mark.parametrize(("status", "action"), list(TRANSITIONS), ids=lambda x: x.value)
def test_refusal_of_every_status_and_action(status: ReviewStatus, action: ReviewAction):
    assert refusal(status, action, "motif donné") is TRANSITIONS[(status, action)]


@pytest.mark.parametrize(
    ("status", "action", "reason", "expected"),
    [
        # returning and unlocking say why: no reason, an empty or a blank one is refused first
        (S.RECEIVED, A.RETURN, None, R.REASON_REQUIRED),
        (S.RECEIVED, A.RETURN, "", R.REASON_REQUIRED),
        (S.RECEIVED, A.RETURN, " \n\t ", R.REASON_REQUIRED),
        (S.LOCKED, A.UNLOCK, None, R.REASON_REQUIRED),
        (S.LOCKED, A.UNLOCK, "  ", R.REASON_REQUIRED),
        (S.EXPECTED, A.RETURN, None, R.REASON_REQUIRED),
        # validating and locking need none
        (S.RECEIVED, A.VALIDATE, None, None),
        (S.VALIDATED, A.LOCK, None, None),
        (S.VALIDATED, A.LOCK, "", None),
        # at most MAX_TEXT characters once trimmed, for every act that has one
        (S.RECEIVED, A.RETURN, "x" * 2000, None),
        (S.RECEIVED, A.RETURN, "  " + "x" * 2000 + "  ", None),
        (S.RECEIVED, A.RETURN, "x" * 2001, R.REASON_TOO_LONG),
        (S.LOCKED, A.UNLOCK, "x" * 2001, R.REASON_TOO_LONG),
        (S.RECEIVED, A.VALIDATE, "x" * 2001, R.REASON_TOO_LONG),
        (S.VALIDATED, A.LOCK, "x" * 2000, None),
    ],
)
def test_reason_rules(status: ReviewStatus, action: ReviewAction, reason: str | None, expected: RefusalReason | None):
    assert MAX_TEXT == 2000
    assert refusal(status, action, reason) is expected


# --- the acts on a real demo database ---

T2 = Scope("CABM", 2025, 2)
CONVENTION = Scope("CABM", 2025, None)


def events(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select network_head, quarter, action, main_version, staff_version, reason, actor_name from review_events "
            "order by event_id"
        ).fetchall()
    finally:
        con.close()


def current(db: Path, scope: Scope):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return state_of(con, scope)
    finally:
        con.close()


def send(db: Path, incoming: IncomingFile, viewer: Viewer = MANAGER, **kwargs):
    [outcome] = import_files(db, [incoming], date(2025, 9, 1), viewer=viewer, **kwargs)
    return outcome


def test_validate_lock_refuse_unlock_accept_validate(demo_db: Path):
    """The whole life of a quarter: validated, locked (new versions refused, nothing written), unlocked with
    a reason, a new version received, validated again."""
    assert current(demo_db, T2).status is S.RECEIVED
    assert current(demo_db, T2).versions == V(1, 1)  # one indicators and one staff file in the demo

    validated = act(demo_db, MANAGER, T2, A.VALIDATE, at=AT)
    assert (validated.status, validated.last.actor, validated.last.versions) == (
        S.VALIDATED,
        "Dominique Leroy",
        V(1, 1),
    )
    locked = act(demo_db, MANAGER, T2, A.LOCK, at=AT + timedelta(hours=1))
    assert locked.status is S.LOCKED

    before, kept = dump(demo_db), files_under(demo_db.parent / "depots")
    for incoming in (corrected_indicators("CABM", 2), corrected_staff("CABM", 2)):
        outcome = send(demo_db, incoming)
        assert outcome.status == "refused"
        [problem] = outcome.problems
        assert problem.message.startswith(
            "trimestre verrouillé le 05/01/2026 à 10:30 par Dominique Leroy (T2 2025 de CABM)"
        ), problem.message
    assert dump(demo_db) == before
    assert files_under(demo_db.parent / "depots") == kept

    # another quarter of the same network head is not locked
    assert send(demo_db, corrected_indicators("CABM", 3)).status == "accepted"

    for reason in (None, "", "   "):
        with pytest.raises(ReviewRefused) as refused:
            act(demo_db, MANAGER, T2, A.UNLOCK, reason)
        assert refused.value.reason is R.REASON_REQUIRED
    assert current(demo_db, T2).status is S.LOCKED
    assert len(events(demo_db)) == 2

    unlocked = act(demo_db, MANAGER, T2, A.UNLOCK, "  erreur de saisie signalée par la tête de réseau  ")
    assert unlocked.status is S.VALIDATED
    assert unlocked.last.reason == "erreur de saisie signalée par la tête de réseau"  # trimmed

    outcome = send(demo_db, corrected_indicators("CABM", 2))
    assert outcome.status == "accepted", [str(p) for p in outcome.problems]
    assert [(c.kind, c.version, c.previous_version) for c in outcome.changes] == [("indicateurs", 2, 1)]
    after = current(demo_db, T2)
    assert (after.status, after.versions) == (S.RECEIVED, V(2, 1))

    again = act(demo_db, MANAGER, T2, A.VALIDATE)
    assert (again.status, again.last.versions) == (S.VALIDATED, V(2, 1))
    assert [(e[1], e[2], e[3], e[4]) for e in events(demo_db)] == [
        (2, "valider", 1, 1),
        (2, "verrouiller", 1, 1),
        (2, "deverrouiller", 1, 1),
        (2, "valider", 2, 1),
    ]


def test_a_locked_quarter_refuses_new_versions_in_a_dry_run_too(demo_db: Path):
    act(demo_db, MANAGER, T2, A.VALIDATE)
    act(demo_db, MANAGER, T2, A.LOCK)
    [outcome] = import_files(demo_db, [corrected_indicators("CABM", 2)], date(2025, 9, 1), dry_run=True)
    assert outcome.status == "refused"
    assert "trimestre verrouillé" in outcome.problems[0].message


def test_return_for_correction_then_a_new_version_is_received(demo_db: Path):
    returned = act(demo_db, MANAGER, T2, A.RETURN, "le FORM du T2 ne correspond pas au bilan de formation")
    assert returned.status is S.RETURNED
    with pytest.raises(ReviewRefused) as refused:
        act(demo_db, MANAGER, T2, A.VALIDATE)
    assert refused.value.reason is R.RETURNED_WAITING
    assert refused.value.state.status is S.RETURNED

    # a returned quarter is not locked: the correction is accepted
    assert send(demo_db, corrected_indicators("CABM", 2)).status == "accepted"
    assert current(demo_db, T2).status is S.RECEIVED
    assert act(demo_db, MANAGER, T2, A.VALIDATE).status is S.VALIDATED


def test_a_new_staff_version_alone_makes_a_returned_quarter_received(demo_db: Path):
    act(demo_db, MANAGER, T2, A.RETURN, "coût mensuel de S01 à vérifier")
    assert send(demo_db, corrected_staff("CABM", 2)).status == "accepted"
    state = current(demo_db, T2)
    assert (state.status, state.versions) == (S.RECEIVED, V(1, 2))


def test_a_convention_is_reviewed_and_locked_on_its_own(demo_db: Path):
    assert current(demo_db, CONVENTION).versions == V(1, None)
    act(demo_db, MANAGER, CONVENTION, A.VALIDATE, at=AT)
    act(demo_db, MANAGER, CONVENTION, A.LOCK, at=AT)
    assert current(demo_db, CONVENTION).status is S.LOCKED
    assert current(demo_db, T2).status is S.RECEIVED  # the quarters are other scopes

    before = dump(demo_db)
    outcome = send(demo_db, amended_convention("CABM"))
    assert outcome.status == "refused"
    assert outcome.problems[0].message.startswith(
        "convention verrouillée le 05/01/2026 à 09:30 par Dominique Leroy (2025 de CABM)"
    ), outcome.problems[0].message
    assert dump(demo_db) == before
    # the quarters of a locked convention still come in
    assert send(demo_db, corrected_indicators("CABM", 2)).status == "accepted"
    # another network head's convention is not locked
    assert send(demo_db, amended_convention("FEIAL")).status == "accepted"

    act(demo_db, MANAGER, CONVENTION, A.UNLOCK, "avenant signé")
    assert send(demo_db, amended_convention("CABM")).status == "accepted"
    assert current(demo_db, CONVENTION).versions == V(2, None)
    assert current(demo_db, CONVENTION).status is S.RECEIVED


def test_acts_on_what_was_never_received_are_refused(demo_db: Path):
    for scope in (Scope("CABM", 2024, 1), Scope("INCONNU", 2025, 2)):
        with pytest.raises(ReviewRefused) as refused:
            act(demo_db, MANAGER, scope, A.VALIDATE)
        assert refused.value.reason is R.NOTHING_RECEIVED
        assert refused.value.state.status is S.EXPECTED
    assert events(demo_db) == []


@pytest.mark.parametrize("viewer", [ANALYST, READER, CABM], ids=lambda v: v.role.value)
@pytest.mark.parametrize("action", list(ReviewAction), ids=lambda a: a.value)
def test_only_a_manager_may_act(demo_db: Path, viewer: Viewer, action: ReviewAction):
    if action is A.UNLOCK:  # something to unlock, so that only the role can be the reason of the refusal
        act(demo_db, MANAGER, T2, A.VALIDATE)
        act(demo_db, MANAGER, T2, A.LOCK)
    before = events(demo_db)
    with pytest.raises(AccessDenied, match=viewer.email):
        act(demo_db, viewer, T2, action, "motif")
    assert events(demo_db) == before


def test_review_states_are_those_of_the_viewer(demo_db: Path):
    act(demo_db, MANAGER, Scope("FEIAL", 2025, 1), A.VALIDATE)
    every = review_states(demo_db, MANAGER, 2025)
    heads = {s.scope.network_head for s in every}
    assert heads == {"CABM", "CETTI", "CHOPAL", "FEIAL", "ISARR", "URQLL"}
    assert len(every) == 6 * 5  # each network head: its convention and four quarters
    own = review_states(demo_db, CABM, 2025)
    assert {s.scope for s in own} == {Scope("CABM", 2025, q) for q in (None, 1, 2, 3, 4)}
    assert review_states(demo_db, CABM, 2025, ("FEIAL",)) == []


# --- comment threads ---


def comments(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select network_head, quarter, indicator, orientation, body, actor_name, actor_role from review_comments "
            "order by comment_id"
        ).fetchall()
    finally:
        con.close()


def test_a_manager_and_the_network_head_comment_its_quarter(demo_db: Path):
    add_comment(demo_db, MANAGER, T2, "Pouvez-vous préciser les formations du T2 ?")
    add_comment(demo_db, CABM, T2, "  Deux sessions ont été reportées en juillet.  ", "FORM", "PRO")
    assert comments(demo_db) == [
        ("CABM", 2, None, None, "Pouvez-vous préciser les formations du T2 ?", "Dominique Leroy", "gestionnaire"),
        ("CABM", 2, "FORM", "PRO", "Deux sessions ont été reportées en juillet.", "Camille Petit", "reseau"),
    ]


@pytest.mark.parametrize(
    ("viewer", "scope"),
    [
        (CABM, Scope("FEIAL", 2025, 2)),  # not its own network head
        (READER, T2),
        (ANALYST, T2),
    ],
    ids=["cabm-on-feial", "lecteur", "analyste"],
)
def test_who_may_not_comment(demo_db: Path, viewer: Viewer, scope: Scope):
    with pytest.raises(AccessDenied):
        add_comment(demo_db, viewer, scope, "un avis")
    assert comments(demo_db) == []


@pytest.mark.parametrize(
    ("body", "indicator", "orientation", "says"),
    [
        ("", None, None, "vide"),
        (" \n ", None, None, "vide"),
        ("x" * 2001, None, None, r"dépasse 2000 caractères \(2001\)"),
        ("sur une valeur", "FORM", None, "nomme son indicateur et son orientation"),
        ("sur une valeur", None, "PRO", "nomme son indicateur et son orientation"),
        ("sur une valeur", "XXXX", "PRO", "valeur inconnue"),
        ("sur une valeur", "FORM", "XXX", "valeur inconnue"),
    ],
)
def test_a_comment_that_cannot_be_written(
    demo_db: Path, body: str, indicator: str | None, orientation: str | None, says: str
):
    with pytest.raises(CommentRefused, match=says):
        add_comment(demo_db, MANAGER, T2, body, indicator, orientation)
    assert comments(demo_db) == []


def test_a_comment_of_exactly_2000_characters_is_kept_whole(demo_db: Path):
    body = ("Trimestre examiné. " * 200)[:2000]
    assert len(body) == 2000 and not body.endswith(" ")
    add_comment(demo_db, CABM, T2, body)
    [row] = comments(demo_db)
    assert row[4] == body


def test_threads_hold_comments_and_acts_in_order_and_each_sees_its_own(demo_db: Path):
    feial = Scope("FEIAL", 2025, 2)
    add_comment(demo_db, MANAGER, feial, "FEIAL : à revoir", at=AT)
    add_comment(demo_db, MANAGER, T2, "CABM : question", at=AT + timedelta(minutes=1))
    act(demo_db, MANAGER, T2, A.RETURN, "CABM : à corriger", at=AT + timedelta(minutes=2))
    add_comment(demo_db, CABM, T2, "CABM : réponse", "WEBI", "INT", at=AT + timedelta(minutes=3))
    # an act and a comment at the same second: the comment first (it explains the act)
    act(demo_db, MANAGER, feial, A.RETURN, "FEIAL : motif", at=AT + timedelta(minutes=4))
    add_comment(demo_db, MANAGER, feial, "FEIAL : même seconde", at=AT + timedelta(minutes=4))
    add_comment(demo_db, MANAGER, Scope("CABM", 2024, 1), "une autre année", at=AT)

    every = threads(demo_db, MANAGER, 2025)
    assert [(i.network_head, i.kind, i.body) for i in every] == [
        ("FEIAL", "commentaire", "FEIAL : à revoir"),
        ("CABM", "commentaire", "CABM : question"),
        ("CABM", "renvoyer", "CABM : à corriger"),
        ("CABM", "commentaire", "CABM : réponse"),
        ("FEIAL", "commentaire", "FEIAL : même seconde"),
        ("FEIAL", "renvoyer", "FEIAL : motif"),
    ]
    returned = every[2]
    assert (returned.author, returned.author_role, returned.versions, returned.quarter) == (
        "Dominique Leroy",
        "gestionnaire",
        V(1, 1),
        2,
    )
    assert (every[3].indicator, every[3].orientation, every[3].author) == ("WEBI", "INT", "Camille Petit")

    own = threads(demo_db, CABM, 2025)
    assert [i.body for i in own] == ["CABM : question", "CABM : à corriger", "CABM : réponse"]
    assert threads(demo_db, CABM, 2025, ("FEIAL",)) == []
    assert [i.body for i in threads(demo_db, MANAGER, 2025, ("FEIAL",))] == [
        "FEIAL : à revoir",
        "FEIAL : même seconde",
        "FEIAL : motif",
    ]
    assert [i.body for i in threads(demo_db, MANAGER, 2024)] == ["une autre année"]


# --- iaedash revue ---


def revue(db: Path, *args: str) -> list[str]:
    return ["revue", *args, "--db", str(db), "--annee", "2025"]


def test_cli_review_acts_and_their_refusals(demo_db: Path, capsys: pytest.CaptureFixture[str]):
    assert main(revue(demo_db, "valider", "--reseau", "cabm", "--trimestre", "2")) == 0
    out = capsys.readouterr()
    assert out.out.strip() == "Validation enregistrée pour le T2 2025 de CABM (v1, personnel v1)."
    assert out.err == ""
    assert events(demo_db)[-1] == ("CABM", 2, "valider", 1, 1, None, f"{getpass.getuser()} (ligne de commande)")

    assert main(revue(demo_db, "valider", "--reseau", "CABM", "--trimestre", "2")) == 1
    err = capsys.readouterr().err
    assert err.startswith("erreur : Le T2 2025 de CABM a déjà le statut « validé »"), err

    assert main(revue(demo_db, "renvoyer", "--reseau", "CABM", "--trimestre", "2")) == 1
    assert "erreur : Un motif est obligatoire pour cet acte" in capsys.readouterr().err
    assert len(events(demo_db)) == 1

    assert main(revue(demo_db, "renvoyer", "--reseau", "CABM", "--trimestre", "2", "--motif", "chiffres à revoir")) == 0
    assert capsys.readouterr().out.startswith("Renvoi pour correction enregistré pour le T2 2025 de CABM")
    assert main(revue(demo_db, "verrouiller", "--reseau", "CABM", "--trimestre", "2")) == 1
    assert "renvoyé pour correction" in capsys.readouterr().err

    assert main(revue(demo_db, "deverrouiller", "--reseau", "CABM", "--trimestre", "3", "--motif", "x")) == 1
    assert "Le T3 2025 de CABM n'est pas verrouillé (statut « reçu »)" in capsys.readouterr().err

    assert main(revue(demo_db, "valider", "--reseau", "CABM", "--convention")) == 0
    assert capsys.readouterr().out.strip() == "Validation enregistrée pour la convention 2025 de CABM (v1)."
    assert main(revue(demo_db, "verrouiller", "--reseau", "CABM", "--convention")) == 0
    assert capsys.readouterr().out.strip() == "Verrouillage enregistré pour la convention 2025 de CABM (v1)."

    assert main(revue(demo_db, "valider", "--reseau", "XYZ", "--trimestre", "1")) == 1
    assert "Rien n'a encore été reçu pour le T1 2025 de XYZ." in capsys.readouterr().err


def test_cli_review_without_a_database_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    missing = tmp_path / "absente.duckdb"
    assert main(revue(missing, "valider", "--reseau", "CABM", "--trimestre", "1")) == 2
    assert "aucune base à" in capsys.readouterr().err
    assert not missing.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["valider", "--reseau", "CABM"],  # neither a quarter nor the convention
        ["valider", "--reseau", "CABM", "--trimestre", "2", "--convention"],  # both
        ["valider", "--reseau", "CABM", "--trimestre", "5"],
        ["approuver", "--reseau", "CABM", "--trimestre", "2"],
    ],
)
def test_cli_review_usage_errors_are_exit_2(demo_db: Path, args: list[str], capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as stopped:
        main(revue(demo_db, *args))
    assert stopped.value.code == 2
    assert capsys.readouterr().err
    assert events(demo_db) == []


def test_the_revue_summary_counts_each_status_in_french_agreement():
    from iaedash.presenters.review import states_summary
    from iaedash.review import Scope, ScopeState

    def state(quarter: int, status: ReviewStatus) -> ScopeState:
        return ScopeState(Scope("CABM", 2025, quarter), Versions(1, 1), status, None)

    states = [state(1, ReviewStatus.RECEIVED), state(2, ReviewStatus.RECEIVED), state(3, ReviewStatus.LOCKED)]
    assert states_summary(states) == "**2** reçus à examiner · 0 validé · 0 à corriger · 1 verrouillé"
