"""Files checked in another process: ahead of `rebuild`'s writes, and bounded for the app's uploads.

Reading and checking a file is pure Python (the readers, the cell parsers) and holds the GIL; writing it is
mostly DuckDB, which lets go of it. For `rebuild` of many kept files (`checked_in_order`), a second process
checks the next files while this one writes the current one, so on two cores the checks come almost free.
For the app (`check_isolated`), a file uploaded from outside is read and checked in a process of its own,
bounded in wall time and address space, so that a hostile one can neither hold the server's interpreter
(every session is served by it) nor take its memory.

The second process is `python -m iaedash.ingest.ahead`, fed through its standard input and answering through
its standard output (pickles between two processes of ours): nothing of the caller's program is run again
in it, as `multiprocessing`'s spawn would do with a main script (Streamlit's, here). The checks are the same
function either way (`check_file`), with the calls of the caller.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import queue
import resource
import signal
import subprocess
import sys
import threading
import traceback
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from iaedash.domain.calls import Call
from iaedash.ingest.check import CheckedTable, check_table
from iaedash.ingest.limits import shown_count
from iaedash.ingest.problems import Problem
from iaedash.ingest.read import UnreadableFile, read_file

log = logging.getLogger(__name__)

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
CHECK_MEMORY_MB = 1_000  # the checking process's address space, at most (IAEDASH_CHECK_MEMORY_MB overrides it)
_EXIT_OUT_OF_MEMORY = 3


@dataclass(frozen=True)
class Bounds:
    """What checking one uploaded file may cost: wall time (the process's start included for the first
    file) and address space of the checking process."""

    seconds: float = CHECK_SECONDS
    memory_mb: int = CHECK_MEMORY_MB

    @classmethod
    def from_environment(cls) -> Bounds:
        """The defaults, or $IAEDASH_CHECK_SECONDS / $IAEDASH_CHECK_MEMORY_MB (tests, a slower server)."""
        return cls(
            float(os.environ.get("IAEDASH_CHECK_SECONDS", CHECK_SECONDS)),
            int(os.environ.get("IAEDASH_CHECK_MEMORY_MB", CHECK_MEMORY_MB)),
        )


def _shown(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def too_slow(name: str, bounds: Bounds) -> Problem:
    return Problem(
        name,
        f"la vérification de ce fichier a dépassé {_shown(bounds.seconds)} s, la limite d'un dépôt : rien n'en a "
        "été importé ; un tableau trimestriel se vérifie en quelques secondes : déposez le seul tableau du "
        "trimestre, enregistré en CSV UTF-8 ou en .xlsx depuis le modèle",
    )


def too_big(name: str, bounds: Bounds) -> Problem:
    return Problem(
        name,
        f"la vérification de ce fichier a dépassé {shown_count(bounds.memory_mb)} Mo de mémoire, la limite d'un "
        "dépôt : rien n'en a été importé ; déposez le seul tableau du trimestre, enregistré en CSV UTF-8 ou en "
        ".xlsx depuis le modèle",
    )


UNEXPECTED_CHECK = (
    "erreur inattendue pendant la vérification de ce fichier : rien n'en a été importé ; le détail est dans la "
    "sortie d'erreur du serveur : signalez-le au responsable d'iaedash"
)


def check_isolated(
    files: Sequence[tuple[str, bytes]], calls: Mapping[int, Call], bounds: Bounds | None = None
) -> list[Checked]:
    """The checks of uploaded files (name, bytes), result i about file i, made in another process: a hostile
    file takes neither the server's interpreter (this thread waits on a pipe, which lets the other sessions
    run) nor its memory. A file past a bound is refused in French, its process killed, and a fresh one
    checks the files after it. One process per upload (~0.1 s to start), not a long-lived worker: uploads
    are a few a day, and a fresh process shares nothing with another session's upload nor with the last
    file's heap."""
    bounds = bounds or Bounds.from_environment()
    results: list[Checked] = []
    while len(results) < len(files):
        results += _check_in_one_process(files[len(results) :], calls, bounds)
    return results


