"""Importing files into a real DuckDB: all-or-nothing, versions, no-op re-import, provenance."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import duckdb
import pytest
from db_dump import dump, files_under
from demo_truth import DEMO
from openpyxl import Workbook
from viewers import MANAGER

from iaedash.exports.datasets import everything, indicators
from iaedash.ingest.load import IncomingFile, import_files
from iaedash.store import init

CONVENTION = (
    "reseau;nom;annee;date_debut;date_fin;cout_personnel_prevu;montant_fse;contrepartie_departement;"
    "autofinancement;avance_versee;date_avance;objectif_gouv;objectif_form;objectif_juri;objectif_veil;"
    "objectif_webi;objectif_comi\r\n"
    "TEST;Réseau de test (fictif);2025;01/01/2025;31/12/2025;100000,00;84000,00;42000,00;14000,00;21000,00;"
    "15/03/2025;10;12;8;4;;9\r\n"
)


def indicators_csv(quarter: int, values: dict[tuple[str, str], int], network: str = "TEST") -> bytes:
    lines = ["reseau;annee;trimestre;orientation;indicateur;valeur"]
    lines += [f"{network};2025;T{quarter};{o};{i};{v}" for (o, i), v in values.items()]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def staff_csv(rows: list[tuple[int, str, str, str, str]]) -> bytes:
    lines = ["reseau;annee;mois;salarie;fonction;fonction_support;cout_mensuel;taux_affectation"]
    lines += [f"TEST;2025;{m};{e};Chargé de mission;{s};{c};{r}" for m, e, s, c, r in rows]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def run(db: Path, name: str, data: bytes, received: date = date(2025, 4, 20), **kwargs):
    [outcome] = import_files(db, [IncomingFile(name, data)], received, **kwargs)
    return outcome


@pytest.fixture
def with_convention(db: Path) -> Path:
    init(db)
    assert run(db, "convention.csv", CONVENTION.encode("utf-8")).status == "accepted"
    return db


def test_four_quarters_of_a_network_head_come_back_exactly(db: Path):
    """Done when: init, import a network head's four quarterly files, export gives back the counts."""
    init(db)
    paths = [DEMO / "conventions_2025.csv", *(DEMO / f"CABM_2025_T{q}_indicateurs.csv" for q in range(1, 5))]
    outcomes = import_files(db, [IncomingFile.from_path(p) for p in paths], date(2026, 1, 20))
    assert [o.status for o in outcomes] == ["accepted"] * 5
    expected = set()
    for path in paths[1:]:
        for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"):
            if int(row["valeur"]):
                quarter = int(row["trimestre"].removeprefix("T"))
                expected.add(
                    (
                        "CABM",
                        2025,
                        quarter,
                        row["orientation"],
                        row["indicateur"],
                        row["territoire"],
                        int(row["valeur"]),
                    )
                )
    con = duckdb.connect(str(db), read_only=True)
    frame = indicators(con, MANAGER, everything(), date.today()).drop(columns=["commentaire"])
    exported = {tuple(r) for r in frame.itertuples(index=False)}
    con.close()
    assert exported == expected
    assert len(expected) > 50


def test_a_bad_file_is_refused_with_every_problem_and_changes_nothing(with_convention: Path):
    db = with_convention
    before, kept_before = dump(db), files_under(db.parent / "depots")
    data = (
        b"reseau;annee;trimestre;orientation;indicateur;valuer\r\n"  # bad header: valuer
        b"TEST;2025;1;PRO;FORM;-3\r\n"
        b"TEST;2025;1;XYZ;GOUV;2\r\n"
    )
    fixed_header = data.replace(b"valuer", b"valeur")
    outcome = run(db, "depot.csv", data)
    assert outcome.status == "refused"
    messages = [str(p) for p in outcome.problems]
    assert messages == [
        "depot.csv:1:valuer: colonne inconnue « valuer » ; la colonne obligatoire « valeur » manque : "
        "vouliez-vous l'écrire ainsi ?",
        "depot.csv:3:orientation: « XYZ » n'est pas un code connu (attendu : PRO, MAR, INT, DIV)",
    ]
    outcome = run(db, "depot.csv", fixed_header)
    assert [str(p) for p in outcome.problems] == [
        "depot.csv:2:valeur: « -3 » est négatif : attendu un nombre entier positif ou nul",
        "depot.csv:3:orientation: « XYZ » n'est pas un code connu (attendu : PRO, MAR, INT, DIV)",
    ]
    assert dump(db) == before
    assert files_under(db.parent / "depots") == kept_before


def test_three_faults_give_three_located_messages(with_convention: Path):
    """A negative value, an unknown code and a bad header in one file: three messages, nothing written."""
    db = with_convention
    before = dump(db)
    data = (
        b"reseau;annee;trimestre;orientation;indicateur;valeur;commentaires\r\n"
        b"TEST;2025;1;PRO;FORM;4;\r\n"
        b"TEST;2025;1;PRO;GOUV;-1;\r\n"
        b"TEST;2025;1;MAR;FROM;2;\r\n"
    )
    outcome = run(db, "t1.csv", data)
    assert [(p.line, p.column) for p in outcome.problems] == [(1, "commentaires"), (3, "valeur"), (4, "indicateur")]
    assert "« FROM »" in outcome.problems[2].message
    assert dump(db) == before


