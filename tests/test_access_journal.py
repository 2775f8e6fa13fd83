"""The journal (who did what and when), the `commentaires` export, and the rebuild that keeps the acts.

Refused files and refused access are journaled; a dry run is not; only a gestionnaire reads the journal.
A rebuild gives back every act — review, comment, journal event, import author — from `depots/actes.jsonl`.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from pathlib import Path

import demo_truth as truth
import duckdb
import pytest
from db_dump import dump, files_under
from helpers_review import corrected_indicators
from viewers import ANALYST, CABM, MANAGER, READER

from iaedash import store
from iaedash.acts import acts_file
from iaedash.domain.access import AccessDenied, Viewer
from iaedash.domain.review import ReviewAction
from iaedash.exports import build, render
from iaedash.filters import Filters
from iaedash.ingest.load import IncomingFile, import_files
from iaedash.journal import JournalAction, JournalFilter, entries, record
from iaedash.review import Scope, act, add_comment

BAD = IncomingFile(
    "CABM_2025_T5_indicateurs.csv",
    b"reseau;annee;trimestre;orientation;indicateur;valeur\r\nCABM;2025;T5;PRO;FORM;1\r\n",
)
T2 = Scope("CABM", 2025, 2)
DEMO_AUTHOR = "démonstration (ligne de commande)"


# A time after every demo import (those are stamped `now` when the session builds the demo database).
BASE = datetime.now().replace(microsecond=0) + timedelta(days=1)


def later(minutes: int) -> datetime:
    return BASE + timedelta(minutes=minutes)


def full_dump(db: Path) -> dict[str, list[tuple]]:
    """Every table, the journal's own events included."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [r[0] for r in con.execute("select table_name from duckdb_tables() order by 1").fetchall()]
        return {t: con.execute(f'select * from "{t}" order by all').fetchall() for t in tables}
    finally:
        con.close()


def journal_rows(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select action, actor_email, actor_role, detail from journal_events order by event_id"
        ).fetchall()
    finally:
        con.close()


# --- refusals in the journal ---


def test_a_refused_file_is_journaled_with_its_name_and_nothing_else_changes(demo_db: Path):
    before, kept = dump(demo_db), files_under(demo_db.parent / "depots")
    [outcome] = import_files(demo_db, [BAD], date(2025, 4, 20), viewer=MANAGER)
    assert outcome.status == "refused"
    assert dump(demo_db) == before and files_under(demo_db.parent / "depots") == kept

    journal = entries(demo_db, MANAGER, JournalFilter(actions=(JournalAction.IMPORT_REFUSED.value,)))
    [entry] = journal.to_dict("records")
    assert entry["action"] == "import_refuse"
    assert entry["detail"].startswith("CABM_2025_T5_indicateurs.csv : ")
    assert outcome.problems[0].message in entry["detail"]
    assert (entry["actor_email"], entry["actor_name"], entry["actor_role"]) == (
        MANAGER.email,
        MANAGER.name,
        "gestionnaire",
    )


def test_a_refusal_names_who_sent_the_file(demo_db: Path):
    import_files(demo_db, [corrected_indicators("FEIAL", 2)], date(2025, 9, 1), viewer=CABM)
    [row] = journal_rows(demo_db)
    assert row[:3] == ("import_refuse", CABM.email, "reseau")
    assert "FEIAL" in row[3] and "CABM" in row[3]


def test_a_dry_run_is_not_journaled(demo_db: Path):
    before = full_dump(demo_db)
    [outcome] = import_files(demo_db, [BAD], date(2025, 4, 20), viewer=MANAGER, dry_run=True)
    assert outcome.status == "refused"
    assert full_dump(demo_db) == before
    assert entries(demo_db, MANAGER, JournalFilter(actions=("import_refuse",))).empty


def test_refused_access_is_journaled(demo_db: Path):
    record(demo_db, None, JournalAction.ACCESS_REFUSED, "accès non autorisé", email="intrus@ailleurs.fr")
    record(demo_db, READER, JournalAction.ACCESS_REFUSED, "page Journal demandée")
    journal = entries(demo_db, MANAGER, JournalFilter(actions=("acces_refuse",)))
    assert sorted(
        zip(journal["actor_email"], journal["actor_name"], journal["actor_role"], journal["detail"], strict=True)
    ) == [
        ("intrus@ailleurs.fr", "intrus@ailleurs.fr", "aucun", "accès non autorisé"),
        (READER.email, READER.name, "lecteur", "page Journal demandée"),
    ]


