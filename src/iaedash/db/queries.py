"""Run the named SQL files of db/sql/: one query per file, values only as bound parameters."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib.resources import files
from typing import Any

import duckdb
import pandas as pd

Params = Mapping[str, Any] | Sequence[Any] | None


@cache
def sql(name: str) -> str:
    """Text of db/sql/<name>.sql."""
    return files("iaedash.db").joinpath(f"sql/{name}.sql").read_text(encoding="utf-8")


def _bind(name: str, params: Params) -> Params:
    """A filtered query takes the parameters it names: pages pass the whole filter set."""
    if isinstance(params, Mapping):
        used = set(re.findall(r"\$(\w+)", sql(name)))
        return {k: v for k, v in params.items() if k in used}
    return params


def fetch_all(con: duckdb.DuckDBPyConnection, name: str, params: Params = None) -> list[tuple]:
    return con.execute(sql(name), _bind(name, params)).fetchall()


def fetch_one(con: duckdb.DuckDBPyConnection, name: str, params: Params = None) -> tuple | None:
    return con.execute(sql(name), _bind(name, params)).fetchone()


def fetch_records(con: duckdb.DuckDBPyConnection, name: str, params: Params = None) -> list[dict[str, Any]]:
    """Rows by column name, never by position: a column added to the query cannot shift the others."""
    cursor = con.execute(sql(name), _bind(name, params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def fetch_df(con: duckdb.DuckDBPyConnection, name: str, params: Params = None) -> pd.DataFrame:
    return con.execute(sql(name), _bind(name, params)).df()


def fetch_exact_df(con: duckdb.DuckDBPyConnection, name: str, params: Params = None) -> pd.DataFrame:
    """Like `fetch_df` but money stays Decimal (DuckDB's `.df()` turns DECIMAL into float64)."""
    cursor = con.execute(sql(name), _bind(name, params))
    rows = cursor.fetchall()
    return pd.DataFrame(rows, columns=[d[0] for d in cursor.description])


def execute(con: duckdb.DuckDBPyConnection, name: str, params: Params = None) -> None:
    con.execute(sql(name), _bind(name, params))


def execute_many(con: duckdb.DuckDBPyConnection, name: str, rows: Iterable[Sequence[Any]]) -> None:
    rows = list(rows)
    if rows:
        con.executemany(sql(name), rows)


def execute_over(
    con: duckdb.DuckDBPyConnection, name: str, relations: Mapping[str, Any], params: Params = None
) -> None:
    """Run a set-based statement over Arrow tables registered under the names its SQL reads (one insert for
    a whole table of rows, instead of one per row); they are unregistered afterwards."""
    for relation_name, relation in relations.items():
        con.register(relation_name, relation)
    try:
        con.execute(sql(name), _bind(name, params))
    finally:
        for relation_name in relations:
            con.unregister(relation_name)
