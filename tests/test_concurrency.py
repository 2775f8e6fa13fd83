"""The app and the CLI at the same time: two real processes on one DuckDB file."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from demo_truth import DEMO

from iaedash.store import data_status, init

HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "ro")
print("held", flush=True)
time.sleep(float(sys.argv[3]))
con.close()
"""


def hold(db: Path, mode: str, seconds: float) -> subprocess.Popen:
    """Another process that keeps the file open, as a running app or import would."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db), mode, str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "held"
    return proc


def cli(db: Path, *args: str, timeout: str = "30") -> subprocess.CompletedProcess:
    env = {**os.environ, "IAEDASH_LOCK_TIMEOUT": timeout}
    return subprocess.run(
        [sys.executable, "-m", "iaedash", *args, "--db", str(db)], capture_output=True, text=True, env=env, check=False
    )


@pytest.mark.parametrize("mode", ["ro", "rw"])
def test_an_import_waits_for_another_process_and_then_succeeds(db: Path, mode: str):
    init(db)
    holder = hold(db, mode, 1.5)
    started = time.monotonic()
    result = cli(db, "import", str(DEMO / "conventions_2025.csv"))
    waited = time.monotonic() - started
    holder.wait()
    assert result.returncode == 0, result.stderr
    assert waited >= 1.0  # it really had to wait for the other process
    assert data_status(db).imports == 1


def test_an_import_gives_up_after_a_bounded_wait_and_says_why(db: Path):
    init(db)
    holder = hold(db, "rw", 6)
    try:
        result = cli(db, "import", str(DEMO / "conventions_2025.csv"), timeout="0.5")
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 3
    assert "est occupée par un autre programme depuis plus de 0,5 s" in result.stderr
    assert data_status(db).imports == 0


def test_readers_see_an_import_made_by_another_process(db: Path):
    """The app reads with short-lived connections: the next read shows what the CLI imported."""
    init(db)
    assert data_status(db).imports == 0
    assert cli(db, "import", str(DEMO / "conventions_2025.csv")).returncode == 0
    assert data_status(db).imports == 1


def test_reads_of_one_process_run_side_by_side_and_a_writer_waits_for_them(demo_db: Path):
    """Two threads hold read connections at the same time; a write waits until both have closed."""
    import threading
    import time

    from iaedash.db.connection import connect

    both_open = threading.Barrier(3, timeout=10)
    release = threading.Event()
    order: list[str] = []

    def reader() -> None:
        with connect(demo_db, read_only=True) as con:
            con.execute("select count(*) from imports").fetchone()
            both_open.wait()  # only passes if the two readers are inside at once
            release.wait(10)
            order.append("lecture")

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    both_open.wait()

    def writer() -> None:
        with connect(demo_db, read_only=False) as con:
            order.append("écriture")
            con.execute("select 1").fetchone()

    w = threading.Thread(target=writer)
    w.start()
    time.sleep(0.3)
    assert order == []  # the writer is still waiting for the readers
    release.set()
    for t in [*threads, w]:
        t.join(10)
    assert order == ["lecture", "lecture", "écriture"]
