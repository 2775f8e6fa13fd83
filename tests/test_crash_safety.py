"""An import killed dead (SIGKILL: no cleanup, no exception handler) at any point: the database holds each
file wholly or not at all, no kept file is an orphan nor lost once the next writer has settled what the kill
left, `iaedash check` finds no difference, and `rebuild` gives the same database.

Real processes on real DuckDB files: `python -m iaedash import`, stopped at named points of the import
(`ingest.kept.fault_point`, set by IAEDASH_FAULT_AT) and at timed moments of a long batch and a bulk file.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from db_dump import dump
from hostile_corpus import CONVENTION, IND_HEADER, STAFF_HEADER, csv_bytes

from iaedash.ingest.load import IncomingFile, import_files
from iaedash.store import init, kept_files, rebuild

ORIENTATIONS = ("PRO", "MAR", "INT", "DIV")
INDICATORS = ("GOUV", "FORM", "JURI", "VEIL", "WEBI", "COMI")
POINTS = ("avant-copie", "avant-commit", "apres-commit", "avant-renommage", "apres-renommage")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("crash") / "iaedash.duckdb"
    init(db)
    [outcome] = import_files(db, [IncomingFile("convention.csv", CONVENTION)], date(2025, 3, 1))
    assert outcome.status == "accepted"
    return db


def copy_of(template: Path, folder: Path) -> Path:
    target = folder / "base" / "iaedash.duckdb"
    target.parent.mkdir(parents=True)
    shutil.copy(template, target)
    shutil.copytree(template.parent / "depots", target.parent / "depots")
    return target


def quarter_files(folder: Path) -> list[Path]:
    """Four quarters of indicators and of staff costs: eight files of one network head."""
    paths = []
    for quarter in (1, 2, 3, 4):
        rows = [["TEST", "2025", f"T{quarter}", o, i, "DEP", str(quarter * 10 + n), ""] for n, (o, i) in
                enumerate((o, i) for o in ORIENTATIONS for i in INDICATORS)]  # fmt: skip
        path = folder / f"TEST_2025_T{quarter}_indicateurs.csv"
        path.write_bytes(csv_bytes(IND_HEADER, rows))
        paths.append(path)
        months = range(quarter * 3 - 2, quarter * 3 + 1)
        staff = [["TEST", "2025", str(m), f"S{e:02d}", "Chargée", "non", f"{3000 + e},50", "50"] for m in months
                 for e in range(1, 30)]  # fmt: skip
        path = folder / f"TEST_2025_T{quarter}_personnel.csv"
        path.write_bytes(csv_bytes(STAFF_HEADER, staff))
        paths.append(path)
    return paths


def iaedash(db: Path, *arguments: str, fault: str | None = None) -> subprocess.Popen:
    env = {**os.environ, "IAEDASH_LOCK_TIMEOUT": "30"}
    if fault:
        env["IAEDASH_FAULT_AT"] = fault
    return subprocess.Popen(
        [sys.executable, "-m", "iaedash", *arguments, "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def settled_and_consistent(db: Path) -> None:
    """What every fault scenario must end in, checked by the real commands."""
    check = iaedash(db, "check")
    out, err = check.communicate(timeout=120)
    assert check.returncode == 0, out + err
    depots = db.parent / "depots"
    assert not [p.name for p in depots.iterdir() if p.name.endswith(".partial")]
    before = dump(db)
    assert len(kept_files(db)) == len(before["imports"])
    rebuild(db)
    assert dump(db) == before


@pytest.mark.parametrize("point", POINTS)
def test_killed_at_a_named_point_of_the_first_file(point: str, template: Path, tmp_path: Path):
    db = copy_of(template, tmp_path)
    files = quarter_files(tmp_path)
    before = dump(db)
    proc = iaedash(db, "import", "--recu-le", "2025-10-20", *map(str, files), fault=point)
    proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL
    committed = point in ("apres-commit", "avant-renommage", "apres-renommage")
    assert len(dump(db)["imports"]) == len(before["imports"]) + (1 if committed else 0)
    settled_and_consistent(db)
    # the next import (the same command again) numbers its files after what was kept, and loads the rest
    again = iaedash(db, "import", "--recu-le", "2025-10-20", *map(str, files))
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, out + err
    assert len(dump(db)["imports"]) == len(before["imports"]) + len(files)
    settled_and_consistent(db)


@pytest.mark.parametrize("delay", [0.6, 0.9, 1.2, 1.5])  # the whole batch: ~1.6 s
def test_killed_at_a_moment_of_a_long_batch(delay: float, template: Path, tmp_path: Path):
    """Killed wherever it happens to be (reading, checking, writing, committing, renaming)."""
    db = copy_of(template, tmp_path)
    files = []
    for copy in range(10):  # 80 files: the same quarters sent again and again, each a new version
        folder = tmp_path / f"envoi{copy}"
        folder.mkdir()
        files += quarter_files(folder)
        for path in files[-8:]:
            path.write_bytes(path.read_bytes() + f"\r\n;;;;;;;\r\n{';' * copy}\r\n".encode())  # distinct bytes
    proc = iaedash(db, "import", "--recu-le", "2025-10-20", *map(str, files))
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    settled_and_consistent(db)


@pytest.mark.parametrize("delay", [0.7, 1.0])  # the whole import: ~1.3 s
def test_killed_at_a_moment_of_a_bulk_file(delay: float, template: Path, tmp_path: Path):
    db = copy_of(template, tmp_path)
    rows = [["TEST", "2025", str(m), f"S{e:04d}", "Chargée", "non", "3000,00", "50"] for m in range(1, 13)
            for e in range(1, 15000)]  # fmt: skip
    lot = tmp_path / "reprise_personnel.csv"
    lot.write_bytes(csv_bytes(STAFF_HEADER, rows))
    proc = iaedash(db, "import", "--lot", "--recu-le", "2026-01-20", str(lot))
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    settled_and_consistent(db)


@pytest.mark.parametrize("point", POINTS)
def test_a_bulk_file_killed_at_a_named_point(point: str, template: Path, tmp_path: Path):
    db = copy_of(template, tmp_path)
    rows = [["TEST", "2025", str(m), "S01", "Chargée", "non", "3000,00", "50"] for m in range(1, 13)]
    lot = tmp_path / "reprise.csv"
    lot.write_bytes(csv_bytes(STAFF_HEADER, rows))
    proc = iaedash(db, "import", "--lot", "--recu-le", "2026-01-20", str(lot), fault=point)
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    settled_and_consistent(db)
    committed = point in ("apres-commit", "avant-renommage", "apres-renommage")
    assert len(kept_files(db)) == (2 if committed else 1)  # the convention, (the lot), nothing else


# `python -m iaedash` whose named point kills it at its n-th passage (IAEDASH_FAULT_AT kills at the first).
DRIVER = """
import os, signal, sys
from iaedash.ingest import kept
point, nth = os.environ["CRASH_AT"].split("@")
seen = 0
def fault_point(name):
    global seen
    if name == point:
        seen += 1
        if seen == int(nth):
            os.kill(os.getpid(), signal.SIGKILL)
