"""Import figures (issue 12): a quarterly file, a rebuild, and a bulk file next to DuckDB's own CSV reader.

    .venv/bin/python -m bench.imports [--files 300] [--single 60] [--rows 1000000] [--no-rebuild] [--no-bulk]
                                      [--out FILE]

- **quarterly file** — the 2025 files of 100 generated network heads (`scale.year_files`), conventions first,
  then imported a day at a time as `iaedash demo --echelle` does (one `import_files` call per day received).
  Per file: its check and its import (writes, kept copy on disk, commit), timed inside the call; the call's
  wall time per file is shown too (it adds opening and closing the database once per call). The first
  `--single` of them are also imported one call per file, as the upload page or the CLI does for one file.
- **rebuild** — `iaedash rebuild` of a copy of the cached 100 × 3 database (bench/cache/, built if needed;
  never written: the copy holds the database, its kept files and its calls).
- **bulk** — `import_lot` (`iaedash import --lot`) of a generated indicators CSV and staff CSV of `--rows`
  rows each (after their conventions), against DuckDB's own `read_csv` + `INSERT` of the same file into a
  table of the same columns in a new database of its own, both timed from opening the database to closing it.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from bench import datasets
from iaedash import scale, store
from iaedash.db.schema import init_database
from iaedash.domain.reference import INDICATOR_CODES, ORIENTATION_CODES, TERRITORY_CODES
from iaedash.ingest import load
from iaedash.ingest.bulk import import_lot
from iaedash.ingest.load import IncomingFile, import_files

YEAR = scale.LAST_YEAR
TARGETS = {"file_ms": 40.0, "rebuild_s": 30.0, "bulk_rows_per_s": 100_000.0, "bulk_vs_duckdb": 20.0}


@contextmanager
def per_file_timer() -> Iterator[dict[str, float]]:
    """Time each file's check and import inside `import_files` (by file name: the generated names are unique)."""
    spent: dict[str, float] = {}
    check, one = load._check_file, load._import_one

    def timed_check(incoming: IncomingFile, calls: Any) -> Any:
        started = time.perf_counter()
        try:
            return check(incoming, calls)
        finally:
            spent[incoming.name] = spent.get(incoming.name, 0.0) + time.perf_counter() - started

    def timed_one(con: Any, db_path: Path, file: IncomingFile, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return one(con, db_path, file, *args, **kwargs)
        finally:
            spent[file.name] = spent.get(file.name, 0.0) + time.perf_counter() - started

    load._check_file, load._import_one = timed_check, timed_one
    try:
        yield spent
    finally:
        load._check_file, load._import_one = check, one


def _fresh(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def _by_day(files: list[Any]) -> Iterator[tuple[date, list[Any]]]:
    group: list[Any] = []
    for f in files:
        if group and f.received != group[0].received:
            yield group[0].received, group
            group = []
        group.append(f)
    if group:
        yield group[0].received, group


def quarterly_files(work: Path, limit: int, single: int) -> dict[str, Any]:
    folder = _fresh(work / "trimestriels")
    calls = scale.write_calls(folder / "appels", (YEAR,))
    with scale.calls_from(calls):
        files = scale.year_files(scale.Scale(100, 1), YEAR)
        [conventions] = [f for f in files if f.incoming.name.startswith("conventions_")]
        quarterly = sorted((f for f in files if f is not conventions), key=lambda f: (f.received, f.order))[:limit]

        def new_db(name: str) -> Path:
            db = folder / name / "iaedash.duckdb"
            init_database(db)
            [outcome] = import_files(db, [conventions.incoming], conventions.received)
            assert outcome.status == "accepted", outcome.message
            return db

        db = new_db("par-jour")
        walls, refused = [], 0
        with per_file_timer() as spent:
            for day, group in _by_day(quarterly):
                started = time.perf_counter()
                outcomes = import_files(db, [f.incoming for f in group], day)
                walls.append(time.perf_counter() - started)
                refused += sum(1 for o in outcomes if o.status != "accepted")
        in_batch = [spent[f.incoming.name] * 1000 for f in quarterly]
        db = new_db("un-par-appel")
        alone = []
        for f in quarterly[:single]:
            started = time.perf_counter()
            [outcome] = import_files(db, [f.incoming], f.received)
            alone.append((time.perf_counter() - started) * 1000)
            refused += outcome.status != "accepted"
    return {
        "files": len(quarterly),
        "calls": len(walls),
        "refused": refused,
        "median_ms": statistics.median(in_batch),
        "p90_ms": statistics.quantiles(in_batch, n=10)[-1],
        "call_wall_ms_per_file": sum(walls) * 1000 / len(quarterly),
        "alone_files": len(alone),
        "alone_median_ms": statistics.median(alone) if alone else None,
        "samples_ms": [round(v, 2) for v in in_batch],
        "alone_samples_ms": [round(v, 2) for v in alone],
    }


def rebuild(work: Path, name: str = "100x3") -> dict[str, Any]:
    source = datasets.cached_folder(datasets.parse(name))
    target = work / "reconstruction"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    db = target / "iaedash.duckdb"
    with scale.calls_from(target / scale.CALLS_DIRNAME):
        started = time.perf_counter()
        outcomes = store.rebuild(db)
        seconds = time.perf_counter() - started
    return {"dataset": name, "files": len(outcomes), "seconds": seconds}


# -- bulk files -------------------------------------------------------------------------------------------

INDICATOR_ROWS_PER_QUARTER = len(ORIENTATION_CODES) * len(INDICATOR_CODES) * len(TERRITORY_CODES)
INDICATOR_COLUMNS, STAFF_COLUMNS = scale.LOT_COLUMNS["indicateurs"], scale.LOT_COLUMNS["personnel"]
CONVENTION = {
    "nom": "Réseau généré pour le banc d'essai (fictif)",
    "date_debut": f"01/01/{YEAR}",
    "date_fin": f"31/12/{YEAR}",
    "cout_personnel_prevu": "100000,00",
    "montant_fse": "84000,00",
    "contrepartie_departement": "42000,00",
    "autofinancement": "14000,00",
    "avance_versee": "21000,00",
    "date_avance": f"15/03/{YEAR}",
}
RATES = ("100", "100", "100", "80", "75", "60", "50", "25")


def _write_csv(path: Path, header: tuple[str, ...], rows: Iterator[list[Any]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def bulk_files(folder: Path, rows: int) -> tuple[Path, Path, Path, int, int]:
    """Conventions of `heads` network heads, then ≥ `rows` indicator rows and ≥ `rows` staff lines of theirs."""
    heads = math.ceil(rows / (4 * INDICATOR_ROWS_PER_QUARTER))
    employees = math.ceil(rows / (12 * heads))
    codes = [f"L{n:05d}" for n in range(1, heads + 1)]
    conventions = folder / "conventions.csv"
    targets = [f"objectif_{c.lower()}" for c in INDICATOR_CODES]
    _write_csv(
        conventions,
        ("reseau", "annee", *CONVENTION, *targets),
        ([code, YEAR, *CONVENTION.values(), *(["100"] * len(targets))] for code in codes),
    )

    def indicator_rows() -> Iterator[list[Any]]:
        for n, code in enumerate(codes):
            for quarter in range(1, 5):
                for o in ORIENTATION_CODES:
                    for i in INDICATOR_CODES:
                        for t in TERRITORY_CODES:
                            value = (n * 7 + quarter * 13 + len(o) * len(i) + ord(t[0])) % 40
                            yield [code, YEAR, f"T{quarter}", o, i, t, value, "" if value % 9 else "à vérifier"]

    def staff_rows() -> Iterator[list[Any]]:
        for n, code in enumerate(codes):
            for e in range(1, employees + 1):
                support = "oui" if e % 10 == 0 else "non"
                cost = f"{2600 + ((n + e * 37) % 60) * 50},00"
                rate = RATES[(n + e) % len(RATES)]
                for month in range(1, 13):
                    yield [code, YEAR, month, f"S{e:03d}", "Chargé de mission", support, cost, rate]

    indicators, staff = folder / "indicateurs.csv", folder / "personnel.csv"
    n_indicators = _write_csv(indicators, INDICATOR_COLUMNS, indicator_rows())
    n_staff = _write_csv(staff, STAFF_COLUMNS, staff_rows())
    return conventions, indicators, staff, n_indicators, n_staff


DUCKDB_TABLES = {
    "indicateurs": (
        "create table t (reseau varchar, annee integer, trimestre varchar, orientation varchar, indicateur varchar, "
        "territoire varchar, valeur integer, commentaire varchar)",
        "insert into t select * from read_csv($path, delim = ';', header = true, decimal_separator = ',', "
        "auto_detect = false, columns = {'reseau': 'varchar', 'annee': 'integer', 'trimestre': 'varchar', "
        "'orientation': 'varchar', 'indicateur': 'varchar', 'territoire': 'varchar', 'valeur': 'integer', "
        "'commentaire': 'varchar'})",
    ),
    "personnel": (
        "create table t (reseau varchar, annee integer, mois integer, salarie varchar, fonction varchar, "
        "fonction_support varchar, cout_mensuel decimal(14, 2), taux_affectation decimal(5, 2))",
        "insert into t select * from read_csv($path, delim = ';', header = true, decimal_separator = ',', "
        "auto_detect = false, columns = {'reseau': 'varchar', 'annee': 'integer', 'mois': 'integer', "
        "'salarie': 'varchar', 'fonction': 'varchar', 'fonction_support': 'varchar', "
        "'cout_mensuel': 'decimal(14, 2)', 'taux_affectation': 'decimal(5, 2)'})",
    ),
}


def duckdb_own(folder: Path, kind: str, path: Path) -> float:
    """DuckDB's own CSV reader into a table of the same columns: open, insert, commit, close (checkpoint)."""
    db = folder / f"duckdb-{kind}.duckdb"
    create, insert = DUCKDB_TABLES[kind]
    with duckdb.connect(str(db)) as con:
        con.execute(create)
    started = time.perf_counter()
    con = duckdb.connect(str(db))
    try:
        con.begin()
        con.execute(insert, {"path": str(path)})
        con.commit()
    finally:
        con.close()
    return time.perf_counter() - started


def bulk(work: Path, rows: int) -> dict[str, Any]:
    folder = _fresh(work / "lot")
    calls = scale.write_calls(folder / "appels", (YEAR,))
    conventions, indicators, staff, n_indicators, n_staff = bulk_files(folder, rows)
    db = folder / "iaedash.duckdb"
    out: dict[str, Any] = {}
    with scale.calls_from(calls):
        init_database(db)
        outcome = import_lot(db, conventions, date(YEAR, 3, 10))
        assert outcome.status == "accepted", outcome.message
        for kind, path, count in (("indicateurs", indicators, n_indicators), ("personnel", staff, n_staff)):
            started = time.perf_counter()
            outcome = import_lot(db, path, date(YEAR + 1, 1, 20))
            seconds = time.perf_counter() - started
            assert outcome.status == "accepted", [str(p) for p in outcome.problems[:5]]
            own = duckdb_own(folder, kind, path)
            out[kind] = {
                "rows": count,
                "file_mb": round(path.stat().st_size / 1e6, 1),
                "iaedash_s": seconds,
                "iaedash_rows_per_s": count / seconds,
                "duckdb_s": own,
                "duckdb_rows_per_s": count / own,
                "slower_than_duckdb": seconds / own,
            }
    return out


def run(
    work: Path,
    *,
    files: int = 300,
    single: int = 60,
    rows: int = 1_000_000,
    with_rebuild: bool = True,
    with_bulk: bool = True,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    say = progress or (lambda text: None)
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"targets": TARGETS}
    steps: list[tuple[str, bool, Callable[[], dict[str, Any]]]] = [
        ("quarterly", True, lambda: quarterly_files(work, files, single)),
        ("rebuild", with_rebuild, lambda: rebuild(work)),
        ("bulk", with_bulk, lambda: bulk(work, rows)),
    ]
    for name, wanted, step in steps:
        if not wanted:
            continue
        say(f"   imports: {name}…")
        try:
            results[name] = step()
        except Exception as error:  # a figure missing is said, the others are still measured
            results[name] = {"error": f"{type(error).__name__}: {error}"[:800]}
    return results


def _n(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ")


def table(results: dict[str, Any]) -> str:
    """The figures next to issue 12's targets."""
    lines: list[tuple[str, str, str]] = [("import", "measured", "target")]
    q = results.get("quarterly")
    if q and "error" not in q:
        lines.append(
            (
                f"quarterly file, {q['files']} in {q['calls']} calls",
                f"{q['median_ms']:.1f} ms median (p90 {q['p90_ms']:.1f}; "
                f"call wall {q['call_wall_ms_per_file']:.1f}/file)",
                f"≤ {TARGETS['file_ms']:.0f} ms",
            )
        )
        if q.get("alone_median_ms") is not None:
            lines.append(
                (f"quarterly file alone, {q['alone_files']} calls", f"{q['alone_median_ms']:.1f} ms median", "–")
            )
    elif q:
        lines.append(("quarterly file", f"ERROR {q['error']}", ""))
    r = results.get("rebuild")
    if r and "error" not in r:
        lines.append(
            (
                f"rebuild {r['dataset']} ({_n(r['files'])} files)",
                f"{r['seconds']:.1f} s",
                f"≤ {TARGETS['rebuild_s']:.0f} s",
            )
        )
    elif r:
        lines.append(("rebuild", f"ERROR {r['error']}", ""))
    b = results.get("bulk")
    if b and "error" not in b:
        for kind, x in b.items():
            lines.append(
                (
                    f"bulk {kind} ({_n(x['rows'])} rows, {x['file_mb']} MB)",
                    f"{_n(x['iaedash_rows_per_s'])} rows/s ({x['iaedash_s']:.1f} s); DuckDB read_csv "
                    f"{_n(x['duckdb_rows_per_s'])} rows/s: {x['slower_than_duckdb']:.1f}× slower",
                    f"≥ {_n(TARGETS['bulk_rows_per_s'])} rows/s, ≤ {TARGETS['bulk_vs_duckdb']:.0f}×",
                )
            )
    elif b:
        lines.append(("bulk", f"ERROR {b['error']}", ""))
    widths = [max(len(line[i]) for line in lines) for i in range(3)]
    text = ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in lines]
    text.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.imports", description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=300, help="quarterly files imported (default 300)")
    parser.add_argument("--single", type=int, default=60, help="of them, also imported one call each (default 60)")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of each bulk file (default 1,000,000)")
    parser.add_argument("--no-rebuild", action="store_true", help="skip the rebuild of the 100 × 3 database")
    parser.add_argument("--no-bulk", action="store_true", help="skip the bulk files")
    parser.add_argument("--out", type=Path, help="JSON file (default bench/results/imports-<date>.json)")
    args = parser.parse_args(argv)
    results = run(
        datasets.CACHE / "run" / "imports",
        files=args.files,
        single=args.single,
        rows=args.rows,
        with_rebuild=not args.no_rebuild,
        with_bulk=not args.no_bulk,
        progress=lambda text: print(text, file=sys.stderr, flush=True),
    )
    results["date"] = datetime.now().isoformat(timespec="seconds")
    print(table(results))
    out = args.out or datasets.ROOT / "bench" / "results" / f"imports-{datetime.now():%Y-%m-%d}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"written: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
