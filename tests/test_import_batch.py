"""Many files in one `import_files` call: one connection, yet all or nothing per file, each kept copy on disk
(fsync'd) before its commit and gone when its transaction fails; readers get turns between two files.

The expected rows are read back from the CSV bytes here, with the csv module, not from the code under test.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from db_dump import dump, files_under
from openpyxl import Workbook

from iaedash.db import connection
from iaedash.db.connection import connect
from iaedash.ingest import load
from iaedash.ingest.load import IncomingFile, import_files
from iaedash.store import init, rebuild

CONVENTION = (
    "reseau;nom;annee;date_debut;date_fin;cout_personnel_prevu;montant_fse;contrepartie_departement;"
    "autofinancement;avance_versee;date_avance;objectif_gouv;objectif_form;objectif_juri;objectif_veil;"
    "objectif_webi;objectif_comi\r\n"
    "TEST;Réseau de test (fictif);2025;01/01/2025;31/12/2025;100000,00;84000,00;42000,00;14000,00;21000,00;"
    "15/03/2025;10;12;8;4;;9\r\n"
).encode()
INDICATOR_HEADER = ("reseau", "annee", "trimestre", "orientation", "indicateur", "territoire", "valeur", "commentaire")
STAFF_HEADER = (
    "reseau",
    "annee",
    "mois",
    "salarie",
    "fonction",
    "fonction_support",
    "cout_mensuel",
    "taux_affectation",
)


def csv_bytes(header: tuple[str, ...], rows: list[tuple]) -> bytes:
    lines = [";".join(header), *(";".join(str(c) for c in row) for row in rows)]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def indicators(quarters: tuple[int, ...], value: int = 3) -> bytes:
    rows = []
    for quarter in quarters:
        rows += [
            ("TEST", 2025, f"T{quarter}", "PRO", "FORM", "ARR", value + quarter, "à revoir"),
            ("TEST", 2025, f"T{quarter}", "PRO", "FORM", "", value, ""),
            ("TEST", 2025, f"T{quarter}", "MAR", "GOUV", "CAL", 0, ""),
        ]
    return csv_bytes(INDICATOR_HEADER, rows)


def staff(months: tuple[int, ...]) -> bytes:
    rows = []
    for month in months:
        rows += [
            ("TEST", 2025, month, "S01", "Chargée de mission", "non", "3000,00", "50"),
            ("TEST", 2025, month, "S02", "Comptable", "oui", "2500,10", "40"),
            ("TEST", 2025, month, "S03", "Formateur", "non", "2000,00", "29,5"),
        ]
    return csv_bytes(STAFF_HEADER, rows)


def read_rows(data: bytes) -> list[tuple[int, dict[str, str]]]:
    records = list(csv.reader(io.StringIO(data.decode("utf-8")), delimiter=";"))
    return [(line, dict(zip(records[0], cells, strict=True))) for line, cells in enumerate(records[1:], start=2)]


def expected_indicators(data: bytes) -> set[tuple]:
    return {
        (int(r["trimestre"][1:]), r["orientation"], r["indicateur"], r["territoire"] or "DEP", int(r["valeur"]),
         r["commentaire"] or None, line)
        for line, r in read_rows(data)
    }  # fmt: skip


def expected_staff(data: bytes) -> set[tuple]:
    out = set()
    for line, r in read_rows(data):
        cost, rate = Decimal(r["cout_mensuel"].replace(",", ".")), Decimal(r["taux_affectation"].replace(",", "."))
        reasons = (["fonction support"] if r["fonction_support"] == "oui" else []) + (
            ["taux d'affectation inférieur à 30 %"] if rate < 30 else []
        )
        amount = (cost * rate / 100).quantize(Decimal("0.01"))
        out.add((int(r["mois"]), r["salarie"], r["fonction"], r["fonction_support"] == "oui", cost, rate, amount,
                 not reasons, " ; ".join(reasons) or None, line))  # fmt: skip
    return out


def stored(db: Path, file_name: str) -> tuple[set[tuple], set[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        ind = con.execute(
            "select s.quarter, v.orientation, v.indicator, v.territory, v.value, v.comment, v.source_line "
            "from indicator_values v join submissions s using (submission_id) join imports i using (import_id) "
            "where i.file_name = ?",
            [file_name],
        ).fetchall()
        lines = con.execute(
            "select l.month, l.employee, l.job_title, l.support_function, l.monthly_cost_eur, l.assignment_rate, "
            "l.amount_eur, l.eligible, l.ineligibility_reason, l.source_line "
            "from staff_lines l join submissions s using (submission_id) join imports i using (import_id) "
            "where i.file_name = ?",
            [file_name],
        ).fetchall()
    finally:
        con.close()
    return set(ind), set(lines)


@pytest.fixture
def with_convention(db: Path) -> Path:
    init(db)
    [outcome] = import_files(db, [IncomingFile("convention.csv", CONVENTION)], date(2025, 3, 10))
    assert outcome.status == "accepted"
    return db


@pytest.fixture
def write_opens(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every read-write opening of a database file by this process."""
    opened: list[Path] = []
    real = connection._open

    def counting(path: Path, read_only: bool, timeout: float | None):
        if not read_only:
            opened.append(path)
        return real(path, read_only, timeout)

    monkeypatch.setattr(connection, "_open", counting)
    return opened


