"""The hostile corpus (tests/hostile_corpus.py) through the real import: each file refused with its French
message where it points, the database and the kept files unchanged — or accepted with exactly the rows the
format promises. The bombs go through the CLI in a process of their own, whose time and peak memory are
held to the README's bounds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest
from db_dump import dump, files_under
from hostile_corpus import CASES, CONVENTION, Case, one_value

from iaedash.ingest.load import IncomingFile, import_files, import_paths
from iaedash.store import init

# What a hostile file may cost, at most (README « Limites des fichiers »): wall time of the whole `iaedash
# import` process (Python start included) and its peak resident memory.
BOUND_SECONDS = 30
BOUND_MB = 600


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("hostile") / "iaedash.duckdb"
    init(db)
    [outcome] = import_files(db, [IncomingFile("convention.csv", CONVENTION)], date(2025, 3, 1))
    assert outcome.status == "accepted", outcome.problems
    return db


@pytest.fixture
def db(template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "base" / "iaedash.duckdb"
    target.parent.mkdir()
    shutil.copy(template, target)
    shutil.copytree(template.parent / "depots", target.parent / "depots")
    return target


def place(case: Case, folder: Path) -> Path:
    """The case on disk as it reaches the import: a file, a link to one, a folder, nothing, a FIFO, a device."""
    path = folder / case.name
    if case.kind == "file":
        path.write_bytes(case.build())
    elif case.kind == "symlink":
        target = folder / "cible_du_lien.csv"
        target.write_bytes(case.build())
        path.symlink_to(target)
    elif case.kind == "folder":
        path.mkdir()
    elif case.kind == "fifo":
        os.mkfifo(path)
    elif case.kind == "device":
        path.symlink_to("/dev/zero")  # reads endlessly, as the issue's « endless input »
    return path


def stored(db: Path, import_id: int) -> tuple[list[tuple], list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        indicators = con.execute(
            "select orientation, indicator, territory, value, comment from indicator_values "
            "join submissions using (submission_id) where import_id = ? order by all",
            [import_id],
        ).fetchall()
        staff = con.execute(
            "select month, employee, monthly_cost_eur, assignment_rate from staff_lines "
            "join submissions using (submission_id) where import_id = ? order by all",
            [import_id],
        ).fetchall()
    finally:
        con.close()
    return indicators, staff


def test_the_corpus_is_big_enough():
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", [c for c in CASES if not c.bomb], ids=lambda c: c.name[:40])
def test_a_hostile_file(case: Case, db: Path, tmp_path: Path):
    path = place(case, tmp_path)
    before, kept_before = dump(db), files_under(db.parent / "depots")
    [outcome] = import_paths(db, [path], date(2025, 4, 20))
    if case.refused is not None:
        assert outcome.status == "refused", outcome.message
        messages = [p.message for p in outcome.problems]
        assert any(case.refused in m for m in messages), messages
        problem = next(p for p in outcome.problems if case.refused in p.message)
        if case.line is not None:
            assert problem.line == case.line, problem
        if case.column is not None:
            assert problem.column == case.column, problem
        assert all("Traceback" not in m and "Error" not in m for m in messages)
        assert dump(db) == before
        assert files_under(db.parent / "depots") == kept_before
    else:
        assert outcome.status == "accepted", [str(p) for p in outcome.problems]
        indicators, staff = stored(db, outcome.import_id)
        assert indicators == sorted(case.indicators, key=lambda r: tuple("" if v is None else v for v in r))
        assert staff == sorted(case.staff)
        kept = set(files_under(db.parent / "depots")) - set(kept_before)
        assert len(kept) == 1
        [name] = kept
        assert len(name.encode()) <= 255
        assert (db.parent / "depots" / name).read_bytes() == path.read_bytes()


# `iaedash import` with its own peak memory written at exit: the kernel's high-water mark of its address
# space (VmHWM), since a child's rusage would count the pytest process it was forked from.
MEASURED = """
import atexit, sys
from pathlib import Path

def _peak():
    status = Path("/proc/self/status").read_text()
    Path(sys.argv[1]).write_text(next(l.split()[1] for l in status.splitlines() if l.startswith("VmHWM")))

