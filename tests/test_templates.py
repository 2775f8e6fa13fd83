"""Submission templates: the workbook as a person opens it, and a filled template imported without any edit.

What the tests expect is written here from docs/format-depot.md (headers, codes, months, due dates), never
read from the module under test; the round trip fills the workbook with openpyxl as a person would in Excel
(numbers as numbers, the network head and year picked from their one-item lists) and imports it into a copy
of the demo database through the normal import path.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from itertools import product
from pathlib import Path

import duckdb
import pytest
from db_dump import dump, files_under
from helpers_ingest import INDICATOR_HEADER, STAFF_HEADER
from openpyxl import Workbook, load_workbook
from page_runner import assert_ran
from streamlit.testing.v1 import AppTest

from iaedash import templates
from iaedash.ingest.load import IncomingFile, import_files
from iaedash.templates import submission_template, template_file_name

ROOT = Path(__file__).resolve().parents[1]
ORIENTATIONS = ["PRO", "MAR", "INT", "DIV"]
INDICATORS = ["GOUV", "FORM", "JURI", "VEIL", "WEBI", "COMI"]
TERRITORIES = ["ARR", "ART", "AUD", "BOU", "CAL", "LEH", "MOT", "DEP"]
NAME = "Coordination des associations intermédiaires du Bassin minier (fictive)"


def book(network_head: str = "CABM", year: int = 2025, quarter: int = 2, name: str | None = NAME) -> Workbook:
    return load_workbook(io.BytesIO(submission_template(network_head, name, year, quarter)))


def rows(ws) -> list[tuple]:
    return [tuple(r) for r in ws.iter_rows(min_row=2, values_only=True)]


def validations(ws) -> dict[str, object]:
    """Column letter → its data validation (each validation covers one column)."""
    found = {}
    for dv in ws.data_validations.dataValidation:
        [cells] = str(dv.sqref).split()
        first, last = cells.split(":")
        column = first.rstrip("0123456789")
        assert last.rstrip("0123456789") == column and first == f"{column}2"
        found[column] = dv
    return found


def last_row(dv) -> int:
    return int(str(dv.sqref).split(":")[1].lstrip("ABCDEFGH"))


# --- the workbook as opened ---


def test_sheets_headers_and_layout():
    wb = book()
    assert wb.sheetnames == ["instructions", "indicateurs", "personnel"]
    assert wb.active.title == "instructions"  # what the person reads first
    for title, header in (("indicateurs", INDICATOR_HEADER), ("personnel", STAFF_HEADER)):
        ws = wb[title]
        assert [c.value for c in ws[1]] == header
        assert ws.freeze_panes == "A2"
        assert all(c.font.bold for c in ws[1])
        widths = [ws.column_dimensions[c.column_letter].width for c in ws[1]]
        assert all(8 <= w <= 70 for w in widths), widths
    assert wb["indicateurs"].column_dimensions["H"].width >= 60  # the comment column has room


def test_indicator_rows_are_prefilled_one_per_orientation_and_indicator():
    found = rows(book()["indicateurs"])
    assert len(found) == 24
    assert [(r[3], r[4]) for r in found] == list(product(ORIENTATIONS, INDICATORS))
    for reseau, annee, trimestre, _, _, territoire, valeur, commentaire in found:
        assert (reseau, annee, trimestre, territoire, valeur, commentaire) == ("CABM", 2025, "T2", "DEP", 0, None)
        assert type(annee) is int and type(valeur) is int  # numbers written as numbers


def test_staff_sheet_holds_no_value_below_its_header():
    """Untouched rows must be blank for the reader, which skips a row only when every cell is empty."""
    ws = book()["personnel"]
    assert ws.max_row == 1
    assert all(v is None for r in ws.iter_rows(min_row=2, max_row=300, max_col=8, values_only=True) for v in r)


def test_lists_for_codes_months_of_the_quarter_and_yes_no():
    ind = validations(book()["indicateurs"])
    assert {c: ind[c].type for c in "ABCDEF"} == dict.fromkeys("ABCDEF", "list")
    assert ind["A"].formula1 == '"CABM"'
    assert ind["B"].formula1 == '"2025"'
    assert ind["C"].formula1 == '"T1,T2,T3,T4"'
    assert ind["D"].formula1 == f'"{",".join(ORIENTATIONS)}"'
    assert ind["E"].formula1 == f'"{",".join(INDICATORS)}"'
    assert ind["F"].formula1 == f'"{",".join(TERRITORIES)}"'
    assert min(last_row(dv) for dv in ind.values()) >= 25 + 50  # room below the 24 rows for territory lines

    staff = validations(book(quarter=2)["personnel"])
    assert {c: staff[c].type for c in "ABCF"} == dict.fromkeys("ABCF", "list")
    assert staff["A"].formula1 == '"CABM"'
    assert staff["B"].formula1 == '"2025"'
    assert staff["C"].formula1 == '"4,5,6"'
    assert staff["F"].formula1 == '"oui,non"'
    assert validations(book(quarter=4)["personnel"])["C"].formula1 == '"10,11,12"'
    assert validations(book(quarter=1)["personnel"])["C"].formula1 == '"1,2,3"'
    assert min(last_row(dv) for dv in staff.values()) >= 1 + 60  # at least 20 employees × 3 months


def test_number_checks_and_their_bounds():
    ind = validations(book()["indicateurs"])
    assert (ind["G"].type, ind["G"].operator, ind["G"].formula1) == ("whole", "greaterThanOrEqual", "0")
    assert (ind["H"].type, ind["H"].operator, ind["H"].formula1) == ("textLength", "lessThanOrEqual", "2000")
    staff = validations(book()["personnel"])
    assert (staff["G"].type, staff["G"].operator, staff["G"].formula1) == ("decimal", "greaterThanOrEqual", "0")
    # > 0 and ≤ 100: with at most two decimals, the smallest rate accepted by the reader is 0.01
    rate = staff["H"]
    assert (rate.type, rate.operator, rate.formula1, rate.formula2) == ("decimal", "between", "0.01", "100")


def test_validation_dialogs_are_in_french_and_fit_excel_limits():
    wb = book()
    every = [dv for title in ("indicateurs", "personnel") for dv in wb[title].data_validations.dataValidation]
    assert len(every) == 16
    for dv in every:
        assert dv.showErrorMessage and dv.errorStyle == "stop" and dv.allow_blank
        assert dv.errorTitle == "Valeur refusée"
        assert dv.showInputMessage and dv.prompt and dv.promptTitle
        assert len(dv.prompt) <= 255 and len(dv.error) <= 255  # Excel refuses longer dialog texts
        assert len(dv.promptTitle) <= 32 and len(dv.errorTitle) <= 32
        assert not dv.showDropDown  # openpyxl's inverted flag: True would hide the arrow of a list
    ind, staff = validations(wb["indicateurs"]), validations(wb["personnel"])
    assert "nombre entier positif ou nul" in ind["G"].error
    assert "supérieur à 0 et au plus égal à 100" in staff["H"].error
    assert "montant en euros positif ou nul" in staff["G"].error
    assert staff["C"].error == "Le mois doit être un mois du T2 : 4, 5, 6."
    assert "jamais le nom" in staff["D"].error


def test_instructions_sheet_says_what_to_fill_and_where_to_send():
    ws = book()["instructions"]
    text = "\n".join(str(v) for r in ws.iter_rows(values_only=True) for v in r if v is not None)
    assert text.startswith(f"Modèle de dépôt trimestriel — CABM ({NAME}) — T2 2025 (avril à juin 2025)")
    for expected in (
        "indicateurs",
        "personnel",
        "jamais un cumul",
        "au plus tard le 30/07/2025",  # T2 2025 due date of docs/format-depot.md § 1
        "DPID",
        "moins de 30 %",
        "30 % exactement est éligible",
        "fonction support",
        "forfait de 40 %",
        "S01",
        "jamais par son nom",
        "Écrivez 50 pour 50 %",
        "sont ignorés",
        "supprimez l'onglet « personnel »",
        "Montreuillois-Ternois",
        "Participants aux webinaires sur les SIAE",
    ):
        assert expected in text, expected
    assert ws.column_dimensions["B"].width >= 80
    assert all(c.alignment.wrap_text for c in ws["B"][3:] if c.value)


def test_a_year_whose_call_is_a_working_hypothesis_says_so_once():
    def text_of(year: int) -> str:
        ws = book(year=year)["instructions"]
        return "\n".join(str(v) for r in ws.iter_rows(values_only=True) for v in r if v is not None)

    notice = "Appel 2026 : paramètres provisoires repris de 2025 (hypothèse de travail)."
    assert text_of(2026).count(notice) == 1
    assert "au plus tard le 30/07/2026" in text_of(2026)  # the 2025 delay, a year later
    assert "hypothèse" not in text_of(2025)


def test_a_year_without_call_says_the_delay_of_the_call():
    ws = book(year=2031, name=None)["instructions"]
    text = "\n".join(str(v) for r in ws.iter_rows(values_only=True) for v in r if v is not None)
    assert text.startswith("Modèle de dépôt trimestriel — CABM — T2 2031")
    assert "dans le délai fixé par l'appel à projets" in text


def test_network_head_code_is_taken_as_given_and_stays_text():
    assert rows(book("NOUVEAU")["indicateurs"])[0][0] == "NOUVEAU"
    ws = book("=1+1")["indicateurs"]
    assert ws["A2"].value == "=1+1" and ws["A2"].data_type == "s"  # never a formula


def test_file_name_and_quarter_bounds():
    assert template_file_name("CABM", 2025, 2) == "modele_depot_CABM_2025_T2.xlsx"
    with pytest.raises(ValueError):
        submission_template("CABM", None, 2025, 5)


# --- round trips through the normal import ---

FILLED_VALUES = {("PRO", "FORM", "DEP"): 5, ("MAR", "VEIL", "DEP"): 3, ("INT", "COMI", "DEP"): 4}
FILLED_COMMENT = ("INT", "COMI", "DEP"), "Comités de suivi d'avril à juin"
ADDED_LINE = ("PRO", "GOUV", "ARR", 2)  # a line added under the prepared ones, for one territory
STAFF = [  # employee, job title, support function, monthly cost, rate — S01 at 20 %, S02 a support function
    ("S01", "Chargé de communication", "non", 3100, 20),
    ("S02", "Comptable", "oui", 3300.5, 40),
]


def fill(data: bytes) -> bytes:
    """What a network head does in Excel: type values and comments, add one line, fill the staff rows."""
    wb = load_workbook(io.BytesIO(data))
    ind = wb["indicateurs"]
    for row in ind.iter_rows(min_row=2):
        key = (row[3].value, row[4].value, row[5].value)
        if key in FILLED_VALUES:
            row[6].value = FILLED_VALUES[key]
        if key == FILLED_COMMENT[0]:
            row[7].value = FILLED_COMMENT[1]
    orientation, indicator, territory, value = ADDED_LINE
    ind.append(["CABM", 2025, "T2", orientation, indicator, territory, value, None])
    staff = wb["personnel"]
    for month in (4, 5, 6):
        for employee, job, support, cost, rate in STAFF:
            staff.append(["CABM", 2025, month, employee, job, support, cost, rate])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def current(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_a_filled_template_imports_without_any_edit(demo_db: Path):
    name = template_file_name("CABM", 2025, 2)
    [outcome] = import_files(
        demo_db, [IncomingFile(name, fill(submission_template("CABM", NAME, 2025, 2)))], date(2025, 7, 20)
    )
    assert outcome.status == "accepted", [str(p) for p in outcome.problems]
    assert [c.describe() for c in outcome.changes] == [
        "indicateurs CABM T2 2025 : version 2 (remplace la version 1)",
        "dépenses de personnel CABM T2 2025 : version 2 (remplace la version 1)",
    ]

    stored = current(
        demo_db,
        "select orientation, indicator, territory, value, comment, file_name, sheet from current_indicator_values "
        "where network_head = 'CABM' and year = 2025 and quarter = 2",
    )
    assert {(r[5], r[6]) for r in stored} == {(name, "indicateurs")}
    expected = {(o, i, "DEP"): 0 for o, i in product(ORIENTATIONS, INDICATORS)} | FILLED_VALUES
    expected[ADDED_LINE[:3]] = ADDED_LINE[3]
    assert {(o, i, t): v for o, i, t, v, *_ in stored} == expected
    assert {(o, i, t): c for o, i, t, _, c, *_ in stored if c} == {FILLED_COMMENT[0]: FILLED_COMMENT[1]}

    lines = current(
        demo_db,
        "select month, employee, job_title, support_function, monthly_cost_eur, assignment_rate, amount_eur, "
        "eligible from current_staff_lines where network_head = 'CABM' and year = 2025 and quarter = 2 "
        "order by month, employee",
    )
    assert lines == [
        row
        for month in (4, 5, 6)
        for row in (
            (
                month,
                "S01",
                "Chargé de communication",
                False,
                Decimal("3100.00"),
                Decimal("20.00"),
                Decimal("620.00"),
                False,
            ),
            (month, "S02", "Comptable", True, Decimal("3300.50"), Decimal("40.00"), Decimal("1320.20"), False),
        )
    ]


def test_an_untouched_template_is_refused_with_a_french_message_and_changes_nothing(demo_db: Path):
    """Chosen: a blank template sent back by mistake must never replace a quarter with zeros."""
    before, kept = dump(demo_db), files_under(demo_db.parent / "depots")
    name = template_file_name("CABM", 2025, 2)
    [outcome] = import_files(
        demo_db, [IncomingFile(name, submission_template("CABM", NAME, 2025, 2))], date(2025, 7, 20)
    )
    assert outcome.status == "refused"
    assert [str(p) for p in outcome.problems] == [f"{name}[personnel]:1: aucune ligne de données sous l'en-tête"]
    assert dump(demo_db) == before
    assert files_under(demo_db.parent / "depots") == kept


def test_indicators_alone_import_once_the_staff_sheet_is_deleted(demo_db: Path):
    """The instructions' way to send indicators without staff: delete the personnel sheet."""
    wb = load_workbook(io.BytesIO(submission_template("CABM", NAME, 2025, 2)))
    del wb["personnel"]
    out = io.BytesIO()
    wb.save(out)
    [outcome] = import_files(demo_db, [IncomingFile("indicateurs_seuls.xlsx", out.getvalue())], date(2025, 7, 20))
    assert outcome.status == "accepted", [str(p) for p in outcome.problems]
    assert [c.describe() for c in outcome.changes] == ["indicateurs CABM T2 2025 : version 2 (remplace la version 1)"]
    assert current(
        demo_db,
        "select count(*), sum(value) from current_indicator_values "
        "where network_head = 'CABM' and year = 2025 and quarter = 2",
    ) == [(24, 0)]
    # staff untouched: still the demo's version 1
    assert current(
        demo_db,
        "select distinct version from current_staff_lines where network_head = 'CABM' and year = 2025 and quarter = 2",
    ) == [(1,)]


# --- the download on the Dépôts page (AppTest cannot read the bytes: the builder's arguments are checked) ---


def test_depots_page_builds_the_template_chosen(demo_db: Path, monkeypatch: pytest.MonkeyPatch):
    calls = []

    def recording(*args):
        calls.append(args)
        return submission_template(*args)

    monkeypatch.setattr(templates, "submission_template", recording)  # the page imports it on every run
    monkeypatch.setenv("IAEDASH_DB", str(demo_db))
    monkeypatch.setenv("IAEDASH_TODAY", "2026-03-02")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/depots.py").run()
    assert_ran(at)
    assert [e.label for e in at.expander] == ["Modèle de dépôt à remplir"]
    assert calls[-1] == ("CABM", NAME, 2026, 1)  # the default year is the newest
    at.selectbox(key="modele_reseau").set_value("FEIAL")
    at.selectbox(key="modele_trimestre").set_value(3)
    at.run()
    assert_ran(at)
    assert calls[-1][0] == "FEIAL" and calls[-1][2:] == (2026, 3)
    [button] = [b for b in at.get("download_button") if b.key == "modele_telecharger"]
    assert button.label == "Télécharger le modèle à remplir"
    assert button.proto.ignore_rerun and button.proto.url.endswith(".xlsx")
