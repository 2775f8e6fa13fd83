"""Short-lived DuckDB connections, so that the app and the CLI can work at the same time.

DuckDB lets one process hold a database file read-write, and then no other process
may open it at all; or several processes hold it read-only. iaedash therefore never
keeps a connection open: each read or import opens the file, works, and closes it
(tens of milliseconds). When the file is held by another process, the opener retries
for a bounded time (`IAEDASH_LOCK_TIMEOUT`, 30 s by default) and then says why.
Inside one process, a lock serialises connections: DuckDB refuses two connections
to the same file with different modes, and Streamlit serves sessions from threads.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

_PROCESS_LOCK = threading.RLock()
_RETRY_PAUSE = 0.05


class DatabaseBusyError(RuntimeError):
    """The database stayed locked by another program for longer than the wait allowed."""


class DatabaseMissingError(FileNotFoundError):
    """No database file at the path asked: run `iaedash init` or `iaedash demo` first."""


def lock_timeout() -> float:
    return float(os.environ.get("IAEDASH_LOCK_TIMEOUT", "30"))


def _is_lock_conflict(error: duckdb.Error) -> bool:
    text = str(error).lower()
    return "lock" in text or "different configuration" in text


@contextmanager
def connect(path: Path, *, read_only: bool, timeout: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open `path`, waiting a bounded time while another process holds it; always closes."""
    if read_only and not path.exists():
        raise DatabaseMissingError(str(path))
    wait = lock_timeout() if timeout is None else timeout
    deadline = time.monotonic() + wait
    with _PROCESS_LOCK:
        while True:
            try:
                con = duckdb.connect(str(path), read_only=read_only)
                break
            except (duckdb.IOException, duckdb.ConnectionException) as error:
                if not _is_lock_conflict(error) or time.monotonic() >= deadline:
                    if _is_lock_conflict(error):
                        raise DatabaseBusyError(
                            f"la base {path} est occupée par un autre programme depuis plus de "
                            f"{wait:g} s (une autre importation est peut-être en cours) ; réessayez".replace(".", ",")
                        ) from error
                    raise
                time.sleep(_RETRY_PAUSE)
        try:
            yield con
        finally:
            con.close()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Explicit BEGIN / COMMIT, ROLLBACK on any error: a `;` batch alone is not atomic in DuckDB."""
    con.begin()
    try:
        yield con
    except BaseException:
        con.rollback()
        raise
    con.commit()