def _check_in_one_process(
    files: Sequence[tuple[str, bytes]], calls: Mapping[int, Call], bounds: Bounds
) -> list[Checked]:
    """The checks of `files` in their order, by one new process, until one of them fails it: that file's
    refusal is then the last result (so each process settles at least one file)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "iaedash.ingest.ahead", "--upload", str(bounds.memory_mb)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    answers: queue.Queue[tuple[str, Any] | None] = queue.Queue()
    feeder = threading.Thread(target=_feed_uploads, args=(proc.stdin, calls, files), daemon=True)
    reader = threading.Thread(target=_read_answers, args=(proc.stdout, answers), daemon=True)
    feeder.start()
    reader.start()
    results: list[Checked] = []
    try:
        for name, _data in files:
            try:
                answer = answers.get(timeout=bounds.seconds)
            except queue.Empty:
                results.append([too_slow(name, bounds)])
                break
            if answer is None or answer[0] == "memory":
                results.append(
                    [_out_of_memory_or_died(proc, name, bounds) if answer is None else too_big(name, bounds)]
                )
                break
            status, value = answer
            results.append(value if status == "ok" else [Problem(name, UNEXPECTED_CHECK)])
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        feeder.join()
        reader.join()
        proc.stdout.close()
    return results


def _out_of_memory_or_died(proc: subprocess.Popen[bytes], name: str, bounds: Bounds) -> Problem:
    """A checker gone without a word: past its memory (its own exit code, or the kernel's SIGKILL), or
    something else — then said as unexpected, for the maintainer to look at."""
    try:
        code = proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        code = None
    if code in (_EXIT_OUT_OF_MEMORY, -signal.SIGKILL):
        return too_big(name, bounds)
    log.error("vérification de %r : le processus de vérification s'est arrêté (code %s)", name, code)
    return Problem(name, UNEXPECTED_CHECK)


def _feed_uploads(stdin: IO[bytes], calls: Mapping[int, Call], files: Sequence[tuple[str, bytes]]) -> None:
    """Everything to check, written from a thread of its own: a checker that stops reading (busy, stuck,
    killed) can never block the caller."""
    try:
        pickle.dump(dict(calls), stdin)
        for item in files:
            pickle.dump(tuple(item), stdin)
        pickle.dump(None, stdin)
        stdin.close()
    except (BrokenPipeError, ValueError, OSError):  # the checker stopped, or was stopped
        pass


def _read_answers(stdout: IO[bytes], answers: queue.Queue[tuple[str, Any] | None]) -> None:
    """Each answer as it comes; None once the process has closed its output (ended or died)."""
    try:
        while True:
            answers.put(pickle.load(stdout))
    except (EOFError, OSError, pickle.UnpicklingError):
        answers.put(None)


def _near_memory_limit(limit: int) -> bool:
    """Whether this process's address space came close to its limit: some C code fails an allocation with
    another error than MemoryError (« error return without exception set »), and it is still the bound."""
    status = Path("/proc/self/status").read_text(encoding="ascii").splitlines()
    peak = next((int(line.split()[1]) * 1024 for line in status if line.startswith("VmPeak:")), 0)
    return peak > 0.9 * limit


def _serve_uploads(stdin: IO[bytes], stdout: IO[bytes], memory_mb: int) -> None:
    """The checking process of an upload: bounded before it reads a byte; « memory » and out at its bound."""
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        calls = pickle.load(stdin)
        while (item := pickle.load(stdin)) is not None:
            name, data = item
            answer: tuple[str, Any]
            try:
                answer = ("ok", check_file(name, data, calls))
            except MemoryError:
                answer = ("memory", None)
            except Exception:
                if _near_memory_limit(limit):
                    answer = ("memory", None)
                else:
                    traceback.print_exc(file=sys.stderr)  # the server's error output: the maintainer's log
                    answer = ("error", None)
            del item, data
            pickle.dump(answer, stdout)
            stdout.flush()
            if answer[0] == "memory":  # what is left of this process is not to be trusted with the next file
                return
    except MemoryError:  # reading the file itself went past the bound
        os._exit(_EXIT_OUT_OF_MEMORY)


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
    if sys.argv[1:2] == ["--upload"]:
        _serve_uploads(sys.stdin.buffer, sys.stdout.buffer, int(sys.argv[2]))
    else:
        _serve(sys.stdin.buffer, sys.stdout.buffer)