def kept_of(db: Path, import_id: int) -> dict[str, bytes]:
    return {n: b for n, b in files_under(db.parent / "depots").items() if n.startswith(f"{import_id:06d}_")}


def test_a_batch_goes_through_one_connection_and_stores_every_file_exactly(with_convention: Path, write_opens):
    db = with_convention
    files = [
        IncomingFile("t1_indicateurs.csv", indicators((1,))),
        IncomingFile("t1_personnel.csv", staff((1, 2, 3))),
        IncomingFile("t2_indicateurs.csv", indicators((2,), value=8)),
    ]
    outcomes = import_files(db, files, date(2025, 4, 20))
    assert [o.status for o in outcomes] == ["accepted"] * 3
    assert write_opens == [db]  # one opening (and one checkpoint) for the three files
    for file, outcome in zip(files, outcomes, strict=True):
        ind, lines = stored(db, file.name)
        if "personnel" in file.name:
            assert (ind, lines) == (set(), expected_staff(file.data))
        else:
            assert (ind, lines) == (expected_indicators(file.data), set())
        [(name, data)] = kept_of(db, outcome.import_id).items()
        assert name.endswith(f"_{file.name}") and data == file.data
    con = duckdb.connect(str(db), read_only=True)
    types = con.execute("select typeof(monthly_cost_eur), typeof(amount_eur) from staff_lines limit 1").fetchone()
    targets = con.execute("select indicator, target from convention_targets order by indicator").fetchall()
    con.close()
    assert types == ("DECIMAL(14,2)", "DECIMAL(14,2)")
    assert targets == [("COMI", 9), ("FORM", 12), ("GOUV", 10), ("JURI", 8), ("VEIL", 4), ("WEBI", None)]


def workbook(sheets: dict[str, bytes]) -> bytes:
    """The CSV tables above as the sheets of one workbook (cells as text, as a person may type them)."""
    book = Workbook()
    book.remove(book.active)
    for title, data in sheets.items():
        sheet = book.create_sheet(title)
        for record in csv.reader(io.StringIO(data.decode("utf-8")), delimiter=";"):
            sheet.append(record)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_file_failing_halfway_in_the_store_leaves_nothing_and_the_next_ones_load(
    with_convention: Path, monkeypatch: pytest.MonkeyPatch
):
    """Its first scope (indicators) is written, its second (staff costs) fails in the store: its transaction
    is rolled back, the batch goes on."""
    db = with_convention

    written_before: list[int] = []

    def fails(self, submission_id, scope, call):
        written_before.append(self.con.execute("select count(*) from submissions where quarter = 2").fetchone()[0])
        raise duckdb.ConversionException("overflow")

    monkeypatch.setattr(load._Importer, "_write_staff", fails)
    before = dump(db)
    first, broken, last = (
        IncomingFile("a.csv", indicators((1,))),
        IncomingFile("b.xlsx", workbook({"indicateurs": indicators((2,)), "personnel": staff((4, 5))})),
        IncomingFile("c.csv", indicators((4,))),
    )
    outcomes = import_files(db, [first, broken, last], date(2025, 7, 1))
    assert [o.status for o in outcomes] == ["accepted", "refused", "accepted"]
    assert "refusé par la base de données" in outcomes[1].problems[0].message
    assert written_before == [2]  # its two submissions (and the indicators) were in the store when it failed
    after = dump(db)
    assert len(after["imports"]) == len(before["imports"]) + 2
    assert [r[1] for r in after["imports"]] == ["convention.csv", "a.csv", "c.csv"]
    assert stored(db, "a.csv")[0] == expected_indicators(first.data)
    assert stored(db, "c.csv")[0] == expected_indicators(last.data)
    assert {s[5] for s in after["submissions"] if s[2] != "conventions"} == {1, 4}  # nothing of T2 kept
    kept = files_under(db.parent / "depots")
    assert not [n for n in kept if n.endswith("_b.xlsx")]
    assert sum(n.endswith(("_a.csv", "_c.csv")) for n in kept) == 2
    con = duckdb.connect(str(db), read_only=True)
    refused = con.execute("select detail from journal_events where action = 'import_refuse'").fetchall()
    con.close()
    assert [d.split(" : ")[0] for (d,) in refused] == ["b.xlsx"]  # journaled through the batch's database


