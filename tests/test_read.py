"""The container level of a submission: encodings, separators, quoting, blank rows, workbooks, broken files."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

import pytest
from helpers_ingest import INDICATOR_HEADER, STAFF_HEADER, csv_text, xlsx_bytes

from iaedash.ingest.fields import parse_date, parse_money, parse_rate
from iaedash.ingest.read import RawTable, UnreadableFile, read_file

BOM = b"\xef\xbb\xbf"

STAFF_TEXT = (
    "réseau;année;mois;salarié;fonction;fonction_support;coût_mensuel;taux_affectation\r\n"
    "CABM;2025;1;S01;Chargée d'accompagnement;non;3 900,50;100\r\n"
    "CABM;2025;1;S02;Cœur de métier – juriste;non;4 300,00 €;50\r\n"
)
STAFF_HEADERS = [
    "réseau",
    "année",
    "mois",
    "salarié",
    "fonction",
    "fonction_support",
    "coût_mensuel",
    "taux_affectation",
]
STAFF_ROWS = [
    (2, ["CABM", "2025", "1", "S01", "Chargée d'accompagnement", "non", "3 900,50", "100"]),
    (3, ["CABM", "2025", "1", "S02", "Cœur de métier – juriste", "non", "4 300,00 €", "50"]),
]


def read_one(name: str, data: bytes) -> RawTable:
    [table] = read_file(name, data)
    return table


def unreadable(name: str, data: bytes):
    with pytest.raises(UnreadableFile) as error:
        read_file(name, data)
    problem = error.value.problem
    assert problem.file == name
    assert problem.column is None
    assert problem.line in (None, 1)  # an error about the whole file names line 1, or no line
    return problem


# --- encodings ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(STAFF_TEXT.encode("utf-8"), id="utf-8"),
        pytest.param(BOM + STAFF_TEXT.encode("utf-8"), id="utf-8-bom"),
        pytest.param(STAFF_TEXT.encode("cp1252"), id="windows-1252"),
    ],
)
def test_encodings_give_the_same_table(data):
    table = read_one("personnel.csv", data)
    assert table.file_name == "personnel.csv"
    assert table.sheet is None
    assert table.headers == STAFF_HEADERS  # no BOM glued to the first header, accents intact
    assert table.rows == STAFF_ROWS


def test_windows_1252_bytes_are_really_what_french_excel_writes():
    """Guard on the fixture itself: é, œ, – and € are single cp1252 bytes, invalid as UTF-8."""
    data = STAFF_TEXT.encode("cp1252")
    assert b"\xe9" in data  # é
    assert b"\x9c" in data  # œ
    assert b"\x80" in data  # €
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")


def test_windows_1252_no_break_space_as_thousands_separator():
    data = "reseau;cout_mensuel\r\nCABM;3\xa0900,50\r\n".encode("cp1252")
    table = read_one("p.csv", data)
    assert table.rows == [(2, ["CABM", "3\u00a0900,50"])]
    assert parse_money(table.rows[0][1][1]) == Decimal("3900.50")


def test_utf8_narrow_no_break_space_is_kept():
    data = BOM + "reseau;cout_mensuel\nCABM;3\u202f900,50\n".encode()
    table = read_one("p.csv", data)
    assert table.rows[0][1][1] == "3\u202f900,50"


def test_undecodable_bytes_are_an_error_about_the_file():
    # 0x81 and 0x8d exist neither in UTF-8 (as lead bytes here) nor in Windows-1252
    problem = unreadable("p.csv", b"reseau;fonction\r\nCABM;\x81\x8d\r\n")
    assert "encodage" in problem.message


# --- separators and quoting ---------------------------------------------------------------------


@pytest.mark.parametrize("sep", [";", ","])
def test_separator_is_detected(sep):
    text = csv_text(INDICATOR_HEADER, ["CABM", "2025", "T1", "PRO", "GOUV", "DEP", "3", ""], sep=sep)
    table = read_one("i.csv", text.encode())
    assert table.headers == INDICATOR_HEADER
    assert table.rows == [(2, ["CABM", "2025", "T1", "PRO", "GOUV", "DEP", "3", ""])]


def test_comma_file_with_quoted_decimal_commas():
    text = (
        "reseau,annee,mois,salarie,fonction,fonction_support,cout_mensuel,taux_affectation\n"
        'CABM,2025,1,S01,Juriste,non,"3900,50","50,5"\n'
        'CABM,2025,1,S02,"Chargée d\'accompagnement, insertion",non,"4 300,00 €",100\n'
    )
    table = read_one("p.csv", text.encode())
    assert table.headers == STAFF_HEADER
    assert table.rows == [
        (2, ["CABM", "2025", "1", "S01", "Juriste", "non", "3900,50", "50,5"]),
        (3, ["CABM", "2025", "1", "S02", "Chargée d'accompagnement, insertion", "non", "4 300,00 €", "100"]),
    ]


def test_semicolon_file_with_quoted_semicolon_and_doubled_quotes():
    text = (
        "reseau;annee;trimestre;orientation;indicateur;valeur;commentaire\r\n"
        'CABM;2025;T1;PRO;FORM;2;"Deux sessions ; Arras et Lens"\r\n'
        'CABM;2025;T1;PRO;VEIL;1;"Lettre ""Info SIAE"" n° 3"\r\n'
        "CABM;2025;T1;PRO;GOUV;3;virgule, sans guillemets\r\n"
    )
    table = read_one("i.csv", text.encode())
    assert [cells[-1] for _, cells in table.rows] == [
        "Deux sessions ; Arras et Lens",
        'Lettre "Info SIAE" n° 3',
        "virgule, sans guillemets",
    ]
    assert all(len(cells) == 7 for _, cells in table.rows)


def test_header_with_more_commas_than_semicolons_is_read_as_comma_file():
    text = 'reseau,annee,trimestre,orientation,indicateur,valeur,commentaire\nCABM,2025,1,PRO,GOUV,3,"a;b"\n'
    table = read_one("i.csv", text.encode())
    assert len(table.headers) == 7
    assert table.rows[0][1][-1] == "a;b"


@pytest.mark.parametrize("newline", ["\r\n", "\n"])
def test_line_endings(newline):
    text = newline.join(["reseau;valeur", "A;1", "B;2", ""])
    table = read_one("i.csv", text.encode())
    assert table.rows == [(2, ["A", "1"]), (3, ["B", "2"])]


# --- blank rows and line numbers ----------------------------------------------------------------


def test_blank_trailing_rows_are_ignored():
    text = "reseau;annee;valeur\r\nA;2025;1\r\nB;2025;2\r\n;;\r\n;;\r\n\r\n  ;  ; \r\n\r\n"
    table = read_one("i.csv", text.encode())
    assert table.rows == [(2, ["A", "2025", "1"]), (3, ["B", "2025", "2"])]


def test_blank_rows_in_the_middle_keep_spreadsheet_line_numbers():
    text = "reseau;valeur\r\nA;1\r\n\r\n;\r\nB;2\r\n"
    table = read_one("i.csv", text.encode())
    assert table.rows == [(2, ["A", "1"]), (5, ["B", "2"])]


def test_quoted_cell_spanning_two_text_lines_is_one_spreadsheet_row():
    """A spreadsheet shows a cell with a line break as one row: later rows keep the row numbers it shows."""
    text = 'reseau;commentaire;valeur\r\nA;"sur deux\r\nlignes";1\r\nB;x;2\r\nC;y;3\r\n'
    table = read_one("i.csv", text.encode())
    assert [cells[0] for _, cells in table.rows] == ["A", "B", "C"]
    assert table.rows[0][1][1] == "sur deux\r\nlignes"
    assert [line for line, _ in table.rows] == [2, 3, 4]


def test_a_very_long_cell_is_reported_not_a_crash():
    """A cell larger than the csv module's default limit must give a problem, not a traceback."""
    text = "reseau;annee;trimestre;orientation;indicateur;valeur;commentaire\r\nA;2025;1;PRO;GOUV;1;" + "x" * 200_000
    try:
        tables = read_file("i.csv", text.encode())
    except UnreadableFile as error:
        assert error.problem.file == "i.csv"
        return
    assert tables[0].rows[0][1][-1] == "x" * 200_000  # then check_table says « texte trop long »


