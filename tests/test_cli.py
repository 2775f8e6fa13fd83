"""The `iaedash` command: exit codes, messages on stderr, export files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from demo_truth import DEMO

from iaedash.cli import main


def test_init_then_import_accepts_and_reports(db: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["init", "--db", str(db)]) == 0
    code = main(["import", "--db", str(db), str(DEMO / "conventions_2025.csv"), "--recu-le", "2025-03-10"])
    assert code == 0
    assert "convention CABM 2025 : version 1 (nouveau)" in capsys.readouterr().out


def test_one_refused_file_gives_exit_1_and_the_others_still_load(db: Path, tmp_path: Path, capsys):
    bad = tmp_path / "mauvais.csv"
    bad.write_text("reseau;annee;trimestre;orientation;indicateur;valeur\nCABM;2025;T5;PRO;FORM;1\n", encoding="utf-8")
    code = main(["import", "--db", str(db), str(bad), str(DEMO / "conventions_2025.csv")])
    captured = capsys.readouterr()
    assert code == 1
    assert "mauvais.csv:2:trimestre: « T5 » n'est pas un trimestre (attendu : 1 à 4 ou T1 à T4)" in captured.err
    assert "conventions_2025.csv : importé" in captured.out


def test_same_file_again_exits_0_and_says_already_imported(db: Path, capsys):
    path = str(DEMO / "conventions_2025.csv")
    main(["import", "--db", str(db), path])
    capsys.readouterr()
    assert main(["import", "--db", str(db), path]) == 0
    assert "déjà importé le" in capsys.readouterr().out


def test_missing_file_is_refused(db: Path, capsys):
    assert main(["import", "--db", str(db), "/nonexistent/depot.csv"]) == 1
    assert "fichier introuvable ou illisible" in capsys.readouterr().err


def test_export_without_database_says_what_to_do(db: Path, tmp_path: Path, capsys):
    assert main(["export", "indicateurs", "--db", str(db), "--out", str(tmp_path / "x.csv")]) == 2
    assert "iaedash init" in capsys.readouterr().err


def test_db_defaults_to_the_environment_variable(db: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("IAEDASH_DB", str(db))
    assert main(["init"]) == 0
    assert db.exists()


def test_bad_received_date_is_a_usage_error(db: Path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["import", "--db", str(db), "x.csv", "--recu-le", "14/10/2025"])
    assert exit_info.value.code == 2
    assert "attendu AAAA-MM-JJ" in capsys.readouterr().err


def test_python_dash_m_and_console_script_run(db: Path):
    result = subprocess.run(
        [sys.executable, "-m", "iaedash", "init", "--db", str(db)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    script = Path(sys.executable).parent / "iaedash"
    assert script.exists()
    assert (
        "importer des fichiers de dépôt"
        in subprocess.run([str(script), "--help"], capture_output=True, text=True, check=True).stdout
    )


def test_template_command_writes_a_workbook_that_imports(demo_db: Path, tmp_path: Path, capsys):
    from openpyxl import load_workbook

    out = tmp_path / "modele.xlsx"
    assert (
        main(
            [
                "template",
                "--db",
                str(demo_db),
                "--reseau",
                "cabm",
                "--annee",
                "2025",
                "--trimestre",
                "2",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    book = load_workbook(out)
    assert {"indicateurs", "personnel"} <= set(book.sheetnames)
    book["personnel"].append(["CABM", 2025, 4, "S01", "Chargée de mission", "non", 3000, 100])
    book.save(out)
    assert main(["import", "--db", str(demo_db), str(out), "--recu-le", "2025-07-10"]) == 0
    assert "indicateurs CABM T2 2025 : version 2 (remplace la version 1)" in capsys.readouterr().out


def test_template_for_an_unknown_network_head_is_refused(demo_db: Path, capsys):
    assert main(["template", "--db", str(demo_db), "--reseau", "XX", "--annee", "2025", "--trimestre", "1"]) == 1
    assert "réseau « XX » inconnu" in capsys.readouterr().err


def test_one_command_says_the_valid_file_and_refuses_a_file_of_separators_only(db: Path, tmp_path: Path):
    """In one real `python -m iaedash import` process: the valid file is imported and said, the file of
    separators only (what Excel saves for an empty sheet) refused in French, exit code 1."""
    empty = tmp_path / "vide.csv"
    empty.write_bytes(b";;;;\r\n;;;;\r\n")
    command = ["import", "--db", str(db), "--recu-le", "2025-03-10", str(DEMO / "conventions_2025.csv"), str(empty)]
    result = subprocess.run(
        [sys.executable, "-m", "iaedash", *command],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "conventions_2025.csv : importé (import n° 1) : " in result.stdout
    assert "convention CABM 2025 : version 1 (nouveau)" in result.stdout
    assert "vide.csv : refusé" in result.stderr and "vide.csv:1: le fichier est vide" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    kept = sorted(p.name for p in (db.parent / "depots").iterdir() if p.name != "actes.jsonl")
    assert len(kept) == 1 and kept[0].endswith("_conventions_2025.csv")


LOT_HEADER = "reseau;annee;mois;salarie;fonction;fonction_support;cout_mensuel;taux_affectation\r\n"


def test_a_bulk_file_that_breaks_the_import_is_refused_and_the_others_are_imported_and_said(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
):
    """`import --lot` of three files, the second breaking the bulk checks (a bug simulated: any would do):
    that one is refused in French with its traceback in the technical log, the first and the third imported,
    and each verdict said."""
    from iaedash.ingest import bulk

    assert main(["import", "--db", str(db), str(DEMO / "conventions_2025.csv"), "--recu-le", "2025-03-10"]) == 0
    real = bulk.check_lot

    def breaks_on_one(lot, calls, con):
        if lot.file_name == "casse.csv":
            raise RuntimeError("bogue simulé")
        return real(lot, calls, con)

    monkeypatch.setattr(bulk, "check_lot", breaks_on_one)
    paths = []
    for name, month in (("premier.csv", 1), ("casse.csv", 2), ("dernier.csv", 4)):
        path = tmp_path / name
        path.write_text(f"{LOT_HEADER}CABM;2025;{month};S01;Coordinatrice;non;3900,00;100\r\n", encoding="utf-8")
        paths.append(str(path))
    capsys.readouterr()
    code = main(["import", "--lot", "--db", str(db), "--recu-le", "2025-07-20", *paths])
    out, err = capsys.readouterr()
    assert code == 1
    assert "premier.csv : importé en lot (import n° 2)" in out and "dernier.csv : importé en lot (import n° 3)" in out
    assert "casse.csv: erreur inattendue pendant l'import de ce fichier : rien n'en a été importé" in err
    assert "Traceback" not in out + err
    log = (db.parent / "journal-technique.log").read_text(encoding="utf-8")
    assert "casse.csv" in log and "RuntimeError: bogue simulé" in log
    kept = sorted(p.name for p in (db.parent / "depots").iterdir() if "+lot" in p.name)
    assert [name[:6] for name in kept] == ["000002", "000003"]
