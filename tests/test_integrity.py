"""`iaedash check` on a real database: conforming as loaded, and each kind of difference found and said."""

from __future__ import annotations

from datetime import datetime
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


LOT_STAFF = "reseau;annee;mois;salarie;fonction;fonction_support;cout_mensuel;taux_affectation\r\n" + "".join(
    f"{head};2025;{month};S{employee:02d};Chargée;{support};{3000 + employee},50;{rate}\r\n"
    for head in ("CABM", "FEIAL")
    for month in range(1, 13)
    for employee, support, rate in ((1, "non", "100"), (2, "oui", "50"), (3, "non", "20"))
)
LOT_INDICATORS = "reseau;annee;trimestre;orientation;indicateur;territoire;valeur;commentaire\r\n" + "".join(
    f"{head};2025;T{quarter};PRO;{indicator};DEP;{quarter * 7 + n};\r\n"
    for head in ("CABM", "ISARR")
    for quarter in (1, 2, 3, 4)
    for n, indicator in enumerate(("GOUV", "FORM", "JURI"))
)


def with_lots(db: Path, tmp_path: Path) -> dict[str, int]:
    """Two bulk files imported over the demo: their import numbers, by kind."""
    from datetime import date

    from iaedash.ingest.bulk import import_lot

    numbers = {}
    for kind, text in (("personnel", LOT_STAFF), ("indicateurs", LOT_INDICATORS)):
        path = tmp_path / f"reprise_{kind}.csv"
        path.write_text(text, encoding="utf-8")
        outcome = import_lot(db, path, date(2026, 1, 20))
        assert outcome.status == "accepted", [str(p) for p in outcome.problems]
        numbers[kind] = outcome.import_id
    return numbers


def test_bulk_files_are_read_again_through_the_bulk_checks(demo_db: Path, tmp_path: Path, capsys):
    numbers = with_lots(demo_db, tmp_path)
    code, out, err = run_check(demo_db, capsys)
    assert code == 0, err
    assert "2 fichier(s) en lot relus" in out
    # a stored amount altered: the lines and monthly costs still agree, the call's rules do not
    con = duckdb.connect(str(demo_db))
    [(submission,)] = con.execute(
        "select submission_id from submissions where import_id = ? and network_head = 'FEIAL' and quarter = 2",
        [numbers["personnel"]],
    ).fetchall()
    con.execute("update staff_lines set amount_eur = 0 where submission_id = ? and employee = 'S01'", [submission])
    con.execute(
        "update indicator_values set value = value - 1 where submission_id = (select submission_id from submissions "
        "where import_id = ? and network_head = 'ISARR' and quarter = 4) and indicator = 'JURI'",
        [numbers["indicateurs"]],
    )
    con.close()
    code, _, err = run_check(demo_db, capsys)
    assert code == 1
    # S01's three amounts (3 × 3 001,50) gone; eligible lines unchanged (S01 alone is eligible: S02 is a
    # support function, S03's rate is under 30 %)
    staff = f"import n° {numbers['personnel']} : dépenses de personnel FEIAL T2 2025 : la base a 9 ligne(s)"
    [line] = [line for line in err.splitlines() if staff in line]
    # per month S01 3 001,50 × 100 %, S02 3 002,50 × 50 % = 1 501,25, S03 3 003,50 × 20 % = 600,70: three months
    assert "montants retenus 6\u202f305,85 dans la base, 15\u202f310,35 d'après le fichier" in line
    assert "lignes éligibles 3 dans la base, 3 d'après le fichier" in line
    indicators = f"import n° {numbers['indicateurs']} : indicateurs ISARR T4 2025 : la base a 3 ligne(s) pour un total"
    assert f"{indicators} de 86,00, le fichier conservé 3 pour 87,00" in err  # T4: 28 + 29 + 30 in the file
    assert "2 différence(s) entre la base et les fichiers conservés" in err


def test_a_partial_copy_that_cannot_be_settled_is_a_difference(demo_db: Path, capsys):
    """A partial copy whose import committed but whose bytes are not the import's: never renamed over the
    kept file, never deleted — said."""
    depots = demo_db.parent / "depots"
    kept = sorted(p for p in depots.iterdir() if p.name[:6].isdigit())[3]
    partial = depots / f".{kept.name}.partial"
    partial.write_bytes(b"autre chose")
    code, _, err = run_check(demo_db, capsys)
    assert code == 1
    assert f"copie provisoire {partial.name} laissée par un import interrompu" in err
    assert partial.read_bytes() == b"autre chose" and kept.exists()


