"""Short-lived DuckDB connections, so that the app and the CLI can work at the same time.

DuckDB lets one process hold a database file read-write, and then no other process
may open it at all; or several processes hold it read-only. iaedash therefore never
keeps a connection open: each read or import opens the file, works, and closes it
(tens of milliseconds). A batch of imports keeps one connection for the batch
(`writing`), and gives the file up between two files when a reader waits. When the
file is held by another process, the opener retries for a bounded time
(`IAEDASH_LOCK_TIMEOUT`, 30 s by default) and then says why.
Inside one process, a readers-writer lock lets the sessions' reads run side by side
(each with its own read-only connection: DuckDB runs them in parallel) and gives a
writer the file alone: DuckDB refuses two connections to one file with different
modes in one process, and Streamlit serves sessions from threads.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
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
        self._waiting_readers = 0

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
                    self._waiting_readers += 1
                    self._cond.wait_for(lambda: self._writer is None and self._waiting_writers == 0)
                    self._waiting_readers -= 1
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

    def nested_writer(self) -> bool:
        """Whether this thread holds the lock to write in an outer block too (letting go of an inner one
        would not free the file)."""
        with self._cond:
            return self._writer == threading.get_ident() and self._depth > 1

    def readers_waiting(self) -> bool:
        with self._cond:
            return self._waiting_readers > 0

    def let_readers_in(self, timeout: float) -> None:
        """After a writer let go: wait (bounded) until the readers that were waiting have started, or another
        writer queued (it goes first anyway). Returns at once when this thread still holds the lock."""
        with self._cond:
            if self._writer == threading.get_ident():
                return
            self._cond.wait_for(lambda: self._waiting_readers == 0 or self._waiting_writers > 0, timeout)


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


class WriteSession:
    """One read-write connection for a batch of writes (each in its own transaction), opened once: opening
    costs ~20 ms and closing ~30 ms (DuckDB checkpoints the WAL into the file when the last connection
    closes), more than writing a quarterly file. Between two writes, `turn()` gives the file up for a moment
    when someone else wants it, then opens it again: at once when a reader of this process is waiting (a
    page of the app), and after `HOLD_SECONDS` of holding for another process (it cannot ask; its opener
    retries every 50 ms, so the file is left free a little longer than that)."""

    HOLD_SECONDS = 5.0
    PAUSE_SECONDS = 3 * _RETRY_PAUSE
    READERS_WAIT = 2.0  # at most, for this process's waiting readers to start

    def __init__(
        self, path: Path, timeout: float | None, prepare: Callable[[duckdb.DuckDBPyConnection], None] | None = None
    ) -> None:
        self.path, self.timeout, self.prepare = path, timeout, prepare
        self._stack: ExitStack | None = None
        self._con: duckdb.DuckDBPyConnection | None = None
        self._since = 0.0
        self.turns = 0

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            self._open()
        return self._con

    def _open(self) -> None:
        stack = ExitStack()
        try:
            self._con = stack.enter_context(connect(self.path, read_only=False, timeout=self.timeout))
            if self.prepare is not None:  # at every opening: settings last as long as the database instance
                self.prepare(self._con)
        except BaseException:
            self._con = None
            stack.close()
            raise
        self._stack, self._since = stack, time.monotonic()

    def close(self) -> None:
        stack, self._stack, self._con = self._stack, None, None
        if stack is not None:
            stack.close()

    def turn(self) -> bool:
        """Between two writes (no transaction open): let a waiting reader of this process in, or another
        process after a long hold; the connection opens again at the next use. Returns whether it let go."""
        if self._con is None or _PROCESS_LOCK.nested_writer():
            return False
        if _PROCESS_LOCK.readers_waiting():
            self.close()
            _PROCESS_LOCK.let_readers_in(self.READERS_WAIT)
        elif time.monotonic() - self._since >= self.HOLD_SECONDS:
            self.close()
            time.sleep(self.PAUSE_SECONDS)
        else:
            return False
        self.turns += 1
        return True


@contextmanager
def writing(
    path: Path,
    *,
    timeout: float | None = None,
    prepare: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> Iterator[WriteSession]:
    """A `WriteSession` on `path`, closed at the end (one checkpoint for the whole batch); `prepare(con)` runs
    after each opening (schema, settings)."""
    session = WriteSession(path, timeout, prepare)
    try:
        yield session
    finally:
        session.close()


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
