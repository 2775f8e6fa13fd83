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
import os
import pickle
import queue
import resource
import subprocess
import sys
import threading
import time
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


# -- the app's uploads: checked in a process of their own, bounded in time and memory ---------------------

CHECK_SECONDS = 30  # one uploaded file's reading and checks, at most (IAEDASH_CHECK_SECONDS overrides it)
CHECK_MEMORY_MB = 1_500  # the checking process's address space, at most (IAEDASH_CHECK_MEMORY_MB overrides it)
_SLEEP_VARIABLE = "IAEDASH_CHECK_SLEEP"  # tests only: the checking process waits this long before each file


def _check_seconds() -> float:
    return float(os.environ.get("IAEDASH_CHECK_SECONDS", CHECK_SECONDS))


def _check_memory_mb() -> int:
    return int(os.environ.get("IAEDASH_CHECK_MEMORY_MB", CHECK_MEMORY_MB))


def _too_slow(name: str, seconds: float) -> list[Problem]:
    shown = f"{seconds:g}".replace(".", ",")
    return [
        Problem(
            name,
            f"la vérification de ce fichier a dépassé {shown} s, la limite d'un dépôt : rien n'en a été importé ; "
            "envoyez le seul tableau du trimestre (un fichier réel se vérifie en moins d'une seconde)",
        )
    ]


def _too_big(name: str) -> list[Problem]:
    return [
        Problem(
            name,
            f"la vérification de ce fichier a dépassé {_check_memory_mb()} Mo de mémoire, la limite d'un dépôt : rien "
            "n'en a été importé ; envoyez le seul tableau du trimestre",
        )
    ]


def check_isolated(files: Sequence[tuple[str, bytes]], calls: Mapping[int, Call]) -> list[Checked]:
    """The checks of uploaded files (name, bytes), made in another process: a hostile file can take neither
    the server's interpreter (the page's thread waits on a pipe, which lets the other sessions run) nor its
    memory; past `CHECK_SECONDS` or `CHECK_MEMORY_MB` the file is refused in French and the process
    replaced for the files after it. One process per upload (~0.3 s to start), not a pool: uploads are rare."""
    seconds = _check_seconds()
    results: list[Checked] = []
    pending = list(files)
    while pending:
        proc = subprocess.Popen(
            [sys.executable, "-m", "iaedash.ingest.ahead", "--isolated"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        answers: queue.Queue[Any] = queue.Queue()
        reader = threading.Thread(target=_read_answers, args=(proc.stdout, answers), daemon=True)
        reader.start()
        try:
            pickle.dump(dict(calls), proc.stdin)
            while pending:
                name, data = pending[0]
                pickle.dump((name, data), proc.stdin)
                proc.stdin.flush()
                try:
                    answer = answers.get(timeout=seconds)
                except queue.Empty:
                    results.append(_too_slow(name, seconds))
                    pending.pop(0)
                    break
                pending.pop(0)
                if answer is None:  # the process died: out of its memory
                    results.append(_too_big(name))
                    break
                status, value = answer
                results.append(value if status == "ok" else [Problem(name, value)])
        except (BrokenPipeError, OSError):
            if len(results) < len(files) - len(pending):
                results.append(_too_big(files[len(results)][0]))
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            proc.stdin.close()
            reader.join()
            proc.stdout.close()
    return results


def _read_answers(stdout: IO[bytes], answers: queue.Queue[Any]) -> None:
    try:
        while True:
            answers.put(pickle.load(stdout))
    except (EOFError, OSError, pickle.UnpicklingError):
        answers.put(None)


def _serve_isolated(stdin: IO[bytes], stdout: IO[bytes]) -> None:
    limit = _check_memory_mb() * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    calls = pickle.load(stdin)
    while True:
        try:
            name, data = pickle.load(stdin)
        except EOFError:
            return
        if os.environ.get(_SLEEP_VARIABLE):
            time.sleep(float(os.environ[_SLEEP_VARIABLE]))
        try:
            answer: tuple[str, Any] = ("ok", check_file(name, data, calls))
        except MemoryError:
            sys.exit(3)
        except Exception:
            traceback.print_exc(file=sys.stderr)  # the server's error output: the maintainer's log
            answer = ("error", UNEXPECTED_CHECK)
        pickle.dump(answer, stdout)
        stdout.flush()


UNEXPECTED_CHECK = (
    "erreur inattendue pendant la vérification de ce fichier : rien n'en a été importé ; le détail est dans la "
    "sortie d'erreur du serveur : signalez-le au responsable d'iaedash"
)


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
    if "--isolated" in sys.argv:
        _serve_isolated(sys.stdin.buffer, sys.stdout.buffer)
    else:
        _serve(sys.stdin.buffer, sys.stdout.buffer)