def test_quarter_without_convention_is_refused(db: Path):
    init(db)
    outcome = run(db, "t1.csv", indicators_csv(1, {("PRO", "FORM"): 3}))
    assert outcome.status == "refused"
    assert str(outcome.problems[0]).startswith("t1.csv:2:reseau: aucune convention 2025 pour le réseau « TEST »")


def test_a_corrected_quarter_becomes_version_two_and_the_first_stays_queryable(with_convention: Path):
    db = with_convention
    first = run(db, "t1.csv", indicators_csv(1, {("PRO", "FORM"): 3, ("MAR", "GOUV"): 2}), date(2025, 4, 20))
    second = run(db, "t1-corrige.csv", indicators_csv(1, {("PRO", "FORM"): 5}), date(2025, 5, 12))
    assert (first.changes[0].version, second.changes[0].version, second.changes[0].previous_version) == (1, 2, 1)
    con = duckdb.connect(str(db), read_only=True)
    current = con.execute(
        "select orientation, indicator, value, file_name, version, source_line from current_indicator_values"
    ).fetchall()
    history = con.execute(
        "select s.version, i.file_name, i.received_on, v.value from submissions s join imports i using (import_id) "
        "join indicator_values v using (submission_id) where s.kind = 'indicateurs' order by s.version, v.value"
    ).fetchall()
    con.close()
    assert current == [("PRO", "FORM", 5, "t1-corrige.csv", 2, 2)]  # MAR/GOUV absent now: counts as 0
    assert history == [
        (1, "t1.csv", date(2025, 4, 20), 2),
        (1, "t1.csv", date(2025, 4, 20), 3),
        (2, "t1-corrige.csv", date(2025, 5, 12), 5),
    ]


def test_the_same_file_twice_is_a_no_op_that_says_so(with_convention: Path):
    db = with_convention
    data = indicators_csv(2, {("INT", "COMI"): 4})
    assert run(db, "t2.csv", data, date(2025, 7, 10)).status == "accepted"
    before, kept = dump(db), files_under(db.parent / "depots")
    again = run(db, "t2-renomme.csv", data, date(2025, 7, 11))
    assert again.status == "duplicate" and again.ok
    assert again.message.startswith("déjà importé le ")
    assert "version 1" in again.message and "« t2.csv »" in again.message
    assert dump(db) == before
    assert files_under(db.parent / "depots") == kept


def test_a_superseded_file_sent_again_is_still_a_no_op(with_convention: Path):
    db = with_convention
    v1 = indicators_csv(3, {("DIV", "VEIL"): 1})
    run(db, "a.csv", v1)
    run(db, "b.csv", indicators_csv(3, {("DIV", "VEIL"): 2}))
    assert run(db, "a.csv", v1).status == "duplicate"


def test_lateness_follows_the_calls_deadline(with_convention: Path):
    db = with_convention
    on_time = run(db, "t1.csv", indicators_csv(1, {("PRO", "FORM"): 1}), date(2025, 4, 30))
    late = run(db, "t2.csv", indicators_csv(2, {("PRO", "FORM"): 1}), date(2025, 7, 31))
    assert (on_time.changes[0].on_time, late.changes[0].on_time) == (True, False)
    assert "reçu en retard (attendu au plus tard le 30/07/2025)" in late.message


def test_staff_lines_are_kept_with_eligibility_and_reason(with_convention: Path):
    db = with_convention
    data = staff_csv(
        [
            (1, "S01", "non", "3000,00", "100"),
            (1, "S02", "non", "2000,00", "30"),
            (1, "S03", "non", "2000,00", "29,5"),
            (1, "S04", "oui", "2500,00", "50 %"),
        ]
    )
    assert run(db, "p1.csv", data).status == "accepted"
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(
        "select employee, amount_eur, eligible, ineligibility_reason, source_line from current_staff_lines order by 1"
    ).fetchall()
    con.close()
    from decimal import Decimal as D

    assert rows == [
        ("S01", D("3000.00"), True, None, 2),
        ("S02", D("600.00"), True, None, 3),
        ("S03", D("590.00"), False, "taux d'affectation inférieur à 30 %", 4),
        ("S04", D("1250.00"), False, "fonction support", 5),
    ]


def test_a_rate_that_changes_across_files_is_a_warning_not_a_refusal(with_convention: Path):
    db = with_convention
    run(db, "p1.csv", staff_csv([(m, "S01", "non", "3000", "50") for m in (1, 2, 3)]))
    outcome = run(db, "p2.csv", staff_csv([(m, "S01", "non", "3000", "60") for m in (4, 5, 6)]))
    assert outcome.status == "accepted"
    assert len(outcome.warnings) == 1 and "S01" in outcome.warnings[0] and "50 %, 60 %" in outcome.warnings[0]