# --- empty files --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="zero-bytes"),
        pytest.param(b"\r\n\r\n", id="blank-lines"),
        pytest.param(b"   \n\t\n", id="spaces"),
        pytest.param(BOM, id="bom-only"),
        pytest.param(BOM + b"\r\n", id="bom-and-blank-line"),
    ],
)
def test_empty_file_is_an_error_about_the_file(data):
    problem = unreadable("vide.csv", data)
    assert "vide" in problem.message


def test_empty_file_named_xlsx_is_an_error_about_the_file():
    problem = unreadable("vide.xlsx", b"")
    assert "vide" in problem.message


# --- workbooks ----------------------------------------------------------------------------------


def test_xlsx_one_kind_sheet():
    data = xlsx_bytes(
        {
            "indicateurs": [
                INDICATOR_HEADER,
                ["CABM", 2025, "T1", "PRO", "GOUV", "DEP", 3, None],
                ["CABM", 2025, 1, "MAR", "WEBI", None, 42, "Webinaire"],
            ]
        }
    )
    table = read_one("depot.xlsx", data)
    assert table.file_name == "depot.xlsx"
    assert table.sheet == "indicateurs"
    assert table.kind == "indicateurs"
    assert table.headers == INDICATOR_HEADER
    assert [line for line, _ in table.rows] == [2, 3]
    first = table.rows[0][1]
    assert first[:7] == ["CABM", 2025, "T1", "PRO", "GOUV", "DEP", 3]
    assert first[7] in (None, "")
    assert table.rows[1][1][2] == 1
    assert table.rows[1][1][7] == "Webinaire"