def test_the_kept_copy_is_on_disk_before_the_commit_and_renamed_after_it(with_convention: Path, monkeypatch):
    db = with_convention
    file = IncomingFile("t1.csv", indicators((1,)))
    synced: list[str] = []
    real_fsync = os.fsync

    def recording(fd: int) -> None:
        synced.append(str(Path(f"/proc/self/fd/{fd}").readlink()))
        real_fsync(fd)

    at_commit: list[tuple[dict[str, bytes], list[str]]] = []
    real_transaction = load.transaction

    @contextmanager
    def watched(con):
        with real_transaction(con):
            yield con
            at_commit.append(({n: b for n, b in files_under(db.parent / "depots").items()}, list(synced)))

    monkeypatch.setattr(os, "fsync", recording)
    monkeypatch.setattr(load, "transaction", watched)
    [outcome] = import_files(db, [file], date(2025, 4, 20))
    assert outcome.status == "accepted"
    [(kept, fsynced)] = at_commit
    # at the commit: the bytes on disk under the partial name, with the folder entry (ingest/kept.py)
    [partial] = [n for n in kept if n.startswith(f".{outcome.import_id:06d}_")]
    assert partial.endswith(".partial") and kept[partial] == file.data
    assert not [n for n in kept if n.startswith(f"{outcome.import_id:06d}_")]
    depots = (db.parent / "depots").resolve()
    assert str(depots / partial) in fsynced and str(depots) in fsynced
    # after it: renamed into place, nothing partial left
    after = files_under(db.parent / "depots")
    assert after[partial.removeprefix(".").removesuffix(".partial")] == file.data
    assert not [n for n in after if n.endswith(".partial")]


def test_a_transaction_that_fails_at_commit_leaves_no_kept_file(with_convention: Path, monkeypatch):
    db = with_convention
    before, kept_before = dump(db), files_under(db.parent / "depots")
    failures = iter([True, False])

    @contextmanager
    def commit_fails_once(con):
        con.begin()
        try:
            yield con
        except BaseException:
            con.rollback()
            raise
        if next(failures):
            con.rollback()
            raise duckdb.IOException("could not write the WAL")
        con.commit()

    monkeypatch.setattr(load, "transaction", commit_fails_once)
    lost, kept = IncomingFile("t1.csv", indicators((1,))), IncomingFile("t2.csv", indicators((2,)))
    outcomes = import_files(db, [lost, kept], date(2025, 7, 1))
    assert [o.status for o in outcomes] == ["refused", "accepted"]
    after = files_under(db.parent / "depots")
    assert not [n for n in after if n.endswith("_t1.csv")]
    assert {n: b for n, b in after.items() if n not in kept_before and n != "actes.jsonl"} == {
        n: kept.data for n in after if n.endswith("_t2.csv")
    }
    rows = dump(db)
    assert [r[1] for r in rows["imports"]] == [r[1] for r in before["imports"]] + ["t2.csv"]
    assert stored(db, "t1.csv") == (set(), set())


def test_a_waiting_reader_of_the_process_gets_in_between_two_files(with_convention: Path, monkeypatch):
    db = with_convention
    real = load._import_one
    first_done = threading.Event()

    def slow(*args, **kwargs):
        outcome = real(*args, **kwargs)
        first_done.set()
        threading.Event().wait(0.3)  # the reader asks while this file's batch holds the database
        return outcome

    monkeypatch.setattr(load, "_import_one", slow)
    files = [IncomingFile(f"t{q}.csv", indicators((q,))) for q in (1, 2, 3, 4)]
    batch = threading.Thread(target=import_files, args=(db, files, date(2025, 4, 20)))
    batch.start()
    assert first_done.wait(10)
    with connect(db, read_only=True) as con:
        seen = con.execute("select count(*) from imports").fetchone()[0]
    batch.join(20)
    with connect(db, read_only=True) as con:
        total = con.execute("select count(*) from imports").fetchone()[0]
    assert (seen, total) == (2, 5)  # the convention and the first file, not the whole batch