def test_a_workbook_with_its_convention_and_quarter_loads_in_one_go(db: Path):
    book = Workbook()
    book.remove(book.active)
    conv = book.create_sheet("Conventions")
    for line in CONVENTION.strip().split("\r\n"):
        conv.append(line.split(";"))
    ind = book.create_sheet("indicateurs")
    ind.append(["Réseau", "Année", "Trimestre", "Orientation", "Indicateur", "Valeur"])
    ind.append(["test", 2025, "t1", "pro", "webi", 40])
    book.create_sheet("Instructions").append(["Remplissez les onglets"])
    buffer = io.BytesIO()
    book.save(buffer)
    outcome = run(db, "depot.xlsx", buffer.getvalue())
    assert outcome.status == "accepted", [str(p) for p in outcome.problems]
    assert [(c.kind, c.quarter) for c in outcome.changes] == [("conventions", None), ("indicateurs", 1)]
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select sheet, source_line, value from current_indicator_values").fetchall() == [
        ("indicateurs", 2, 40)
    ]
    assert con.execute("select target from current_targets where indicator = 'WEBI'").fetchall() == [(None,)]
    con.close()


def test_errors_in_a_workbook_name_the_sheet(with_convention: Path):
    book = Workbook()
    ws = book.active
    ws.title = "indicateurs"
    ws.append(["reseau", "annee", "trimestre", "orientation", "indicateur", "valeur"])
    ws.append(["TEST", 2025, 1, "PRO", "FORM", 2.5])
    buffer = io.BytesIO()
    book.save(buffer)
    outcome = run(with_convention, "depot.xlsx", buffer.getvalue())
    assert str(outcome.problems[0]) == "depot.xlsx[indicateurs]:2:valeur: « 2.5 » n'est pas un nombre entier"


def test_a_dry_run_previews_the_changes_and_writes_nothing(with_convention: Path):
    db = with_convention
    run(db, "t1.csv", indicators_csv(1, {("PRO", "FORM"): 1}))
    before, kept = dump(db), files_under(db.parent / "depots")
    preview = run(db, "t1b.csv", indicators_csv(1, {("PRO", "FORM"): 2}), dry_run=True)
    assert preview.status == "accepted"
    assert (preview.changes[0].version, preview.changes[0].previous_version) == (2, 1)
    assert dump(db) == before
    assert files_under(db.parent / "depots") == kept


def test_accepted_files_are_kept_as_received(with_convention: Path):
    db = with_convention
    data = indicators_csv(1, {("PRO", "FORM"): 1})
    outcome = run(db, "mon dépôt (1).csv", data, date(2025, 4, 18))
    kept = files_under(db.parent / "depots")
    [name] = [n for n in kept if n.startswith(f"{outcome.import_id:06d}_")]
    assert name.startswith(f"{outcome.import_id:06d}_2025-04-18_") and name.endswith("_mon dépôt (1).csv")
    assert kept[name] == data


def test_a_failure_while_writing_rolls_everything_back(with_convention: Path, monkeypatch: pytest.MonkeyPatch):
    db = with_convention
    before, kept = dump(db), files_under(db.parent / "depots")
    from iaedash.ingest import load

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(load._Importer, "_write_indicators", broken)
    outcome = run(db, "t1.csv", indicators_csv(1, {("PRO", "FORM"): 1}))
    assert outcome.status == "refused"  # said in French, the other files of the command go on (issue 13)
    assert outcome.problems[0].message.startswith("erreur inattendue pendant l'import de ce fichier")
    assert dump(db) == before
    assert files_under(db.parent / "depots") == kept


def test_a_value_too_large_for_the_store_is_refused_in_french_and_the_next_file_still_loads(with_convention: Path):
    db = with_convention
    big = indicators_csv(1, {("PRO", "FORM"): 3_000_000_000})
    good = indicators_csv(2, {("PRO", "FORM"): 2})
    big_outcome, good_outcome = import_files(
        db, [IncomingFile("gros.csv", big), IncomingFile("t2.csv", good)], date(2025, 7, 1)
    )
    assert big_outcome.status == "refused"
    assert str(big_outcome.problems[0]).startswith("gros.csv:2:valeur: « 3000000000 » est trop grand")
    assert good_outcome.status == "accepted"


def test_a_store_error_refuses_the_file_and_lets_the_others_load(with_convention: Path, monkeypatch):
    import duckdb as ddb

    from iaedash.ingest import load

    real = load._Importer._write_indicators

    def fails_once(self, submission_id, rows):
        if rows[0].value == 7:
            raise ddb.ConversionException("overflow")
        return real(self, submission_id, rows)

    monkeypatch.setattr(load._Importer, "_write_indicators", fails_once)
    before = dump(with_convention)
    for dry_run in (True, False):
        bad, good = import_files(
            with_convention,
            [
                IncomingFile("a.csv", indicators_csv(1, {("PRO", "FORM"): 7})),
                IncomingFile("b.csv", indicators_csv(2, {("PRO", "FORM"): 1})),
            ],
            date(2025, 7, 1),
            dry_run=dry_run,
        )
        assert (bad.status, good.status) == ("refused", "accepted")
        assert "refusé par la base de données" in bad.problems[0].message
    after = dump(with_convention)
    assert len(after["imports"]) == len(before["imports"]) + 1
