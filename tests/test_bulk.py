"""The bulk path's own behaviour (`iaedash import --lot`, `ingest.bulk`): Parquet read as CSV is, new versions
of earlier quarters, all or nothing, the first 100 problems and a count, the kept file and `rebuild`, a file
already imported, locked quarters, a network head's rights, the command line, a workbook refused; and what a
bulk file does unlike a quarterly one (rows group into scopes, a row whose scope cannot be read is in none,
one rate-change warning per network head × year × employee). tests/test_bulk_equivalence.py proves that it
refuses and stores exactly what the per-file path does."""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import product
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from db_dump import dump, files_under
from demo_truth import DEMO
from helpers_ingest import INDICATOR_HEADER, STAFF_HEADER, check_one, csv_text, xlsx_bytes
from viewers import CABM, MANAGER

from iaedash.cli import main
from iaedash.domain.reference import INDICATOR_CODES, ORIENTATION_CODES, TERRITORY_CODES
from iaedash.domain.review import ReviewAction
from iaedash.ingest.bulk import SHOWN_PROBLEMS, import_lot
from iaedash.ingest.load import IncomingFile, import_files, parse_kept_file_name
from iaedash.ingest.problems import Problem
from iaedash.review import Scope, act
from iaedash.store import kept_files, rebuild

RECEIVED = date(2025, 10, 15)

# Several network heads and quarters in one file; the same key in two scopes is no duplicate.
INDICATORS = [
    ["CABM", "2025", "T1", "PRO", "GOUV", "DEP", "3", ""],
    ["CABM", "2025", "T1", "PRO", "FORM", "ART", "4", "RAS"],
    ["FEIAL", "2025", "T2", "MAR", "JURI", "", "2", ""],
    ["CABM", "2025", "T2", "PRO", "GOUV", "DEP", "5", ""],
]
STAFF = [
    ["CABM", "2025", "1", "S01", "Coordinatrice", "non", "3900,00", "100"],
    ["CABM", "2025", "2", "S01", "Coordinatrice", "non", "3900,00", "100"],
    ["CABM", "2025", "4", "S02", "Chargé d'accompagnement", "oui", "3100,50", "50"],
    ["FEIAL", "2025", "1", "S01", "Animatrice", "non", "2800", "20"],
]
NEGATIVE = "« -1 » est négatif : attendu un nombre entier positif ou nul"


@pytest.fixture(scope="module")
def conventions_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("conventions") / "iaedash.duckdb"
    [outcome] = import_files(db, [IncomingFile.from_path(DEMO / "conventions_2025.csv")], date(2025, 3, 10))
    assert outcome.status == "accepted", [str(p) for p in outcome.problems]
    return db


@pytest.fixture
def base(conventions_template: Path, tmp_path: Path) -> Path:
    """A database holding the demo conventions of 2025 (and their kept file), that a test may change."""
    target = tmp_path / "base" / "iaedash.duckdb"
    target.parent.mkdir()
    shutil.copy(conventions_template, target)
    shutil.copytree(conventions_template.parent / "depots", target.parent / "depots")
    return target


def lot_csv(folder: Path, header: list[str], rows: list[list[str]], name: str = "reprise.csv") -> Path:
    path = folder / name
    path.write_text(csv_text(header, *rows), encoding="utf-8")
    return path


