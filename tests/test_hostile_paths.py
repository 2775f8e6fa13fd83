"""What Excel saves for an empty sheet, a path that is not a file: a French message, nothing changed — for the
quarterly import and the bulk import alike (issue 13, first cases)."""

from __future__ import annotations

from pathlib import Path

import pytest
from db_dump import dump

from iaedash import cli


@pytest.mark.parametrize("lot", [[], ["--lot"]], ids=["par-fichier", "en-lot"])
def test_a_csv_of_separators_only_is_an_empty_file(demo_db: Path, tmp_path: Path, capsys, lot: list[str]):
    path = tmp_path / "vide.csv"
    path.write_bytes(b";;;;\r\n;;;;\r\n")
    before = dump(demo_db)
    assert cli.main(["import", "--db", str(demo_db), *lot, str(path)]) == 1
    err = capsys.readouterr().err
    assert "vide.csv:1: le fichier est vide (aucune cellule remplie)" in err
    assert "Traceback" not in err
    assert dump(demo_db) == before


@pytest.mark.parametrize("lot", [[], ["--lot"]], ids=["par-fichier", "en-lot"])
def test_a_missing_path_and_a_folder_are_said_in_french(demo_db: Path, tmp_path: Path, capsys, lot: list[str]):
    missing = tmp_path / "absent.csv"
    before = dump(demo_db)
    assert cli.main(["import", "--db", str(demo_db), *lot, str(missing), str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"{missing}: fichier introuvable ou illisible (aucun fichier à ce chemin)" in err
    assert f"{tmp_path}: fichier introuvable ou illisible (c'est un dossier, pas un fichier)" in err
    assert "No such file" not in err and "Is a directory" not in err
    assert dump(demo_db) == before


@pytest.mark.parametrize("lot", [[], ["--lot"]], ids=["par-fichier", "en-lot"])
def test_a_number_of_5000_digits_and_a_cell_over_10_mb_are_refused_in_french(
    demo_db: Path, tmp_path: Path, capsys, lot: list[str]
):
    header = "reseau;annee;trimestre;orientation;indicateur;valeur;commentaire\n"
    digits = tmp_path / "chiffres.csv"
    digits.write_text(header + "CABM;2025;1;PRO;GOUV;" + "9" * 5000 + ";\n", encoding="utf-8")
    unclosed = tmp_path / "guillemet.csv"
    unclosed.write_text(header + "CABM;2025;1;PRO;GOUV;3;" + "x" * 10_000_001 + "\n", encoding="utf-8")
    before = dump(demo_db)
    assert cli.main(["import", "--db", str(demo_db), *lot, str(digits), str(unclosed)]) == 1
    err = capsys.readouterr().err
    assert "chiffres.csv:2:valeur: « 999999999999… » (5000 chiffres) est trop grand" in err
    assert "guillemet.csv: une cellule dépasse 10 millions de caractères" in err
    assert "Traceback" not in err and "Error" not in err
    assert dump(demo_db) == before