def test_xlsx_several_kind_sheets_and_an_ignored_sheet():
    data = xlsx_bytes(
        {
            "Notice": [["Lisez-moi"], ["Ceci n'est pas un onglet de données"]],
            "Indicateurs": [INDICATOR_HEADER, ["CABM", 2025, "T1", "PRO", "GOUV", "DEP", 3, None]],
            "PERSONNEL": [STAFF_HEADER, ["CABM", 2025, 1, "S01", "Juriste", "non", 3900.5, 100]],
            "Brouillon": [["reseau", "valeur"], ["X", -1]],
        }
    )
    tables = read_file("CABM_2025_T1.xlsx", data)
    assert [(t.sheet, t.kind) for t in tables] == [("Indicateurs", "indicateurs"), ("PERSONNEL", "personnel")]
    staff = tables[1]
    assert staff.headers == STAFF_HEADER
    assert staff.rows == [(2, ["CABM", 2025, 1, "S01", "Juriste", "non", 3900.5, 100])]
    assert all(t.file_name == "CABM_2025_T1.xlsx" for t in tables)


def test_xlsx_sheet_names_match_ignoring_accents_and_spaces():
    data = xlsx_bytes({" Conventions ": [["reseau"], ["CABM"]]})
    table = read_one("c.xlsx", data)
    assert table.kind == "conventions"


def test_xlsx_all_three_kinds():
    data = xlsx_bytes(
        {"conventions": [["reseau"], ["A"]], "indicateurs": [["reseau"], ["A"]], "personnel": [["reseau"], ["A"]]}
    )
    assert [t.kind for t in read_file("tout.xlsx", data)] == ["conventions", "indicateurs", "personnel"]


def test_xlsx_without_a_kind_sheet_is_an_error_about_the_file():
    data = xlsx_bytes({"Feuil1": [INDICATOR_HEADER, ["CABM", 2025, 1, "PRO", "GOUV", "DEP", 3, None]]})
    problem = unreadable("depot.xlsx", data)
    assert "indicateurs" in problem.message
    assert "personnel" in problem.message
    assert "conventions" in problem.message


def test_xlsx_blank_rows_are_skipped_and_rows_keep_their_spreadsheet_number():
    data = xlsx_bytes(
        {
            "indicateurs": [
                ["reseau", "valeur"],
                ["A", 1],
                [None, None],
                ["", "  "],
                ["B", 2],
                [None, None],
                ["", None],
            ]
        }
    )
    table = read_one("d.xlsx", data)
    assert table.rows == [(2, ["A", 1]), (5, ["B", 2])]


def test_xlsx_header_trailing_empty_cells_are_dropped():
    data = xlsx_bytes({"indicateurs": [["reseau", "valeur", None, ""], ["A", 1]]})
    table = read_one("d.xlsx", data)
    assert table.headers == ["reseau", "valeur"]


def test_xlsx_header_only_sheet_has_no_rows():
    data = xlsx_bytes({"personnel": [STAFF_HEADER]})
    table = read_one("d.xlsx", data)
    assert table.headers == STAFF_HEADER
    assert table.rows == []


@pytest.mark.parametrize(
    ("value", "number_format", "expected"),
    [
        (0.5, "0%", Decimal("50")),
        (0.5, "0.00%", Decimal("50")),
        (1, "0%", Decimal("100")),
        (0.505, "0.0%", Decimal("50.5")),
        (0.3, "0%", Decimal("30")),
        (0.07, "0%", Decimal("7")),
        (0.9999, "0.00%", Decimal("99.99")),
    ],
)
def test_xlsx_percent_cell_reads_as_what_the_person_saw(value, number_format, expected):
    data = xlsx_bytes(
        {"personnel": [["salarie", "taux_affectation"], ["S01", value]]},
        formats={("personnel", "B2"): number_format},
    )
    table = read_one("p.xlsx", data)
    assert parse_rate(table.rows[0][1][1]) == expected