def test_an_act_committed_but_not_in_the_acts_file_is_copied_there_and_survives_a_rebuild(demo_db: Path, capsys):
    """A review act is appended to the acts file after its commit: a process killed in between leaves it in
    the database alone (here: its line taken off the file). `check` copies it back and says so — not an act of
    the last seconds, which its own process may be appending — and `rebuild` copies every one back."""
    from db_dump import dump
    from viewers import MANAGER

    from iaedash.domain.review import ReviewAction
    from iaedash.review import Scope, act
    from iaedash.store import rebuild

    acts_file = demo_db.parent / "depots" / "actes.jsonl"
    act(demo_db, MANAGER, Scope("CABM", 2025, 1), ReviewAction.VALIDATE, at=datetime(2026, 1, 12, 9, 30))
    act(demo_db, MANAGER, Scope("CABM", 2025, 1), ReviewAction.LOCK)  # now: within the grace, left alone…
    code, out, err = run_check(demo_db, capsys)
    assert code == 0 and "acte(s)" not in out, err  # … while its own process appends it
    lines = acts_file.read_text(encoding="utf-8").splitlines(keepends=True)
    assert '"review_events"' in lines[-1]
    acts_file.write_text("".join(lines[:-1]), encoding="utf-8")
    code, out, err = run_check(demo_db, capsys)
    assert code == 0 and "acte(s)" not in out, err
    act(demo_db, MANAGER, Scope("CABM", 2025, 1), ReviewAction.UNLOCK, "erreur", at=datetime(2026, 1, 13, 9, 30))
    lines = acts_file.read_text(encoding="utf-8").splitlines(keepends=True)
    assert '"review_events"' in lines[-1]
    acts_file.write_text("".join(lines[:-1]), encoding="utf-8")
    code, out, err = run_check(demo_db, capsys)
    assert code == 0, err
    assert "1 acte(s) review_events validé(s) dans la base mais absent(s) du fichier des actes" in out
    assert acts_file.read_text(encoding="utf-8") == "".join(lines)
    # the same loss, settled this time by the rebuild itself
    acts_file.write_text("".join(lines[:-1]), encoding="utf-8")
    before = dump(demo_db)
    rebuild(demo_db)
    assert dump(demo_db) == before
    assert [r[4] for r in before["review_events"]] == ["valider", "verrouiller", "deverrouiller"]


def test_an_author_in_the_acts_file_of_an_import_the_database_lacks_is_a_difference(demo_db: Path, capsys):
    acts_file = demo_db.parent / "depots" / "actes.jsonl"
    line = (
        '{"table": "import_authors", "row": {"import_id": 977, "actor_email": "x@y.fr", "actor_name": "X", '
        '"actor_role": "gestionnaire"}}\n'
    )
    acts_file.write_text(acts_file.read_text(encoding="utf-8") + line, encoding="utf-8")
    code, _, err = run_check(demo_db, capsys)
    assert code == 1
    assert "le fichier des actes nomme l'auteur d'un import n° 977 que la base n'a pas" in err


def test_a_name_a_path_cannot_hold_comes_back_whole_after_a_rebuild_and_its_record_is_checked(db: Path, capsys):
    """A name with a backslash, a control character, a % and spaces at both ends, 200 bytes with its accents:
    kept under a name the file system holds (%XX), given back identically by `rebuild`; then the import's
    record altered by SQL (its day received) is a difference, since a rebuild would give the kept name's back."""
    from datetime import date

    from db_dump import dump
    from demo_truth import DEMO

    from iaedash.ingest.load import IncomingFile, import_files
    from iaedash.store import rebuild

    stem = " conventions\\2025 %2F é\x01 "
    name = stem + "é" * ((200 - len(stem.encode()) - len(".csv")) // 2) + ".csv"
    assert len(name.encode()) == 200
    [outcome] = import_files(db, [IncomingFile(name, (DEMO / "conventions_2025.csv").read_bytes())], date(2025, 3, 1))
    assert outcome.status == "accepted", [str(p) for p in outcome.problems]
    [kept] = [p for p in (db.parent / "depots").iterdir() if p.name.startswith("000001_")]
    assert kept.name.endswith("_ conventions%5C2025 %252F é%01 " + "é" * 85 + ".csv")
    assert len(kept.name.encode()) + len("..partial") <= 255
    before = dump(db)
    assert before["imports"][0][1] == name
    rebuild(db)
    assert dump(db) == before
    assert run_check(db, capsys)[0] == 0
    con = duckdb.connect(str(db))
    con.execute("update imports set received_on = date '2025-02-28' where import_id = 1")
    con.close()
    code, _, err = run_check(db, capsys)
    assert code == 1
    assert "import n° 1 : la base a « " in err and " reçu le 28/02/2025, importé le " in err
    assert "reçu le 01/03/2025" in err and "\\x01" in err and "\x01" not in err


def test_a_name_too_long_once_escaped_is_refused_before_anything_is_written(db: Path):
    from datetime import date

    from demo_truth import DEMO

    from iaedash.ingest.load import IncomingFile, import_files

    name = "\\" * 196 + ".csv"  # 200 bytes, 592 once written %5C
    [outcome] = import_files(db, [IncomingFile(name, (DEMO / "conventions_2025.csv").read_bytes())], date(2025, 3, 1))
    assert outcome.status == "refused"
    [problem] = outcome.problems
    assert problem.message.startswith("nom de fichier trop long pour sa copie conservée (592 octets une fois")
    assert not [p for p in (db.parent / "depots").iterdir() if p.name != "actes.jsonl"]
