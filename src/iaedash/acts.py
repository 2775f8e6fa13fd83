"""The Département's acts in the app, kept beside the kept files: `depots/actes.jsonl`.

Review acts, comments, who imported each file and the journal's own events are not in any submission file,
yet `iaedash rebuild` must recreate the whole database from what is kept beside it. Each act is written in
its transaction, then — once committed — appended here as one JSON line, flushed to disk. A rebuild replays
the kept files, then these lines, in order.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from iaedash.settings import kept_files_dir

ACTS_FILE = "actes.jsonl"
# The tables whose rows are acts (and their columns, in the order of the table).
TABLES: dict[str, tuple[str, ...]] = {
    "import_authors": ("import_id", "actor_email", "actor_name", "actor_role"),
    "review_events": (
        "event_id", "network_head", "year", "quarter", "action", "main_version", "staff_version", "reason",
        "actor_email", "actor_name", "actor_role", "happened_at",
    ),
    "review_comments": (
        "comment_id", "network_head", "year", "quarter", "indicator", "orientation", "body", "actor_email",
        "actor_name", "actor_role", "happened_at",
    ),
    "journal_events": (
        "event_id", "happened_at", "action", "actor_email", "actor_name", "actor_role", "network_head", "year",
        "quarter", "detail",
    ),
}  # fmt: skip
_DATETIMES = {"happened_at"}


def acts_file(db_path: Path) -> Path:
    return kept_files_dir(db_path) / ACTS_FILE


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def last_row(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, Any]:
    """The row just inserted in `table` (ids are allocated max + 1 by the single writer)."""
    columns = TABLES[table]
    row = con.execute(f"select * from {table} order by {columns[0]} desc limit 1").fetchone()  # noqa: S608
    return dict(zip(columns, row, strict=True))


def append(db_path: Path, table: str, row: dict[str, Any]) -> None:
    """One committed act at the end of the acts file, on disk before returning."""
    path = acts_file(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"table": table, "row": {k: _plain(row[k]) for k in TABLES[table]}}, ensure_ascii=False)
    with path.open("a", encoding="utf-8") as out:
        out.write(line + "\n")
        out.flush()
        os.fsync(out.fileno())


def replay(db_path: Path, con: duckdb.DuckDBPyConnection) -> int:
    """Insert every kept act of `db_path`'s acts file into `con` (a rebuild's new database); returns the count."""
    path = acts_file(db_path)
    if not path.exists():
        return 0
    count = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        table, row = record["table"], record["row"]
        columns = TABLES[table]
        values = [datetime.fromisoformat(row[c]) if c in _DATETIMES and row[c] else row[c] for c in columns]
        placeholders = ", ".join("?" for _ in columns)
        con.execute(f"insert into {table} ({', '.join(columns)}) values ({placeholders})", values)  # noqa: S608
        count += 1
    return count