@pytest.mark.parametrize("action", [JournalAction.IMPORT, JournalAction.VALIDATE, JournalAction.COMMENT])
def test_the_journal_records_only_its_own_events(demo_db: Path, action: JournalAction):
    with pytest.raises(ValueError, match="recorded by its own table"):
        record(demo_db, MANAGER, action, "x")
    assert journal_rows(demo_db) == []


@pytest.mark.parametrize("viewer", [ANALYST, READER, CABM], ids=lambda v: v.role.value)
def test_only_a_manager_reads_the_journal(demo_db: Path, viewer: Viewer):
    with pytest.raises(AccessDenied, match="lire le journal"):
        entries(demo_db, viewer)


# --- the journal view ---


def test_the_journal_lists_imports_acts_and_comments_in_time_order(demo_db: Path):
    act(demo_db, MANAGER, T2, ReviewAction.VALIDATE, at=later(1))
    add_comment(demo_db, CABM, T2, "Merci pour la validation.", at=later(2))
    act(demo_db, MANAGER, T2, ReviewAction.LOCK, at=later(3))
    record(demo_db, None, JournalAction.ACCESS_REFUSED, "accès non autorisé", email="x@y.fr", at=later(4))
    act(demo_db, MANAGER, T2, ReviewAction.UNLOCK, "erreur de saisie", at=later(5))

    journal = entries(demo_db, MANAGER)
    imports = journal[journal["action"] == "import"]
    assert len(imports) == len(truth.manifest())
    assert set(imports["actor_name"]) == {DEMO_AUTHOR}
    names = {d.split(" : ")[0] for d in imports["detail"]}
    assert names == {path.name for path, _ in truth.manifest()}
    assert imports["import_id"].notna().all()

    newest = journal.head(5)
    assert list(zip(newest["action"], newest["actor_name"], strict=True)) == [
        ("deverrouiller", MANAGER.name),
        ("acces_refuse", "x@y.fr"),
        ("verrouiller", MANAGER.name),
        ("commentaire", CABM.name),
        ("valider", MANAGER.name),
    ]
    assert list(newest["happened_at"]) == [later(m) for m in (5, 4, 3, 2, 1)]
    assert newest.iloc[0]["detail"] == "v1, personnel v1 : erreur de saisie"
    assert newest.iloc[3]["detail"] == "Merci pour la validation."
    assert (newest.iloc[0]["network_head"], newest.iloc[0]["year"], newest.iloc[0]["quarter"]) == ("CABM", 2025, 2)
    stamps = list(journal["happened_at"])
    assert stamps == sorted(stamps, reverse=True)  # newest first, all the way down

    by_actor = entries(demo_db, MANAGER, JournalFilter(actor="camille"))
    assert list(by_actor["action"]) == ["commentaire"]
    feial = entries(demo_db, MANAGER, JournalFilter(network_heads=("FEIAL",)))
    assert set(feial["network_head"]) == {"FEIAL"}
    assert len(feial) == sum(1 for _, heads in _files_heads() if heads == {"FEIAL"})
    window = entries(demo_db, MANAGER, JournalFilter(since=later(1).date(), until=later(5).date()))
    assert len(window) == 5


def _files_heads() -> list[tuple[str, set[str]]]:
    """(file name, network head of its first scope) of every demo file; the journal keys an import by it."""
    out = []
    for path, _ in truth.manifest():
        for kind, rows in truth._sheets(path).items():
            if kind != "conventions":
                out.append((path.name, {rows[0]["reseau"]}))
                break
    return out


# --- the comments export ---