def rows_of(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def current(db: Path) -> dict[str, list[tuple]]:
    """The current values of both kinds, without what names the file they came in."""
    return {
        view: rows_of(db, f"select * exclude (submission_id, file_name) from {view} order by all")
        for view in ("current_indicator_values", "current_staff_lines")
    }


def located(problems: list[Problem]) -> list[tuple[str, int | None, str | None]]:
    return [(p.message, p.line, p.column) for p in problems]


# -- input -------------------------------------------------------------------------------------------------


def test_parquet_with_typed_columns_stores_what_the_same_csv_stores(base: Path, tmp_path: Path):
    (tmp_path / "csv").mkdir()
    from_csv = shutil.copy(base, tmp_path / "csv" / base.name)
    indicators = tmp_path / "indicateurs.parquet"
    pq.write_table(
        pa.table(
            {
                "reseau": pa.array([r[0] for r in INDICATORS]),
                "annee": pa.array([2025] * 4, pa.int32()),
                "trimestre": pa.array([1, 1, 2, 2], pa.int8()),
                "orientation": pa.array([r[3] for r in INDICATORS]),
                "indicateur": pa.array([r[4] for r in INDICATORS]),
                "territoire": pa.array(["DEP", "ART", None, "DEP"]),  # null: the default territory, as blank
                "valeur": pa.array([3, 4, 2, 5], pa.int64()),
                "commentaire": pa.array([None, "RAS", None, None]),
            }
        ),
        indicators,
    )
    staff = tmp_path / "personnel.parquet"
    pq.write_table(
        pa.table(
            {
                "reseau": pa.array([r[0] for r in STAFF]),
                "annee": pa.array([2025] * 4, pa.int64()),
                "mois": pa.array([1, 2, 4, 1], pa.int32()),
                "salarie": pa.array([r[3] for r in STAFF]),
                "fonction": pa.array([r[4] for r in STAFF]),
                "fonction_support": pa.array([False, False, True, False]),
                "cout_mensuel": pa.array(
                    [Decimal(v) for v in ("3900", "3900", "3100.5", "2800")], pa.decimal128(14, 2)
                ),
                "taux_affectation": pa.array([100.0, 100.0, 50.0, 20.0], pa.float64()),
            }
        ),
        staff,
    )
    for path in (indicators, staff):
        outcome = import_lot(base, path, RECEIVED)
        assert outcome.status == "accepted", [str(p) for p in outcome.problems]
    for header, rows in ((INDICATOR_HEADER, INDICATORS), (STAFF_HEADER, STAFF)):
        outcome = import_lot(from_csv, lot_csv(tmp_path, header, rows, f"{header[2]}.csv"), RECEIVED)
        assert outcome.status == "accepted", [str(p) for p in outcome.problems]
    assert current(base) == current(from_csv)
    assert len(current(base)["current_indicator_values"]) == 4
    assert rows_of(base, "select employee, month, amount_eur, eligible from staff_lines order by all") == [
        ("S01", 1, Decimal("560.00"), False),  # FEIAL: 20 % is under the call's minimum
        ("S01", 1, Decimal("3900.00"), True),
        ("S01", 2, Decimal("3900.00"), True),
        ("S02", 4, Decimal("1550.25"), False),  # a support function
    ]


def test_parquet_cells_get_the_per_file_messages(base: Path, tmp_path: Path):
    path = tmp_path / "indicateurs.parquet"
    pq.write_table(
        pa.table(
            {
                "reseau": ["CABM", "CABM", None],
                "annee": pa.array([2025, 2025, 2025], pa.int32()),
                "trimestre": ["T1", "T5", "T1"],
                "orientation": ["PRO", "PRO", "PRO"],
                "indicateur": ["GOUV", "FORM", "JURI"],
                "valeur": pa.array([3.0, -1.0, 2.5]),
            }
        ),
        path,
    )
    outcome = import_lot(base, path, RECEIVED)
    assert outcome.status == "refused"
    assert located(outcome.problems) == [
        ("« T5 » n'est pas un trimestre (attendu : 1 à 4 ou T1 à T4)", 3, "trimestre"),
        ("« -1.0 » est négatif : attendu un nombre entier positif ou nul", 3, "valeur"),
        ("valeur manquante", 4, "reseau"),
        ("« 2.5 » n'est pas un nombre entier", 4, "valeur"),
    ]


def test_parquet_decimals_of_a_wider_scale_are_read_to_the_cent(base: Path, tmp_path: Path):
    """A decimal(18, 4) column (a database's money type) holds 3900.0000: two decimals of zeros are no
    « plus de deux décimales »; a real third decimal still is."""
    path = tmp_path / "personnel.parquet"
    pq.write_table(
        pa.table(
            {
                "reseau": ["CABM", "CABM"],
                "annee": [2025, 2025],
                "mois": [1, 2],
                "salarie": ["S01", "S01"],
                "fonction": ["Coordinatrice", "Coordinatrice"],
                "fonction_support": [False, False],
                "cout_mensuel": pa.array([Decimal("3900.0000"), Decimal("3900.0010")], pa.decimal128(18, 4)),
                "taux_affectation": pa.array([Decimal("50.000"), Decimal("50.000")], pa.decimal128(6, 3)),
            }
        ),
        path,
    )
    outcome = import_lot(base, path, RECEIVED)
    assert located(outcome.problems) == [
        ("« 3900.0010 » a plus de deux décimales : attendu un montant au centime près", 3, "cout_mensuel")
    ]


def test_parquet_dictionary_encoded_columns_are_read_as_their_values(base: Path, tmp_path: Path):
    path = tmp_path / "indicateurs.parquet"
    pq.write_table(
        pa.table(
            {
                "reseau": pa.array(["CABM", "FEIAL"]).dictionary_encode(),
                "annee": [2025, 2025],
                "trimestre": pa.array(["T1", "T1"]).dictionary_encode(),
                "orientation": ["PRO", "PRO"],
                "indicateur": ["GOUV", "GOUV"],
                "valeur": [1, 2],
            }
        ),
        path,
    )
    outcome = import_lot(base, path, RECEIVED)
    assert outcome.status == "accepted", [str(p) for p in outcome.problems]


def test_a_parquet_row_of_nulls_is_a_blank_row_skipped(base: Path, tmp_path: Path):
    path = tmp_path / "indicateurs.parquet"
    pq.write_table(
        pa.table(
            {
                "reseau": ["CABM", None, "CABM"],
                "annee": pa.array([2025, None, 2025], pa.int32()),
                "trimestre": ["T1", None, "T1"],
                "orientation": ["PRO", None, "PRO"],
                "indicateur": ["GOUV", None, "FORM"],
                "valeur": pa.array([1, None, 2], pa.int64()),
            }
        ),
        path,
    )
    outcome = import_lot(base, path, RECEIVED)
    assert outcome.status == "accepted", [str(p) for p in outcome.problems]
    assert rows_of(base, "select source_line from indicator_values order by 1") == [(2,), (4,)]


def test_blank_lines_above_the_header_shift_the_lines_as_in_a_quarterly_file(base: Path, tmp_path: Path):
    rows = [INDICATORS[0], ["CABM", "2025", "T1", "PRO", "FORM", "DEP", "-1", ""]]
    path = tmp_path / "reprise.csv"
    data = ";;;\r\n\r\n" + csv_text(INDICATOR_HEADER, *rows)
    path.write_text(data, encoding="utf-8")
    outcome = import_lot(base, path, RECEIVED)
    assert located(outcome.problems) == [(NEGATIVE, 5, "valeur")]
    assert located(outcome.problems) == located(check_one("reprise.csv", data.encode()).problems)


def test_a_workbook_given_as_a_bulk_file_is_refused_in_french(base: Path, tmp_path: Path, capsys):
    path = tmp_path / "reprise.xlsx"
    path.write_bytes(xlsx_bytes({"indicateurs": [INDICATOR_HEADER, *INDICATORS]}))
    before = dump(base)
    outcome = import_lot(base, path, RECEIVED)
    assert outcome.status == "refused"
    assert located(outcome.problems) == [
        ("un import en lot se fait en CSV ou en Parquet : enregistrez le classeur en CSV", None, None)
    ]
    assert dump(base) == before
    assert main(["import", "--db", str(base), "--lot", str(path)]) == 1
    assert "un import en lot se fait en CSV ou en Parquet" in capsys.readouterr().err


# -- versions, all or nothing ----------------------------------------------------------------------------


def test_a_bulk_file_is_one_new_version_per_network_head_year_and_quarter(base: Path, tmp_path: Path):
    [first] = import_files(base, [IncomingFile.from_path(DEMO / "CABM_2025_T1_indicateurs.csv")], date(2025, 4, 20))
    assert first.status == "accepted"
    demo_rows = rows_of(base, "select count(*) from indicator_values")[0][0]

    outcome = import_lot(base, lot_csv(tmp_path, INDICATOR_HEADER, INDICATORS), RECEIVED)
    assert outcome.status == "accepted", [str(p) for p in outcome.problems]
    assert [(c.network_head, c.quarter, c.version, c.previous_version, c.on_time) for c in outcome.changes] == [
        ("CABM", 1, 2, 1, False),  # in the order of their first line
        ("FEIAL", 2, 1, None, False),
        ("CABM", 2, 1, None, False),
    ]
    assert outcome.message.startswith(
        f"importé en lot (import n° {outcome.import_id}) : 3 trimestres d'indicateurs (2 nouveaux, 1 remplacés), "
        "2 tête(s) de réseau, 2025"
    )
    assert rows_of(
        base,
        "select network_head, quarter, orientation, indicator, territory, value, comment, version, source_line "
        "from current_indicator_values order by source_line",
    ) == [
        ("CABM", 1, "PRO", "GOUV", "DEP", 3, None, 2, 2),
        ("CABM", 1, "PRO", "FORM", "ART", 4, "RAS", 2, 3),
        ("FEIAL", 2, "MAR", "JURI", "DEP", 2, None, 1, 4),
        ("CABM", 2, "PRO", "GOUV", "DEP", 5, None, 1, 5),
    ]
    # version 1 is kept, with all its values
    assert rows_of(
        base,
        "select s.version, count(*) from indicator_values join submissions s using (submission_id) "
        "where s.network_head = 'CABM' and s.quarter = 1 group by all order by 1",
    ) == [(1, demo_rows), (2, 2)]


def test_one_bad_row_and_nothing_is_stored_kept_or_left_unsaid(base: Path, tmp_path: Path):
    before, kept = dump(base), files_under(base.parent / "depots")
    rows = [*INDICATORS, ["FEIAL", "2025", "T3", "PRO", "GOUV", "DEP", "-1", ""]]
    outcome = import_lot(base, lot_csv(tmp_path, INDICATOR_HEADER, rows), RECEIVED)
    assert outcome.status == "refused"
    assert outcome.message == "refusé : 1 erreur(s), rien n'a été importé"
    assert located(outcome.problems) == [(NEGATIVE, 6, "valeur")]
    assert dump(base) == before
    assert files_under(base.parent / "depots") == kept
    assert rows_of(base, "select action, actor_role, detail from journal_events") == [
        ("import_refuse", "gestionnaire", f"reprise.csv : {NEGATIVE}")
    ]


def test_beyond_100_problems_the_first_100_are_listed_and_the_rest_counted(base: Path, tmp_path: Path):
    keys = list(product(ORIENTATION_CODES, INDICATOR_CODES, TERRITORY_CODES))[:150]
    rows = [["CABM", "2025", "T1", o, i, t, "-1", ""] for o, i, t in keys]
    outcome = import_lot(base, lot_csv(tmp_path, INDICATOR_HEADER, rows), RECEIVED)
    assert outcome.status == "refused"
    assert outcome.message == "refusé : 150 erreur(s), rien n'a été importé ; les 100 premières sont listées"
    assert len(outcome.problems) == SHOWN_PROBLEMS + 1
    assert located(outcome.problems[:SHOWN_PROBLEMS]) == [(NEGATIVE, line, "valeur") for line in range(2, 102)]
    assert located(outcome.problems[SHOWN_PROBLEMS:]) == [("… et 50 autre(s) erreur(s) non listée(s)", None, None)]


# -- kept, rebuilt, already imported ---------------------------------------------------------------------


def test_the_kept_file_is_the_bulk_file_and_rebuild_gives_the_same_database(base: Path, tmp_path: Path):
    sent = []
    for header, rows in ((INDICATOR_HEADER, INDICATORS), (STAFF_HEADER, STAFF)):
        path = lot_csv(tmp_path, header, rows, f"reprise_{header[2]}.csv")
        outcome = import_lot(base, path, RECEIVED, imported_at=datetime(2025, 10, 15, 14, 5, 9))
        assert outcome.status == "accepted", [str(p) for p in outcome.problems]
        sent.append((outcome.import_id, path))
    kept = {parse_kept_file_name(p.name).import_id: p for p in kept_files(base)}
    assert {p.parent for p in kept.values()} == {base.parent / "depots"}
    for import_id, path in sent:
        name = kept[import_id].name
        assert name == f"{import_id:06d}_2025-10-15_20251015T140509+lot_{path.name}"
        assert parse_kept_file_name(name).lot
        assert kept[import_id].read_bytes() == path.read_bytes()
    before = dump(base)
    rebuild(base)
    assert dump(base) == before


def test_the_same_bulk_file_again_is_already_imported(base: Path, tmp_path: Path):
    path = lot_csv(tmp_path, INDICATOR_HEADER, INDICATORS)
    first = import_lot(base, path, RECEIVED)
    assert first.status == "accepted"
    before = dump(base)
    again = import_lot(base, path, RECEIVED)
    assert again.status == "duplicate"
    assert again.message.startswith("déjà importé le ")
    assert f"(import n° {first.import_id}, « reprise.csv »)" in again.message
    assert again.message.endswith("rien n'a changé")
    assert dump(base) == before


# -- who may, and what is locked -------------------------------------------------------------------------


def test_a_locked_quarter_refuses_the_bulk_file_naming_it(base: Path, tmp_path: Path):
    names = ["CABM_2025_T1_indicateurs.csv", "CABM_2025_T1_personnel.csv"]
    assert all(o.ok for o in import_files(base, [IncomingFile.from_path(DEMO / n) for n in names], RECEIVED))
    at = datetime(2026, 1, 5, 9, 30)
    act(base, MANAGER, Scope("CABM", 2025, 1), ReviewAction.VALIDATE, at=at)
    act(base, MANAGER, Scope("CABM", 2025, 1), ReviewAction.LOCK, at=at + timedelta(hours=1))
    before = dump(base)
    for header, rows, line in ((INDICATOR_HEADER, INDICATORS, 2), (STAFF_HEADER, STAFF[2:] + STAFF[:2], 4)):
        outcome = import_lot(base, lot_csv(tmp_path, header, rows, f"lot_{header[2]}.csv"), RECEIVED)
        assert outcome.status == "refused"
        assert located(outcome.problems) == [
            (
                "trimestre verrouillé le 05/01/2026 à 10:30 par Dominique Leroy (T1 2025 de CABM) : aucune nouvelle "
                "version n'est acceptée avant son déverrouillage par un gestionnaire de la Direction",
                line,  # the first line of CABM's T1
                "trimestre",
            )
        ]
    assert dump(base) == before


def test_a_network_head_account_cannot_bulk_import_another_network_heads_rows(base: Path, tmp_path: Path):
    before = dump(base)
    outcome = import_lot(base, lot_csv(tmp_path, INDICATOR_HEADER, INDICATORS), RECEIVED, viewer=CABM)
    assert outcome.status == "refused"
    assert located(outcome.problems) == [
        ("ce fichier concerne le réseau « FEIAL » : votre compte ne peut déposer que pour CABM", 4, "reseau")
    ]
    assert dump(base) == before
    own = [r for r in INDICATORS if r[0] == "CABM"]
    outcome = import_lot(base, lot_csv(tmp_path, INDICATOR_HEADER, own, "cabm.csv"), RECEIVED, viewer=CABM)
    assert outcome.status == "accepted", [str(p) for p in outcome.problems]
    assert rows_of(base, f"select actor_email from import_authors where import_id = {outcome.import_id}") == [
        (CABM.email,)
    ]


def test_a_network_head_account_sending_a_bulk_file_already_imported_learns_nothing_of_it(base: Path, tmp_path: Path):
    path = lot_csv(tmp_path, INDICATOR_HEADER, INDICATORS)
    assert import_lot(base, path, RECEIVED).status == "accepted"  # by the Département
    outcome = import_lot(base, path, RECEIVED, viewer=CABM)
    assert outcome.status == "refused", outcome.message
    assert located(outcome.problems) == [
        ("ce fichier concerne le réseau « FEIAL » : votre compte ne peut déposer que pour CABM", 4, "reseau")
    ]


# -- the command line ------------------------------------------------------------------------------------


def test_cli_import_lot_exit_1_with_the_problems_on_stderr(base: Path, tmp_path: Path, capsys):
    rows = [INDICATORS[0], ["CABM", "2025", "T1", "PRO", "FORM", "DEP", "-1", ""]]
    path = lot_csv(tmp_path, INDICATOR_HEADER, rows)
    assert main(["import", "--db", str(base), "--lot", str(path), "--recu-le", "2025-10-15"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "reprise.csv : refusé : 1 erreur(s), rien n'a été importé",
        f"  reprise.csv:3:valeur: {NEGATIVE}",
    ]
    good = lot_csv(tmp_path, INDICATOR_HEADER, INDICATORS, "bon.csv")
    assert main(["import", "--db", str(base), "--lot", str(good), "--recu-le", "2025-10-15"]) == 0
    assert "bon.csv : importé en lot (import n° 2) : 3 trimestres d'indicateurs" in capsys.readouterr().out


# -- what a bulk file does unlike a quarterly one --------------------------------------------------------


def test_a_row_whose_network_head_cannot_be_read_is_in_no_scope(base: Path, tmp_path: Path):
    """No « doublon » for it (the per-file path, whose file is one scope, says one), nor a scope of its own."""
    rows = [INDICATORS[0], ["CA BM", "2025", "T1", "PRO", "GOUV", "DEP", "4", ""]]
    outcome = import_lot(base, lot_csv(tmp_path, INDICATOR_HEADER, rows), RECEIVED)
    bad_code = (
        "« CA BM » n'est pas un code de réseau valide (lettres sans accent, chiffres, - ou _, 20 caractères au plus, "
        "ex. URIAE)"
    )
    assert located(outcome.problems) == [(bad_code, 3, "reseau")]
    per_file = check_one("depot.csv", csv_text(INDICATOR_HEADER, *rows).encode())
    assert located(per_file.problems) == [
        (bad_code, 3, "reseau"),
        ("doublon : PRO / GOUV / DEP figure déjà ligne 2", 3, "indicateur"),
    ]


@pytest.mark.parametrize(
    ("header", "rows", "expected"),
    [
        pytest.param(
            INDICATOR_HEADER,
            [INDICATORS[0], INDICATORS[2], ["cabm", "2025", "1", "pro", "gouv", "", "7", ""], INDICATORS[3]],
            [("doublon : PRO / GOUV / DEP figure déjà ligne 2", 4, "indicateur")],
            id="duplicate-within-a-scope",
        ),
        pytest.param(
            STAFF_HEADER,
            [STAFF[0], STAFF[3], ["CABM", "2025", "01", "s01", "Coordinatrice", "non", "3900", "100"]],
            [("doublon : S01 / 1 figure déjà ligne 2", 4, "salarie")],
            id="staff-duplicate",
        ),
        pytest.param(
            INDICATOR_HEADER,
            [
                INDICATORS[0],
                ["CABM", "2024", "T1", "PRO", "GOUV", "DEP", "1", ""],
                ["CABM", "2024", "T1", "MAR", "GOUV", "DEP", "1", ""],
            ],
            [("aucun appel à projets n'est défini pour l'année 2024 (années connues : 2025, 2026)", 3, "annee")],
            id="year-without-call",
        ),
        pytest.param(
            INDICATOR_HEADER,
            [*INDICATORS, ["ZZZ", "2025", "T1", "PRO", "GOUV", "DEP", "1", ""]],
            [
                (
                    "aucune convention 2025 pour le réseau « ZZZ » : la convention doit être importée avant les dépôts "
                    "trimestriels",
                    6,
                    "reseau",
                )
            ],
            id="no-convention",
        ),
        pytest.param(
            STAFF_HEADER,
            [[*STAFF[0], "en trop"], STAFF[1]],
            [("9 valeurs pour 8 colonnes d'en-tête", 2, None)],
            id="cell-past-the-header",
        ),
    ],
)
def test_checks_by_scope(base: Path, tmp_path: Path, header: list[str], rows: list[list[str]], expected: list):
    before = dump(base)
    outcome = import_lot(base, lot_csv(tmp_path, header, rows), RECEIVED)
    assert outcome.status == "refused"
    assert located(outcome.problems) == expected
    assert dump(base) == before


def test_a_rate_that_varies_is_one_warning_per_network_head_year_and_employee(base: Path, tmp_path: Path):
    rows = [
        ["CABM", "2025", str(month), "S01", "Coordinatrice", "non", "3900", rate]
        for month, rate in ((1, "100"), (2, "50"), (4, "50"), (5, "100"))
    ]
    outcome = import_lot(base, lot_csv(tmp_path, STAFF_HEADER, rows), RECEIVED)
    assert outcome.status == "accepted", [str(p) for p in outcome.problems]
    assert len(outcome.changes) == 2  # T1 and T2
    assert outcome.warnings == [
        "CABM 2025 : le taux d'affectation de S01 varie (100 %, 50 % ; change au mois 2, 5) : l'appel privilégie "
        "un pourcentage mensuel fixe, le service instructeur l'examinera strictement"
    ]


def test_a_conventions_file_goes_row_by_row_as_the_per_file_path_takes_it(tmp_path: Path):
    per_file, bulk = tmp_path / "fichiers.duckdb", tmp_path / "lot" / "iaedash.duckdb"
    [outcome] = import_files(per_file, [IncomingFile.from_path(DEMO / "conventions_2025.csv")], RECEIVED)
    assert outcome.status == "accepted"
    outcome = import_lot(bulk, DEMO / "conventions_2025.csv", RECEIVED)
    assert outcome.status == "accepted", [str(p) for p in outcome.problems]
    assert len(outcome.changes) == 6
    sql = "select * exclude (submission_id) from current_conventions order by all"
    assert rows_of(bulk, sql) == rows_of(per_file, sql)
