"""Check files in another process while this one writes them: `rebuild` of many kept files.

Reading and checking a file is pure Python (openpyxl, the cell parsers) and holds the GIL; writing it is
mostly DuckDB, which lets go of it. A second process checks the next files while this one writes the current
one, so on two cores the checks come almost free. Starting it costs ~0.3 s: only for long runs.

The second process is `python -m iaedash.ingest.ahead`, fed through its standard input and answering through
its standard output (pickles between two processes of ours): nothing of the caller's program is run again
in it, as `multiprocessing`'s spawn would do with a main script. The checks are the same function either
way (`check_file`), with the calls of the caller.
"""

from __future__ import annotations

import hashlib
import pickle
import subprocess
import sys
import threading
import traceback
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from iaedash.domain.calls import Call
from iaedash.ingest.check import CheckedTable, check_table
from iaedash.ingest.problems import Problem
from iaedash.ingest.read import UnreadableFile, read_file

MIN_FILES = 100  # fewer files are checked here, one by one: the second process would cost more than it gives

Checked = list[CheckedTable] | list[Problem]


def check_file(name: str, data: bytes, calls: Mapping[int, Call]) -> Checked:
    """A file's tables, each checked; or the one problem that stops it being read at all."""
    try:
        tables = read_file(name, data)
    except UnreadableFile as error:
        return [error.problem]
    return [check_table(table, calls) for table in tables]


class CheckerFailed(RuntimeError):
    """The checking process failed on a file, or stopped: what it said is the message."""


def _feed(stream: IO[bytes], calls: Mapping[int, Call], files: Sequence[tuple[str, Path]]) -> None:
    try:
        pickle.dump(dict(calls), stream)
        for name, path in files:
            pickle.dump((name, str(path)), stream)
        pickle.dump(None, stream)
        stream.close()
    except (BrokenPipeError, ValueError):  # the checker stopped (or was stopped): the reader says why
        pass


def _answers(
    stdout: IO[bytes], files: Sequence[tuple[str, Path]], calls: Mapping[int, Call]
) -> Iterator[tuple[str, bytes, Checked]]:
    for name, path in files:
        try:
            status, value = pickle.load(stdout)
        except EOFError:
            raise CheckerFailed("le processus de vérification s'est arrêté") from None
        if status != "ok":
            raise CheckerFailed(value)
        sha, checked = value
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != sha:  # changed between the two reads: checked again, here
            checked = check_file(name, data, calls)
        yield name, data, checked


@contextmanager
def checked_in_order(
    files: Sequence[tuple[str, Path]], calls: Mapping[int, Call]
) -> Iterator[Iterator[tuple[str, bytes, Checked]]]:
    """(name, bytes, checks) of each file (name as sent, path), in their order: checked ahead in another
    process when there are `MIN_FILES` or more, here otherwise. The bytes are read here, so that what is
    imported is what was checked (the other process's reading is compared by its SHA-256). The other process
    runs at most a few files ahead (its answers wait in a pipe); leaving the block early stops it."""
    if len(files) < MIN_FILES:
        yield ((name, data, check_file(name, data, calls)) for name, data in ((n, p.read_bytes()) for n, p in files))
        return
    proc = subprocess.Popen(
        [sys.executable, "-m", "iaedash.ingest.ahead"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    feeder = threading.Thread(target=_feed, args=(proc.stdin, calls, files), daemon=True)
    feeder.start()
    try:
        yield _answers(proc.stdout, files, calls)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        proc.stdout.close()
        feeder.join()


def _serve(stdin: IO[bytes], stdout: IO[bytes]) -> None:
    calls = pickle.load(stdin)
    while (item := pickle.load(stdin)) is not None:
        name, path = item
        answer: tuple[str, Any]
        try:
            data = Path(path).read_bytes()
            answer = ("ok", (hashlib.sha256(data).hexdigest(), check_file(name, data, calls)))
        except Exception:  # said to the caller, who stops
            answer = ("error", f"{name} : {traceback.format_exc(limit=5)}")
        pickle.dump(answer, stdout)
        stdout.flush()


if __name__ == "__main__":
    _serve(sys.stdin.buffer, sys.stdout.buffer)