READER = """
import sys, time
from pathlib import Path
from iaedash.db.connection import connect
with connect(Path(sys.argv[1]), read_only=True, timeout=20) as con:
    print(con.execute("select count(*) from imports").fetchone()[0], flush=True)
"""


def test_another_process_gets_the_file_during_a_long_batch(with_convention: Path, monkeypatch):
    """After HOLD_SECONDS a batch lets the file go for a moment: a waiting reader elsewhere gets in."""
    db = with_convention
    monkeypatch.setattr(connection.WriteSession, "HOLD_SECONDS", 0.3)
    real = load._import_one
    started = threading.Event()

    def slow(*args, **kwargs):
        started.set()
        threading.Event().wait(0.15)
        return real(*args, **kwargs)

    monkeypatch.setattr(load, "_import_one", slow)
    files = [IncomingFile(f"f{n}.csv", indicators((n % 4 + 1,), value=n)) for n in range(12)]
    batch = threading.Thread(target=import_files, args=(db, files, date(2025, 4, 20)))
    batch.start()
    assert started.wait(10)
    reader = subprocess.run([sys.executable, "-c", READER, str(db)], capture_output=True, text=True, timeout=60)
    batch.join(30)
    assert reader.returncode == 0, reader.stderr
    assert 1 <= int(reader.stdout) < 1 + len(files)  # it read while the batch was still going
    assert len(dump(db)["imports"]) == 1 + len(files)


def test_rebuild_replays_every_kept_file_through_one_connection(demo_db: Path, write_opens):
    before = dump(demo_db)
    outcomes = rebuild(demo_db)
    assert dump(demo_db) == before
    scratch = demo_db.with_name(demo_db.name + ".reconstruction")
    assert write_opens == [scratch] and len(outcomes) == len(before["imports"])


def test_files_checked_in_the_other_process_are_checked_exactly_as_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """What rebuild has checked ahead, in `python -m iaedash.ingest.ahead`, equals the checks made here."""
    from iaedash.calls import all_calls
    from iaedash.ingest import ahead

    files = [
        ("t1.csv", indicators((1,))),
        ("p1.csv", staff((1, 2, 3))),
        ("mauvais.csv", indicators((1,)).replace(b"PRO;FORM;ARR", b"XXX;FORM;ARR")),
        ("vide.csv", b""),
        ("classeur.xlsx", workbook({"indicateurs": indicators((2,)), "personnel": staff((4,))})),
        ("abime.xlsx", b"PK\x03\x04 pas un classeur"),
    ]
    calls = all_calls()
    here = [ahead.check_file(name, data, calls) for name, data in files]
    for name, data in files:
        (tmp_path / name).write_bytes(data)
    monkeypatch.setattr(ahead, "MIN_FILES", 1)
    with ahead.checked_in_order([(f"envoyé {name}", tmp_path / name) for name, _ in files], calls) as checks:
        there = list(checks)
    renamed = [ahead.check_file(f"envoyé {name}", data, calls) for name, data in files]
    assert there == [(f"envoyé {name}", data, checked) for (name, data), checked in zip(files, renamed, strict=True)]
    assert [c for _, _, c in there] != here  # the problems name the file as sent
    assert [type(r[0]).__name__ for r in here] == ["CheckedTable", "CheckedTable", "CheckedTable", "Problem",
                                                   "CheckedTable", "Problem"]  # fmt: skip
    assert here[2][0].problems and not here[0][0].problems


def test_a_rebuild_with_its_checks_made_in_the_other_process_gives_the_same_database(demo_db: Path, monkeypatch):
    from iaedash.ingest import ahead

    monkeypatch.setattr(ahead, "MIN_FILES", 1)
    before = dump(demo_db)
    rebuild(demo_db)
    assert dump(demo_db) == before


