"""Short-lived DuckDB connections, so that the app and the CLI can work at the same time.

DuckDB lets one process hold a database file read-write, and then no other process
may open it at all; or several processes hold it read-only. iaedash therefore never
keeps a connection open: each read or import opens the file, works, and closes it
(tens of milliseconds). When the file is held by another process, the opener retries
for a bounded time (`IAEDASH_LOCK_TIMEOUT`, 30 s by default) and then says why.
Inside one process, a readers-writer lock lets the sessions' reads run side by side
(each with its own read-only connection: DuckDB runs them in parallel) and gives a
writer the file alone: DuckDB refuses two connections to one file with different
modes in one process, and Streamlit serves sessions from threads.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, closing, contextmanager
from pathlib import Path

import duckdb

_RETRY_PAUSE = 0.05


class _SharedLock:
    """Many readers or one writer; a waiting writer goes before new readers (an import is never starved by a
    busy room); the writing thread may open more connections of either mode (it holds the file alone)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer: int | None = None
        self._depth = 0
        self._waiting_writers = 0

    @contextmanager
    def hold(self, *, write: bool) -> Iterator[None]:
        me = threading.get_ident()
        with self._cond:
            if self._writer == me:
                self._depth += 1
                nested = True
            else:
                nested = False
                if write:
                    self._waiting_writers += 1
                    self._cond.wait_for(lambda: self._writer is None and self._readers == 0)
                    self._waiting_writers -= 1
                    self._writer, self._depth = me, 1
                else:
                    self._cond.wait_for(lambda: self._writer is None and self._waiting_writers == 0)
                    self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                if nested or write:
                    self._depth -= 1
                    if self._depth == 0:
                        self._writer = None
                else:
                    self._readers -= 1
                self._cond.notify_all()


_PROCESS_LOCK = _SharedLock()


class DatabaseBusyError(RuntimeError):
    """The database stayed locked by another program for longer than the wait allowed."""


class DatabaseMissingError(FileNotFoundError):
    """No database file at the path asked: run `iaedash init` or `iaedash demo` first."""


def lock_timeout() -> float:
    return float(os.environ.get("IAEDASH_LOCK_TIMEOUT", "30"))


def _is_lock_conflict(error: duckdb.Error) -> bool:
    text = str(error).lower()
    return "lock" in text or "different configuration" in text


def _open(path: Path, read_only: bool, timeout: float | None) -> duckdb.DuckDBPyConnection:
    wait = lock_timeout() if timeout is None else timeout
    deadline = time.monotonic() + wait
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except (duckdb.IOException, duckdb.ConnectionException) as error:
            if not _is_lock_conflict(error) or time.monotonic() >= deadline:
                if _is_lock_conflict(error):
                    raise DatabaseBusyError(
                        f"la base {path} est occupée par un autre programme depuis plus de "
                        f"{wait:g} s (une autre importation est peut-être en cours) ; réessayez".replace(".", ",")
                    ) from error
                raise
            time.sleep(_RETRY_PAUSE)


# One read-only connection shared by the reads of one thread inside `reads_shared` (a page's run).
_SHARED = threading.local()


@contextmanager
def reads_shared(path: Path) -> Iterator[None]:
    """Inside the block, this thread's reads of `path` share one read-only connection, opened at the first
    read that is not cached and closed at the end (a page's run opens the file once, not once per read). A
    write in the block closes it first: the writer must have the file alone."""
    _SHARED.path, _SHARED.stack = path.resolve(), None
    try:
        yield
    finally:
        _close_shared()
        _SHARED.path = None


def _close_shared() -> None:
    stack = getattr(_SHARED, "stack", None)
    _SHARED.stack = _SHARED.con = None
    if stack is not None:
        stack.close()


@contextmanager
def connect(path: Path, *, read_only: bool, timeout: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open `path`, waiting a bounded time while another process holds it; always closes."""
    if read_only and not path.exists():
        raise DatabaseMissingError(str(path))
    shared = getattr(_SHARED, "path", None) == path.resolve()
    if shared and read_only:
        if getattr(_SHARED, "stack", None) is None:
            stack = ExitStack()
            stack.enter_context(_PROCESS_LOCK.hold(write=False))
            _SHARED.con = stack.enter_context(closing(_open(path, True, timeout)))
            _SHARED.stack = stack
        cursor = _SHARED.con.cursor()
        try:
            yield cursor
        finally:
            cursor.close()
        return
    if shared:
        _close_shared()
    with _PROCESS_LOCK.hold(write=not read_only), closing(_open(path, read_only, timeout)) as con:
        yield con


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
