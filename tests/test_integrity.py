"""`iaedash check` on a real database: conforming as loaded, and each kind of difference found and said."""

from __future__ import annotations

from pathlib import Path

import duckdb

from iaedash import cli


def run_check(db: Path, capsys) -> tuple[int, str, str]:
    code = cli.main(["check", "--db", str(db)])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_demo_conforms_to_its_kept_files(demo_db: Path, capsys):
    code, out, err = run_check(demo_db, capsys)
    assert code == 0, err
    kept = [p for p in (demo_db.parent / "depots").iterdir() if p.name[:6].isdigit()]
    assert f"base conforme aux fichiers conservés : {len(kept)} fichier(s) relus" in out


def test_each_difference_is_said_and_exits_1(demo_db: Path, capsys):
    depots = demo_db.parent / "depots"
    kept = sorted(p for p in depots.iterdir() if p.name[:6].isdigit())
    removed, altered = kept[0], kept[-1]
    removed.unlink()
    altered.write_bytes(altered.read_bytes() + b"\r\n")
    (depots / "000999_2025-01-01_20250101T000000_orphelin.csv").write_bytes(b"x")
    con = duckdb.connect(str(demo_db))
    [(submission, head, year, quarter)] = con.execute(
        "select submission_id, network_head, year, quarter from submissions where kind = 'indicateurs' "
        "order by submission_id limit 1"
    ).fetchall()
    [(import_id,)] = con.execute("select import_id from submissions where submission_id = ?", [submission]).fetchall()
    con.execute(
        "update indicator_values set value = value + 5 where submission_id = ? and source_line = "
        "(select min(source_line) from indicator_values where submission_id = ?)",
        [submission, submission],
    )
    con.close()
    code, _, err = run_check(demo_db, capsys)
    assert code == 1
    assert f"sans son fichier conservé {removed.name}" in err
    assert f"le fichier conservé {altered.name} n'a plus le contenu importé" in err
    assert "fichier conservé sans import dans la base : 000999_2025-01-01_20250101T000000_orphelin.csv" in err
    assert f"import n° {import_id} : indicateurs {head} T{quarter} {year} : la base a" in err
    assert "4 différence(s) entre la base et les fichiers conservés" in err