atexit.register(_peak)
from iaedash.cli import main
sys.exit(main(sys.argv[2:]))
"""


def run_cli(db: Path, *paths: Path) -> tuple[subprocess.CompletedProcess, float, float]:
    """`iaedash import` in a process of its own: its output, wall time and peak resident memory (MB)."""
    peak = db.parent / "pic_memoire"
    arguments = ["import", "--db", str(db), "--recu-le", "2025-04-20", *map(str, paths)]
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", MEASURED, str(peak), *arguments],
        capture_output=True,
        text=True,
        timeout=BOUND_SECONDS * 4,
        check=False,
    )
    elapsed = time.perf_counter() - started
    return result, elapsed, int(peak.read_text()) / 1024


@pytest.mark.parametrize("case", [c for c in CASES if c.bomb], ids=lambda c: c.name)
def test_a_bomb_is_refused_within_the_bounds(case: Case, db: Path, tmp_path: Path):
    path = place(case, tmp_path)
    before = dump(db)
    result, elapsed, peak = run_cli(db, path)
    assert result.returncode == 1, result.stderr
    assert case.refused in result.stderr, result.stderr
    if case.line is not None:
        assert f":{case.line}" in result.stderr
    assert "Traceback" not in result.stderr
    assert dump(db) == before
    print(f"{case.name}: {elapsed:.2f} s, {peak:.0f} Mo")
    assert elapsed < BOUND_SECONDS
    assert peak < BOUND_MB


def test_one_command_the_same_file_twice_and_two_files_of_one_scope(db: Path, tmp_path: Path):
    first = tmp_path / "t1.csv"
    first.write_bytes(one_value("3"))
    again = tmp_path / "t1_copie.csv"
    again.write_bytes(one_value("3"))
    corrected = tmp_path / "t1_corrige.csv"
    corrected.write_bytes(one_value("4"))
    outcomes = import_paths(db, [first, again, corrected], date(2025, 4, 20))
    assert [o.status for o in outcomes] == ["accepted", "duplicate", "accepted"]
    assert "version 1 (nouveau)" in outcomes[0].message
    assert "rien n'a changé" in outcomes[1].message
    assert "version 2 (remplace la version 1)" in outcomes[2].message
    assert stored(db, outcomes[2].import_id)[0] == [("PRO", "GOUV", "DEP", 4, None)]


def test_the_cli_says_every_verdict_and_exits_1(db: Path, tmp_path: Path):
    """Refused files among good ones in one command: each said in French, the good ones imported."""
    good = tmp_path / "bon.csv"
    good.write_bytes(one_value("5"))
    separators = tmp_path / "separateurs.csv"
    separators.write_bytes(b";;;;\r\n")
    image = tmp_path / "image.xlsx"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    escape = tmp_path / "nom\x1b[2Jeffrayant.csv"
    escape.write_bytes(b"\x1b[31m;\x1b[0m\r\n")
    result, _, _ = run_cli(db, good, separators, image, escape)
    assert result.returncode == 1
    assert "bon.csv" in result.stdout + result.stderr and "importé" in result.stdout + result.stderr
    assert "separateurs.csv:1: le fichier est vide (aucune cellule remplie)" in result.stderr
    assert "image.xlsx: ce fichier est une image PNG" in result.stderr
    assert "\x1b" not in result.stdout + result.stderr  # shown escaped, never sent to the terminal
    assert "nom\\x1b[2Jeffrayant.csv" in result.stderr


LOT_CASES = ["utf16.csv", "binaire.csv", "nul.csv", "echappement.csv", "separateurs.csv", "tube.csv", "sans_fin.csv"]


@pytest.mark.parametrize("name", LOT_CASES)
def test_the_bulk_import_refuses_them_alike(name: str, db: Path, tmp_path: Path):
    """The same hostile files given to `import --lot`: the same French refusal, nothing changed."""
    from iaedash.ingest.bulk import import_lot

    case = next(c for c in CASES if c.name == name)
    path = place(case, tmp_path)
    before = dump(db)
    outcome = import_lot(db, path, date(2025, 4, 20))
    assert outcome.status == "refused"
    assert any(case.refused in p.message for p in outcome.problems), [p.message for p in outcome.problems]
    assert dump(db) == before


def test_a_file_that_breaks_the_import_is_refused_and_the_others_go_on(db: Path, tmp_path: Path, monkeypatch, capsys):
    """An unexpected error in one file (here a checker made to fail on it: any bug would do) refuses that
    file in French, its traceback goes to the technical log, and the files before and after it are imported
    and said."""
    from iaedash import cli
    from iaedash.ingest import load

    real = load.check_file

    def breaks_on_one(name: str, data: bytes, calls):
        if name == "casse.csv":
            raise RuntimeError("bogue simulé")
        return real(name, data, calls)

    monkeypatch.setattr(load, "check_file", breaks_on_one)
    before, after, broken, empty = (tmp_path / n for n in ("t1.csv", "t2.csv", "casse.csv", "vide.csv"))
    before.write_bytes(one_value("1"))
    after.write_bytes(one_value("2", quarter="T2"))
    broken.write_bytes(one_value("3", quarter="T3"))
    empty.write_bytes(b";;;;\r\n")
    code = cli.main(["import", "--db", str(db), "--recu-le", "2025-07-20", *map(str, (before, broken, empty, after))])
    out, err = capsys.readouterr()
    assert code == 1
    assert "t1.csv : importé" in out and "t2.csv : importé" in out
    assert "casse.csv: erreur inattendue pendant l'import de ce fichier : rien n'en a été importé" in err
    assert "vide.csv:1: le fichier est vide" in err
    assert "Traceback" not in out + err
    log = (db.parent / "journal-technique.log").read_text(encoding="utf-8")
    assert "casse.csv" in log and "RuntimeError: bogue simulé" in log
    con = duckdb.connect(str(db), read_only=True)
    quarters = con.execute("select quarter from submissions where quarter is not null order by 1").fetchall()
    con.close()
    assert quarters == [(1,), (2,)]