kept.fault_point = fault_point
from iaedash.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("point", ["avant-commit", "avant-renommage"])
def test_killed_at_a_named_point_of_the_fifth_file_then_settled_by_the_next_import(
    point: str, template: Path, tmp_path: Path
):
    """Mid-batch: four files committed and kept, the fifth killed before its commit (its partial copy and its
    number are dropped) or between its commit and its rename (its copy is renamed into place). The next
    import — not `check` — settles it when it opens the database, then loads the rest."""
    db = copy_of(template, tmp_path)
    files = quarter_files(tmp_path)
    env = {**os.environ, "CRASH_AT": f"{point}@5"}
    arguments = ["import", "--db", str(db), "--recu-le", "2025-10-20", *map(str, files)]
    killed = subprocess.run([sys.executable, "-c", DRIVER, *arguments], env=env, capture_output=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL
    committed = 1 + 4 + (point == "avant-renommage")  # the convention, four files, (the fifth)
    assert len(dump(db)["imports"]) == committed
    assert [p.name for p in (db.parent / "depots").iterdir() if p.name.endswith(".partial")]
    again = iaedash(db, "import", "--recu-le", "2025-10-20", *map(str, files))
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, out + err
    rows = dump(db)["imports"]
    assert [r[0] for r in rows] == list(range(1, 2 + len(files)))  # no number skipped, none twice
    assert sorted(r[1] for r in rows[1:]) == sorted(p.name for p in files)
    assert [p.name for p in kept_files(db)] == [r[5] for r in rows]
    settled_and_consistent(db)