def test_a_file_that_changed_after_the_other_process_read_it_is_checked_again_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from iaedash.calls import all_calls
    from iaedash.ingest import ahead

    path = tmp_path / "t1.csv"
    path.write_bytes(indicators((1,)))
    changed = indicators((1,)).replace(b"PRO;FORM;ARR", b"XXX;FORM;ARR")
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: changed if self == path else real(self))  # here only
    monkeypatch.setattr(ahead, "MIN_FILES", 1)
    with ahead.checked_in_order([("t1.csv", path)], all_calls()) as checks:
        [(name, data, checked)] = list(checks)
    assert (name, data) == ("t1.csv", changed)
    assert checked == ahead.check_file("t1.csv", changed, all_calls())
    assert checked[0].problems  # what is imported is what was checked


def test_a_failure_after_the_commit_is_no_refusal_and_the_next_writer_puts_the_copy_in_place(
    with_convention: Path, monkeypatch
):
    """The import is committed before its copy takes its name: a failure then (a full disk, a bug) leaves the
    import accepted with a warning — never « rien n'a été importé » — and the partial copy, which the next
    writer renames into place."""
    from iaedash import integrity
    from iaedash.ingest import kept

    db = with_convention
    real = kept.publish
    failures = iter([True])

    def fails_once(partial: Path, target: Path) -> None:
        if next(failures, False):
            raise OSError(28, "No space left on device")
        real(partial, target)

    monkeypatch.setattr(kept, "publish", fails_once)
    first = IncomingFile("t1.csv", indicators((1,)))
    [outcome] = import_files(db, [first], date(2025, 4, 20))
    assert outcome.status == "accepted" and outcome.warnings == [kept.UNPUBLISHED]
    depots = db.parent / "depots"
    [partial] = [p for p in depots.iterdir() if p.name.endswith("_t1.csv.partial")]
    assert partial.read_bytes() == first.data
    [outcome] = import_files(db, [IncomingFile("t2.csv", indicators((2,)))], date(2025, 7, 20))
    assert outcome.status == "accepted" and not outcome.warnings
    assert not [p for p in depots.iterdir() if p.name.endswith(".partial")]
    assert (depots / partial.name.removeprefix(".").removesuffix(".partial")).read_bytes() == first.data
    report = integrity.check(db)
    assert report.ok, report.differences


HOLDER = """
import sys, time
from pathlib import Path
import duckdb
depots = Path(sys.argv[1]).parent / "depots"
deadline = time.monotonic() + 20
while not any(p.name.endswith("_f0.csv") for p in depots.iterdir()):  # the batch's first file is in place
    assert time.monotonic() < deadline
    time.sleep(0.005)
while True:
    try:
        con = duckdb.connect(sys.argv[1])
        break
    except duckdb.Error:
        assert time.monotonic() < deadline
        time.sleep(0.005)
print("tenu", flush=True)
time.sleep(2.5)
con.close()
"""


def test_a_batch_whose_file_another_process_keeps_says_so_for_the_rest_without_waiting_for_each(
    with_convention: Path, monkeypatch
):
    """Between two files the batch lets the file go; another process takes it and keeps it past the wait:
    the files left are refused as « base occupée » (not as a bug), the first one stays imported and said,
    and the batch does not wait the whole delay once per file left."""
    db = with_convention
    monkeypatch.setattr(connection.WriteSession, "HOLD_SECONDS", 0.0)
    monkeypatch.setattr(connection.WriteSession, "PAUSE_SECONDS", 1.0)
    monkeypatch.setenv("IAEDASH_LOCK_TIMEOUT", "0.5")
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], stdout=subprocess.PIPE, text=True)
    files = [IncomingFile(f"f{n}.csv", indicators((n + 1,))) for n in range(4)]
    started = time.monotonic()
    outcomes = import_files(db, files, date(2025, 10, 20))
    elapsed = time.monotonic() - started
    out, _ = holder.communicate(timeout=30)
    assert holder.returncode == 0 and out == "tenu\n"
    assert [o.status for o in outcomes] == ["accepted", "refused", "refused", "refused"]
    for outcome in outcomes[1:]:
        assert outcome.message == "refusé : base occupée, rien n'a été importé"
        [problem] = outcome.problems
        assert "est occupée par un autre programme depuis plus de 0,5 s" in problem.message
        assert problem.message.endswith("ce fichier n'a pas été importé")
    assert elapsed < 1.0 + 3 * 0.5  # the pause, and one wait of 0.5 s, not one per file left
    assert [r[1] for r in dump(db)["imports"]] == ["convention.csv", "f0.csv"]