def test_the_comments_export_holds_file_comments_threads_and_reasons(demo_db: Path):
    sent = sum(
        1
        for (kind, _head, _q), rows in truth.current_sheets().items()
        if kind == "indicateurs"
        for r in rows
        if (r.get("commentaire") or "").strip() not in ("", "None")
    )
    assert sent > 0
    add_comment(demo_db, MANAGER, T2, '=HYPERLINK("http://exemple.invalid")', at=later(1))
    add_comment(demo_db, CABM, T2, "@SOMME(A1:A3)", "FORM", "PRO", at=later(2))
    act(demo_db, MANAGER, T2, ReviewAction.RETURN, "FORM à revoir", at=later(3))
    act(demo_db, MANAGER, Scope("FEIAL", 2025, 1), ReviewAction.VALIDATE, at=later(4))  # no reason: not a comment
    add_comment(demo_db, MANAGER, Scope("CABM", 2024, 1), "autre année", at=later(5))

    frame = build(demo_db, MANAGER, "commentaires", Filters(2025))
    assert list(frame.columns) == [
        "reseau", "annee", "trimestre", "indicateur", "orientation", "source", "auteur", "role", "date", "texte",
    ]  # fmt: skip
    assert (frame["source"] == "dépôt").sum() == sent
    tail = frame.tail(3)
    assert list(zip(tail["source"], tail["auteur"], tail["texte"], strict=True)) == [
        ("fil de suivi", MANAGER.name, '=HYPERLINK("http://exemple.invalid")'),
        ("fil de suivi", CABM.name, "@SOMME(A1:A3)"),
        ("motif de renvoi", MANAGER.name, "FORM à revoir"),
    ]
    assert len(frame) == sent + 3
    assert set(frame["annee"]) == {2025}

    # CABM's part only, for a filter on CABM
    cabm = build(demo_db, ANALYST, "commentaires", Filters(2025, network_heads=("CABM",)))
    files_cabm = sum(
        1
        for (kind, head, _q), rows in truth.current_sheets().items()
        if kind == "indicateurs" and head == "CABM"
        for r in rows
        if (r.get("commentaire") or "").strip() not in ("", "None")
    )
    assert len(cabm) == files_cabm + 3

    text = render(frame, "commentaires", "csv").decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]
    assert '\'=HYPERLINK("http://exemple.invalid")' in cells
    assert "'@SOMME(A1:A3)" in cells
    assert not any(cell.startswith(("=", "@")) for cell in cells)


def test_a_formula_sent_in_a_file_comment_is_neutralised_too(demo_db: Path):
    incoming = corrected_indicators("CABM", 3, comment="=1+1")
    [outcome] = import_files(demo_db, [incoming], date(2025, 10, 20), viewer=MANAGER)
    assert outcome.status == "accepted", [str(p) for p in outcome.problems]
    frame = build(demo_db, MANAGER, "commentaires", Filters(2025, network_heads=("CABM",)))
    assert "=1+1" in set(frame["texte"])
    text = render(frame, "commentaires", "csv").decode("utf-8-sig")
    assert ";'=1+1" in text and ";=1+1" not in text


# --- rebuild keeps the acts ---


def _acts(demo_db: Path) -> None:
    """One of each kind of act, as the app and the CLI make them."""
    act(demo_db, MANAGER, T2, ReviewAction.VALIDATE, at=later(1))
    act(demo_db, MANAGER, T2, ReviewAction.LOCK, at=later(2))
    act(demo_db, MANAGER, T2, ReviewAction.UNLOCK, "motif de test", at=later(3))
    add_comment(demo_db, CABM, T2, "un commentaire", "WEBI", "INT", at=later(4))
    add_comment(demo_db, MANAGER, Scope("FEIAL", 2025, None), "sur la convention", at=later(5))
    record(demo_db, None, JournalAction.ACCESS_REFUSED, "accès non autorisé", email="x@y.fr", at=later(6))
    import_files(demo_db, [BAD], date(2025, 4, 20), viewer=MANAGER)  # a refused file: a journal event
    [outcome] = import_files(demo_db, [corrected_indicators("CABM", 2)], date(2025, 9, 1), viewer=CABM)
    assert outcome.status == "accepted"


def test_rebuild_gives_back_every_act(demo_db: Path):
    _acts(demo_db)
    before = full_dump(demo_db)
    for table in ("review_events", "review_comments", "journal_events", "import_authors"):
        assert before[table], table
    acts_before = acts_file(demo_db).read_bytes()
    store.rebuild(demo_db)
    assert full_dump(demo_db) == before
    assert acts_file(demo_db).read_bytes() == acts_before  # a rebuild replays the acts, never adds to them
    # and the author of the network head's upload is still CABM's
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        last = con.execute(
            "select actor_name, actor_role from import_authors order by import_id desc limit 1"
        ).fetchone()
    finally:
        con.close()
    assert last == (CABM.name, "reseau")


def test_rebuild_after_the_database_is_lost_replays_the_acts(demo_db: Path):
    _acts(demo_db)
    before = full_dump(demo_db)
    demo_db.unlink()
    demo_db.with_name(demo_db.name + ".wal").unlink(missing_ok=True)
    store.rebuild(demo_db)
    after = full_dump(demo_db)
    before.pop("schema_info"), after.pop("schema_info")  # the demo marker is not in the files
    assert after == before
    # the locks and returns hold after a rebuild: the state is derived from the replayed acts
    rebuilt = entries(demo_db, MANAGER, JournalFilter(actions=("deverrouiller",)))
    assert list(rebuilt["detail"]) == ["v1, personnel v1 : motif de test"]
