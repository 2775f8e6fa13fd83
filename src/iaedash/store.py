"""Whole-database operations shared by the CLI and the app: create, rebuild, status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

from iaedash import acts
from iaedash.calls import all_calls
from iaedash.db import queries as q
from iaedash.db.connection import connect
from iaedash.db.schema import apply_schema, ensure_schema, init_database
from iaedash.ingest import kept as kept_copies
from iaedash.ingest.ahead import Checked, checked_in_order
from iaedash.ingest.bulk import import_lot
from iaedash.ingest.load import ImportOutcome, IncomingFile, KeptName, import_files, parse_kept_file_name
from iaedash.settings import kept_files_dir


class RebuildError(RuntimeError):
    """A kept file did not import back as it did the first time: the database was left as it was."""


def init(db_path: Path) -> None:
    """Create an empty database with the schema and the reference codes."""
    init_database(db_path)


def upgrade(db_path: Path) -> None:
    """Bring an existing database to the current schema (a database of an earlier version gains the review
    and journal tables and the read macros); does nothing when it is current or absent."""
    if db_path.exists():
        with connect(db_path, read_only=False) as con:
            ensure_schema(con)


def kept_files(db_path: Path) -> list[Path]:
    """Accepted files as received, in import order."""
    folder = kept_files_dir(db_path)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if parse_kept_file_name(p.name))


def _remove_database(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + ".wal")):
        candidate.unlink(missing_ok=True)


def rebuild(db_path: Path) -> list[ImportOutcome]:
    """Recreate the database from the kept files alone, beside it, then swap it in.

    Review acts, comments, the journal's events and who imported each file are replayed from the acts file
    kept beside them (`depots/actes.jsonl`, see `iaedash.acts`).
    Every kept file goes through one connection to the new database, and one transaction for the files in a
    row (nothing of the new database counts before the swap; a file that no longer imports fails it all); a
    bulk file's `import_lot` opens its own connection inside it (same thread, same database, nothing
    reopened), after a commit so that it sees the files before it.
    The previous database is kept as `<name>.avant-reconstruction` until the next rebuild.
    Run it when nobody is importing: an import landing meanwhile would be kept but not rebuilt.
    """
    if db_path.exists() and kept_copies.partials(db_path):  # a killed import's partial copy: into place if
        # it committed, away if not (the live database is opened to write only then)
        with connect(db_path, read_only=False) as live:
            kept_copies.recover(db_path, live)
    if db_path.exists():  # an act committed by a process killed before writing it to the acts file
        with connect(db_path, read_only=True) as live:
            kept_copies.settle_acts(db_path, live, grace=timedelta(0))  # nobody writes during a rebuild
    scratch = db_path.with_name(db_path.name + ".reconstruction")
    _remove_database(scratch)
    demo = db_path.exists() and data_status(db_path).demo
    scratch.parent.mkdir(parents=True, exist_ok=True)
    outcomes = []
    try:
        with connect(scratch, read_only=False) as con:
            apply_schema(con)
            q.execute(con, "small_statements")
            if demo:
                q.execute(con, "mark_demo")
            con.begin()  # one transaction for the files in a row: a file that fails fails the whole rebuild
            kept = [(path, parse_kept_file_name(path.name)) for path in kept_files(db_path)]
            quarterly = [(name.original, path) for path, name in kept if not name.lot]
            with checked_in_order(quarterly, all_calls()) as checks:
                for path, name in kept:
                    if name.lot:
                        outcomes.append(_replay_lot(scratch, con, path, name))
                    else:
                        original, data, checked = next(checks)
                        file = IncomingFile(original, data)
                        outcomes.append(_replay(scratch, con, path, name, file, checked))
            acts.replay(db_path, con)
            con.commit()
            con.execute("checkpoint")
    except BaseException:
        _remove_database(scratch)
        raise
    if db_path.exists():
        backup = db_path.with_name(db_path.name + ".avant-reconstruction")
        _remove_database(backup)
        db_path.replace(backup)
    db_path.with_name(db_path.name + ".wal").unlink(missing_ok=True)
    scratch.replace(db_path)
    return outcomes


def _replay(
    scratch: Path, con: duckdb.DuckDBPyConnection, path: Path, kept: KeptName, file: IncomingFile, checked: Checked
) -> ImportOutcome:
    """One kept file into the new database, as it was imported the first time (same import number)."""
    [outcome] = import_files(
        scratch,
        [file],
        kept.received_on,
        imported_at=kept.imported_at,
        keep=False,
        con=con,
        in_transaction=True,
        checked=[checked],
    )
    return _same(path, kept, outcome)


def _replay_lot(scratch: Path, con: duckdb.DuckDBPyConnection, path: Path, kept: KeptName) -> ImportOutcome:
    """A kept bulk file, through `import_lot`: its own connection cannot see the rebuild's open transaction,
    so that is committed first; and the bulk file's set-based statements get DuckDB's thread pool back."""
    con.commit()
    q.execute(con, "large_statements")
    outcome = import_lot(scratch, path, kept.received_on, name=kept.original, imported_at=kept.imported_at, keep=False)
    q.execute(con, "small_statements")
    con.begin()
    return _same(path, kept, outcome)


def _same(path: Path, kept: KeptName, outcome: ImportOutcome) -> ImportOutcome:
    if outcome.status != "accepted" or outcome.import_id != kept.import_id:
        details = "; ".join(str(p) for p in outcome.problems) or outcome.message
        raise RebuildError(f"le fichier conservé {path.name} ne se réimporte pas à l'identique : {details}")
    return outcome


def network_head_names(db_path: Path) -> dict[str, str]:
    """Every network head known from a convention: code → name."""
    with connect(db_path, read_only=True) as con:
        return {
            r["code"]: r["name"] for r in q.fetch_records(con, "network_heads_all", {"allowed": None, "as_of": None})
        }


@dataclass(frozen=True)
class DataStatus:
    """How current the data are; `version` changes with every import, review act, comment or journal event
    (the cache key of the app's reads)."""

    imports: int
    last_imported_at: datetime | None
    version: str
    demo: bool


def file_signature(db_path: Path) -> tuple[int, ...]:
    """Size and modification time of the database file and its WAL: they change with every commit, so a
    reader knows without opening the database whether anything was written since it last looked."""
    out: list[int] = []
    for path in (db_path, db_path.with_name(db_path.name + ".wal")):
        try:
            info = path.stat()
        except FileNotFoundError:
            out += [-1, -1]
        else:
            out += [info.st_mtime_ns, info.st_size]
    return tuple(out)


def data_status(db_path: Path) -> DataStatus:
    with connect(db_path, read_only=True) as con:
        [row] = q.fetch_records(con, "data_status")
        [flag] = q.fetch_records(con, "is_demo")
    version = "-".join(str(row[k]) for k in ("last_import_id", "last_review_id", "last_comment_id", "last_journal_id"))
    return DataStatus(row["imports"], row["last_imported_at"], version, flag["demo"])
