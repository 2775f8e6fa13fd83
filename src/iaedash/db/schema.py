"""Create or upgrade the schema and its reference data; idempotent."""

from __future__ import annotations

import hashlib
from importlib.resources import files
from pathlib import Path

import duckdb

from iaedash.db.connection import connect, transaction
from iaedash.domain.reference import INDICATORS, ORIENTATIONS, TERRITORIES


def _schema_sql() -> str:
    """The tables and current_* views, then the marts that reads use (db/sql/marts.sql)."""
    folder = files("iaedash.db").joinpath("sql")
    return "\n".join(folder.joinpath(name).read_text(encoding="utf-8") for name in ("schema.sql", "marts.sql"))


# The version is the schema text's own hash: any change to schema.sql re-applies it on next open.
SCHEMA_VERSION = hashlib.sha256(_schema_sql().encode()).hexdigest()[:16]


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Tables, views and reference codes, in one transaction."""
    with transaction(con):
        con.execute(_schema_sql())
        con.execute("insert or replace into schema_info values ('schema_version', ?)", [SCHEMA_VERSION])
        con.executemany(
            "insert or replace into orientations values (?, ?, ?)",
            [(o.code, o.label, i) for i, o in enumerate(ORIENTATIONS)],
        )
        con.executemany(
            "insert or replace into territories values (?, ?, ?)",
            [(t.code, t.label, i) for i, t in enumerate(TERRITORIES)],
        )
        con.executemany(
            "insert or replace into indicators values (?, ?, ?, ?)",
            [(x.code, x.label, x.unit, i) for i, x in enumerate(INDICATORS)],
        )


def schema_version(con: duckdb.DuckDBPyConnection) -> str | None:
    """Version recorded in the database, None for an empty file."""
    found = con.execute(
        "select count(*) from duckdb_tables() where table_name = 'schema_info' and schema_name = 'main'"
    ).fetchone()[0]
    if not found:
        return None
    row = con.execute("select value from schema_info where key = 'schema_version'").fetchone()
    return row[0] if row else None


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Apply the schema only when the file does not have the current version (applying costs ~80 ms)."""
    if schema_version(con) != SCHEMA_VERSION:
        apply_schema(con)


def init_database(path: Path) -> None:
    """Create the database file (and its folder) with the schema, or bring it up to date."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with connect(path, read_only=False) as con:
        apply_schema(con)