def test_xlsx_plain_number_is_not_scaled():
    data = xlsx_bytes({"personnel": [["salarie", "taux_affectation"], ["S01", 50], ["S02", 0.5]]})
    table = read_one("p.xlsx", data)
    assert parse_rate(table.rows[0][1][1]) == Decimal("50")
    assert parse_rate(table.rows[1][1][1]) == Decimal("0.5")  # documented: 0,5 without % format is 0,5 %


def test_xlsx_date_and_money_cells():
    data = xlsx_bytes(
        {
            "conventions": [
                ["reseau", "date_debut", "cout_personnel_prevu"],
                ["CABM", datetime(2025, 1, 1), 92400],
                ["FEI", date(2025, 3, 17), 1234.56],
            ]
        },
        formats={("conventions", "B3"): "DD/MM/YYYY"},
    )
    table = read_one("c.xlsx", data)
    assert [parse_date(cells[1]) for _, cells in table.rows] == [date(2025, 1, 1), date(2025, 3, 17)]
    assert [parse_money(cells[2]) for _, cells in table.rows] == [Decimal("92400.00"), Decimal("1234.56")]


# --- broken workbooks ---------------------------------------------------------------------------


def _rewrite_member(data: bytes, member_prefix: str, new_content: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = new_content if info.filename.startswith(member_prefix) else src.read(info.filename)
            dst.writestr(info.filename, content)
    return out.getvalue()


def _corrupt_compressed_member(data: bytes, member_prefix: str) -> bytes:
    """Flip bytes inside the deflate stream of one member, leaving the zip directory intact."""
    rebuilt = bytearray(_rewrite_member(data, "\x00none", b""))  # a copy with every member deflated
    archive = zipfile.ZipFile(io.BytesIO(bytes(rebuilt)))
    info = next(i for i in archive.infolist() if i.filename.startswith(member_prefix))
    # local header: 30 bytes + name + extra, then the compressed data
    name_len = int.from_bytes(rebuilt[info.header_offset + 26 : info.header_offset + 28], "little")
    extra_len = int.from_bytes(rebuilt[info.header_offset + 28 : info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_len + extra_len
    for i in range(start + 2, start + min(info.compress_size, 40)):
        rebuilt[i] ^= 0xFF
    return bytes(rebuilt)


GOOD_BOOK = xlsx_bytes({"indicateurs": [INDICATOR_HEADER, ["CABM", 2025, "T1", "PRO", "GOUV", "DEP", 3, None]]})


def test_good_book_fixture_is_readable():
    assert read_one("depot.xlsx", GOOD_BOOK).rows


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(GOOD_BOOK[: len(GOOD_BOOK) // 2], id="truncated"),
        pytest.param(b"PK\x03\x04" + b"\x00garbage" * 50, id="zip-magic-then-garbage"),
        pytest.param(_rewrite_member(GOOD_BOOK, "[Content_Types]", b"<Types"), id="content-types-not-xml"),
        pytest.param(_rewrite_member(GOOD_BOOK, "xl/workbook.xml", b"<workbook"), id="workbook-xml-broken"),
        pytest.param(_rewrite_member(GOOD_BOOK, "xl/styles.xml", b"<styleSheet"), id="styles-xml-broken"),
        pytest.param(
            _rewrite_member(GOOD_BOOK, "xl/worksheets/sheet", b"<worksheet><sheetData><row r='1'><c r='A1'"),
            id="sheet-xml-broken",
        ),
        pytest.param(_corrupt_compressed_member(GOOD_BOOK, "xl/worksheets/sheet"), id="sheet-deflate-corrupted"),
        pytest.param(_corrupt_compressed_member(GOOD_BOOK, "xl/workbook.xml"), id="workbook-deflate-corrupted"),
    ],
)
def test_corrupted_xlsx_is_an_error_about_the_file(data):
    unreadable("depot.xlsx", data)


def test_zip_that_is_not_a_workbook_is_an_error_about_the_file():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("lisez-moi.txt", "pas un classeur")
    unreadable("depot.xlsx", out.getvalue())


@pytest.mark.parametrize("name", ["depot.xls", "depot.ods", "depot.xlsm", "DEPOT.XLS"])
def test_unsupported_spreadsheet_formats_are_refused(name):
    # an old binary .xls begins with the OLE2 signature, not a zip one
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 4
    problem = unreadable(name, data)
    assert ".xlsx" in problem.message or "format" in problem.message
