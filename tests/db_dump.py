"""Whole content of a database, table by table, to prove that a refused file changed nothing.

The journal's own events (a refused file, a refused sign-in) are left out: recording a refusal is what a
refusal must do (tests/test_access_journal.py checks it), and it changes nothing of what was declared.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

JOURNAL_ONLY = "journal_events"


def dump(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [r[0] for r in con.execute("select table_name from duckdb_tables() order by 1").fetchall()]
        return {t: con.execute(f'select * from "{t}" order by all').fetchall() for t in tables if t != JOURNAL_ONLY}
    finally:
        con.close()


def files_under(folder: Path) -> dict[str, bytes]:
    """Kept files by name; the acts file without its journal events."""
    if not folder.exists():
        return {}
    out = {}
    for p in sorted(folder.glob("*")):
        data = p.read_bytes()
        if p.name == "actes.jsonl":
            lines = [line for line in data.decode().splitlines() if json.loads(line)["table"] != JOURNAL_ONLY]
            data = "\n".join(lines).encode()
        out[p.name] = data
    return out
