"""Uploaded files are checked in a process of their own, bounded in time and memory: past a bound the file is
refused in French and the files after it are still checked; the server's own process is not the one that
reads them (issue 13, « parsing in the app has a time bound too »)."""

from __future__ import annotations

import itertools
import threading
import time

from hostile_corpus import CASES, one_value

from iaedash.calls import all_calls
from iaedash.ingest.ahead import check_file, check_isolated
from iaedash.ingest.check import CheckedTable
from iaedash.ingest.problems import Problem


def same(checked_a, checked_b) -> bool:
    return [type(x).__name__ for x in checked_a] == [type(x).__name__ for x in checked_b] and all(
        (a.problems, [s.key for s in a.scopes]) == (b.problems, [s.key for s in b.scopes])
        if isinstance(a, CheckedTable)
        else a == b
        for a, b in zip(checked_a, checked_b, strict=True)
    )


def test_the_isolated_checks_are_the_checks(monkeypatch):
    """Each corpus file checked in the other process gives what the same function gives here."""
    files = [(c.name, c.build()) for c in CASES if c.kind == "file" and not c.bomb]
    isolated = check_isolated(files, all_calls())
    assert len(isolated) == len(files)
    for (name, data), got in zip(files, isolated, strict=True):
        assert same(got, check_file(name, data, all_calls())), name


def test_a_file_past_the_time_bound_is_refused_and_the_next_one_is_checked(monkeypatch):
    monkeypatch.setenv("IAEDASH_CHECK_SECONDS", "1")
    monkeypatch.setenv("IAEDASH_CHECK_SLEEP", "0.6")  # each file waits 0.6 s: fine alone…
    started = time.perf_counter()
    [alone] = check_isolated([("t1.csv", one_value("1"))], all_calls())
    assert isinstance(alone[0], CheckedTable)
    monkeypatch.setenv("IAEDASH_CHECK_SLEEP", "5")  # … and past the bound
    slow, after = check_isolated([("lent.csv", one_value("1")), ("t2.csv", one_value("2"))], all_calls())
    elapsed = time.perf_counter() - started
    [problem] = slow
    assert isinstance(problem, Problem)
    assert problem.message.startswith("la vérification de ce fichier a dépassé 1 s, la limite d'un dépôt")
    [problem] = after  # the replacement process waits 5 s too: refused as well, but said, not hung
    assert "dépassé 1 s" in problem.message
    assert elapsed < 5, elapsed  # never waited for the slow process to finish


def test_a_file_past_the_memory_bound_is_refused(monkeypatch):
    monkeypatch.setenv("IAEDASH_CHECK_MEMORY_MB", "60")  # below what the process already holds once started
    [refused] = check_isolated([("gros.csv", one_value("1", "x" * 15_000_000))], all_calls())
    [problem] = refused
    assert "a dépassé 60 Mo de mémoire, la limite d'un dépôt" in problem.message


def test_the_server_thread_lets_others_run_while_a_file_is_checked(monkeypatch):
    """While one session's upload is checked, another thread of the server keeps running."""
    monkeypatch.setenv("IAEDASH_CHECK_SLEEP", "1")
    ticks = []
    stop = threading.Event()

    def other_session():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.01)

    thread = threading.Thread(target=other_session)
    thread.start()
    check_isolated([("t1.csv", one_value("1"))], all_calls())
    stop.set()
    thread.join()
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert len(ticks) > 50 and max(gaps) < 0.5
