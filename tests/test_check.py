"""Checking a table against the submission format v1: headers, every refusal reason, and where messages point."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from helpers_ingest import (
    CALL_2025,
    CONVENTION_HEADER,
    CONVENTION_ROW,
    INDICATOR_HEADER,
    STAFF_HEADER,
    at,
    check_bytes,
    check_one,
    check_rows,
    csv_text,
    only_at,
    plain,
    shown,
    where,
    xlsx_bytes,
)

from iaedash.ingest.check import ConventionRow, IndicatorRow, StaffRow

INDICATORS_OK = (
    "reseau;annee;trimestre;orientation;indicateur;territoire;valeur;commentaire\r\n"
    "CABM;2025;T1;PRO;GOUV;DEP;3;\r\n"
    "CABM;2025;T1;PRO;FORM;ARR;2;Deux sessions\r\n"
    "CABM;2025;T1;MAR;WEBI;;42;\r\n"
)
INDICATOR_ROWS_OK = [
    IndicatorRow("PRO", "GOUV", "DEP", 3, None, 2),
    IndicatorRow("PRO", "FORM", "ARR", 2, "Deux sessions", 3),
    IndicatorRow("MAR", "WEBI", "DEP", 42, None, 4),
]

STAFF_OK = (
    "reseau;annee;mois;salarie;fonction;fonction_support;cout_mensuel;taux_affectation\r\n"
    "CABM;2025;4;S01;Coordinatrice;non;3900,00;100\r\n"
    "CABM;2025;4;S02;Comptable;oui;3 100,50;50 %\r\n"
    "CABM;2025;5;S01;Coordinatrice;non;3900,00;100\r\n"
    "CABM;2025;6;S03;Juriste;non;4300;20,5\r\n"
)
STAFF_ROWS_OK = [
    StaffRow(4, "S01", "Coordinatrice", False, D("3900.00"), D("100"), 2),
    StaffRow(4, "S02", "Comptable", True, D("3100.50"), D("50"), 3),
    StaffRow(5, "S01", "Coordinatrice", False, D("3900.00"), D("100"), 4),
    StaffRow(6, "S03", "Juriste", False, D("4300.00"), D("20.5"), 5),
]


def indicator_row(**changes: str) -> list[str]:
    row = {"reseau": "CABM", "annee": "2025", "trimestre": "T1", "orientation": "PRO", "indicateur": "GOUV"}
    row |= {"territoire": "DEP", "valeur": "3", "commentaire": ""}
    row |= changes
    return [row[h] for h in INDICATOR_HEADER]


def staff_row(**changes: str) -> list[str]:
    row = {"reseau": "CABM", "annee": "2025", "mois": "1", "salarie": "S01", "fonction": "Juriste"}
    row |= {"fonction_support": "non", "cout_mensuel": "3900,00", "taux_affectation": "100"}
    row |= changes
    return [row[h] for h in STAFF_HEADER]


def convention_row(**changes: str) -> list[str]:
    row = dict(zip(CONVENTION_HEADER, CONVENTION_ROW, strict=True)) | changes
    return [row[h] for h in CONVENTION_HEADER]


def indicators(*rows: list[str]):
    return check_rows(INDICATOR_HEADER, rows)


def staff(*rows: list[str]):
    return check_rows(STAFF_HEADER, rows)


def conventions(*rows: list[str]):
    return check_rows(CONVENTION_HEADER, rows)


# --- accepted files give typed rows and their scope -------------------------------------------


def test_indicators_ok():
    checked = check_one("CABM_2025_T1_indicateurs.csv", INDICATORS_OK.encode())
    assert checked.problems == []
    assert checked.kind == "indicateurs"
    [scope] = checked.scopes
    assert scope.key == ("indicateurs", "CABM", 2025, 1)
    assert scope.rows == INDICATOR_ROWS_OK


def test_staff_ok():
    checked = check_one("CABM_2025_T2_personnel.csv", STAFF_OK.encode("cp1252"))
    assert checked.problems == []
    assert checked.kind == "personnel"
    [scope] = checked.scopes
    assert scope.key == ("personnel", "CABM", 2025, 2)
    assert scope.rows == STAFF_ROWS_OK


def test_conventions_ok():
    text = csv_text(CONVENTION_HEADER, CONVENTION_ROW, convention_row(reseau="FEI", nom="Fédération (fictive)"))
    checked = check_one("conventions_2025.csv", text.encode())
    assert checked.problems == []
    assert checked.kind == "conventions"
    assert [s.key for s in checked.scopes] == [("conventions", "CABM", 2025, None), ("conventions", "FEI", 2025, None)]
    row = checked.scopes[0].rows[0]
    assert row == ConventionRow(
        name="Coordination de test (fictive)",
        start_date=date(2025, 1, 1),
        end_date=date(2025, 12, 31),
        planned_staff_cost=D("92400.00"),
        planned_total_cost=D("129360.00"),
        esf_amount=D("77616.00"),
        department_amount=D("38808.00"),
        self_financing=D("12936.00"),
        advance_paid=D("19404.00"),
        advance_date=date(2025, 3, 17),
        targets={"GOUV": 20, "FORM": 16, "JURI": 12, "VEIL": 12, "WEBI": 150, "COMI": 24},
        line=2,
    )


def test_comma_separated_file_with_point_decimals():
    text = (
        "reseau,annee,mois,salarie,fonction,fonction_support,cout_mensuel,taux_affectation\n"
        "cabm,2025,1,s01,Juriste,NON,3900.50,50.5\n"
        'CABM,2025,2,S01,"Juriste, droit social",Non,"3 900,50","50,5 %"\n'
    )
    checked = check_one("p.csv", text.encode())
    assert checked.problems == []
    [scope] = checked.scopes
    assert scope.key == ("personnel", "CABM", 2025, 1)
    assert [(r.employee, r.job_title, r.monthly_cost, r.assignment_rate) for r in scope.rows] == [
        ("S01", "Juriste", D("3900.50"), D("50.5")),
        ("S01", "Juriste, droit social", D("3900.50"), D("50.5")),
    ]


def test_xlsx_with_two_kinds_and_a_percent_rate():
    data = xlsx_bytes(
        {
            "Notice": [["à lire"]],
            "Indicateurs": [INDICATOR_HEADER, ["CABM", 2025, "T3", "pro", "gouv", None, 4, None]],
            "Personnel": [STAFF_HEADER, ["CABM", 2025, 7, "S01", "Juriste", "non", 3900.5, 0.5]],
        },
        formats={("Personnel", "H2"): "0%"},
    )
    ind, per = check_bytes("CABM_2025_T3.xlsx", data)
    assert ind.problems == [] and per.problems == []
    assert ind.scopes[0].key == ("indicateurs", "CABM", 2025, 3)
    assert ind.scopes[0].rows == [IndicatorRow("PRO", "GOUV", "DEP", 4, None, 2)]
    assert per.scopes[0].key == ("personnel", "CABM", 2025, 3)
    assert per.scopes[0].rows == [StaffRow(7, "S01", "Juriste", False, D("3900.50"), D("50"), 2)]


# --- headers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "reseau;annee;trimestre;orientation;indicateur;territoire;valeur;commentaire",
        "Réseau;Année;Trimestre;Orientation;Indicateur;Territoire;Valeur;Commentaire",
        "RÉSEAU;ANNÉE;TRIMESTRE;ORIENTATION;INDICATEUR;TERRITOIRE;VALEUR;COMMENTAIRE",
        " reseau ; annee ;trimestre  ;  orientation;indicateur;territoire;valeur;commentaire",
        "commentaire;valeur;territoire;indicateur;orientation;trimestre;annee;reseau",
    ],
)
def test_indicator_headers_match_ignoring_case_accents_spaces_and_order(header):
    names = [h.strip().lower().replace("é", "e") for h in header.split(";")]
    by_name = dict(zip(INDICATOR_HEADER, indicator_row(commentaire="note"), strict=True))
    text = header + "\r\n" + ";".join(by_name[n] for n in names) + "\r\n"
    checked = check_one("i.csv", text.encode())
    assert checked.problems == []
    assert checked.scopes[0].rows == [IndicatorRow("PRO", "GOUV", "DEP", 3, "note", 2)]


@pytest.mark.parametrize(
    "header",
    [
        "Réseau;Année;Mois;Salarié;Fonction;Fonction support;Coût mensuel;Taux affectation",
        "RESEAU;ANNEE;MOIS;SALARIE;FONCTION;FONCTION-SUPPORT;COUT-MENSUEL;TAUX_AFFECTATION",
        "taux_affectation;cout_mensuel;fonction_support;fonction;salarie;mois;annee;reseau",
    ],
)
def test_staff_headers_match_ignoring_case_accents_spaces_and_order(header):
    order = [
        h.replace("-", "_").replace(" ", "_").lower().replace("é", "e").replace("û", "u") for h in header.split(";")
    ]
    by_name = dict(zip(STAFF_HEADER, staff_row(), strict=True))
    text = header + "\n" + ";".join(by_name[n] for n in order) + "\n"
    checked = check_one("p.csv", text.encode("cp1252"))
    assert checked.problems == []
    assert checked.scopes[0].rows == [StaffRow(1, "S01", "Juriste", False, D("3900.00"), D("100"), 2)]


def test_convention_headers_with_accents():
    header = [h.replace("departement", "Département").replace("debut", "Début") for h in CONVENTION_HEADER]
    checked = check_one("c.csv", csv_text(header, CONVENTION_ROW).encode("cp1252"))
    assert checked.problems == []
    assert checked.scopes[0].rows[0].department_amount == D("38808.00")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (INDICATORS_OK, "indicateurs"),
        (STAFF_OK, "personnel"),
        (csv_text(CONVENTION_HEADER, CONVENTION_ROW), "conventions"),
    ],
)
def test_kind_of_a_csv_is_told_by_its_header(text, kind):
    assert check_one("sans_nom.csv", text.encode()).kind == kind


def test_unrecognised_header_is_an_error_on_line_1():
    checked = check_one("x.csv", b"prenom;age;ville\r\nJean;40;Arras\r\n")
    assert checked.kind is None
    assert checked.scopes == []
    [problem] = checked.problems
    assert problem.line == 1
    assert "type de fichier non reconnu" in problem.message


def test_unknown_extra_column_is_an_error_and_recognised_columns_are_still_checked():
    text = (
        "reseau;annee;trimestre;orientation;indicateur;valeur;Remarque\r\n"
        "CABM;2025;T1;PRO;GOUV;3;rien à signaler\r\n"
        "CABM;2025;T1;PRO;FORM;-2;\r\n"
        "CABM;2025;T1;PROF;JURI;1;\r\n"
        "CABM;2025;T1;DIV;WEBI;;\r\n"
    )
    checked = check_one("depot.csv", text.encode())
    assert checked.scopes == []
    unknown = only_at(checked.problems, 1, "Remarque")
    assert "colonne inconnue « Remarque »" in unknown.message
    assert "« -2 »" in only_at(checked.problems, 3, "valeur").message
    assert "« PROF »" in only_at(checked.problems, 4, "orientation").message
    assert "valeur manquante" in only_at(checked.problems, 5, "valeur").message
    assert len(checked.problems) == 4


def test_unknown_column_suggests_the_close_name():
    text = "reseau;annee;trimestre;orientation;indicateur;valuer\r\nCABM;2025;1;PRO;GOUV;3\r\n"
    checked = check_one("depot.csv", text.encode())
    unknown = only_at(checked.problems, 1, "valuer")
    # one typo, one message: the unknown header says which required column it probably is
    assert (
        unknown.message
        == "colonne inconnue « valuer » ; la colonne obligatoire « valeur » manque : vouliez-vous l'écrire ainsi ?"
    )
    assert not [p for p in checked.problems if p.column == "valeur"]


def _without(header: list[str], row: list[str], column: str) -> tuple[list[str], list[str]]:
    index = header.index(column)
    return header[:index] + header[index + 1 :], row[:index] + row[index + 1 :]


REQUIRED = [
    *(("indicateurs", c) for c in ("reseau", "annee", "trimestre", "orientation", "indicateur", "valeur")),
    *(("personnel", c) for c in STAFF_HEADER),
    *(
        ("conventions", c)
        for c in (
            "reseau",
            "nom",
            "annee",
            "date_debut",
            "date_fin",
            "cout_personnel_prevu",
            "montant_fse",
            "contrepartie_departement",
            "autofinancement",
        )
    ),
]
BASE = {
    "indicateurs": (INDICATOR_HEADER, indicator_row()),
    "personnel": (STAFF_HEADER, staff_row()),
    "conventions": (CONVENTION_HEADER, CONVENTION_ROW),
}


@pytest.mark.parametrize(("kind", "column"), REQUIRED)
def test_missing_required_column(kind, column):
    header, row = _without(*BASE[kind], column)
    checked = check_rows(header, [row], kind=kind, sheet=kind, file_name="depot.xlsx")
    assert checked.scopes == []
    problem = only_at(checked.problems, 1, column)
    assert f"colonne obligatoire « {column} » absente" in problem.message
    assert problem.sheet == kind


def test_missing_required_column_still_checks_the_other_columns():
    header, _ = _without(STAFF_HEADER, staff_row(), "fonction")
    rows = [["CABM", "2025", "1", "Dupont", "non", "3900", "100"], ["CABM", "2025", "2", "S01", "peut-être", "-1", "0"]]
    checked = check_rows(header, rows)
    assert where(checked.problems) == {
        (1, "fonction"),
        (2, "salarie"),
        (3, "fonction_support"),
        (3, "cout_mensuel"),
        (3, "taux_affectation"),
    }


@pytest.mark.parametrize(
    ("header", "row", "kind", "expected"),
    [
        (
            ["reseau", "annee", "trimestre", "orientation", "indicateur", "valeur"],
            ["CABM", "2025", "1", "PRO", "GOUV", "3"],
            "indicateurs",
            IndicatorRow("PRO", "GOUV", "DEP", 3, None, 2),
        ),
        (
            INDICATOR_HEADER,
            indicator_row(territoire="  ", commentaire=" "),
            "indicateurs",
            IndicatorRow("PRO", "GOUV", "DEP", 3, None, 2),
        ),
    ],
)
def test_optional_indicator_columns(header, row, kind, expected):
    checked = check_rows(header, [row])
    assert checked.problems == []
    assert checked.scopes[0].rows == [expected]


def test_optional_convention_columns_may_be_absent_or_empty():
    header = CONVENTION_HEADER[:9]
    absent = check_rows(header, [CONVENTION_ROW[:9]])
    empty = conventions(convention_row(avance_versee="", date_avance="", objectif_webi="", objectif_comi=" "))
    for checked in (absent, empty):
        assert checked.problems == [], shown(checked.problems)
        row = checked.scopes[0].rows[0]
        assert row.advance_paid == D("0.00")
        assert row.advance_date is None
        assert row.targets["WEBI"] is None  # no target, not a target of 0
        assert row.targets["COMI"] is None
    assert empty.scopes[0].rows[0].targets["GOUV"] == 20


def test_duplicate_column():
    header = [*INDICATOR_HEADER, "Valeur"]
    checked = check_rows(header, [[*indicator_row(), "4"]])
    assert "colonne en double" in only_at(checked.problems, 1, "Valeur").message


def test_blank_required_cell():
    checked = staff(staff_row(), staff_row(mois="2", fonction="", cout_mensuel="  "))
    assert where(checked.problems) == {(3, "fonction"), (3, "cout_mensuel")}
    assert all("valeur manquante" in p.message for p in checked.problems)


def test_more_cells_than_headers():
    checked = indicators(indicator_row(), [*indicator_row(indicateur="FORM"), "de trop"])
    [problem] = checked.problems
    assert problem.line == 3
    assert "9 valeurs pour 8 colonnes" in problem.message


def test_trailing_separator_after_every_line_is_harmless():
    text = "".join(line + ";\r\n" for line in INDICATORS_OK.splitlines())
    checked = check_one("i.csv", text.encode())
    assert checked.problems == []
    assert checked.scopes[0].rows == INDICATOR_ROWS_OK


def test_header_only_file_is_refused():
    checked = check_one("i.csv", (";".join(INDICATOR_HEADER) + "\r\n;;;;;;;\r\n").encode())
    assert checked.scopes == []
    [problem] = checked.problems
    assert problem.line == 1
    assert "aucune ligne" in problem.message


# --- refusal reasons: indicators ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({}, {}),
        ({}, {"valeur": "5"}),
        ({"orientation": "pro", "indicateur": "gouv"}, {"orientation": " PRO ", "indicateur": "Gouv"}),
        ({"territoire": ""}, {"territoire": "DEP"}),  # an empty territory is DEP
        ({"territoire": "arr"}, {"territoire": "ARR"}),
    ],
)
def test_indicator_duplicate_key(first, second):
    checked = indicators(indicator_row(indicateur="FORM"), indicator_row(**first), indicator_row(**second))
    assert checked.scopes == []
    problem = only_at(checked.problems, 4, "indicateur")
    assert "doublon" in problem.message
    assert "ligne 3" in problem.message
    assert "PRO" in problem.message and "GOUV" in problem.message
    assert len(checked.problems) == 1


def test_indicator_same_codes_on_other_territories_are_not_duplicates():
    checked = indicators(indicator_row(territoire="ARR"), indicator_row(territoire="LEH"), indicator_row(territoire=""))
    assert checked.problems == []
    assert [r.territory for r in checked.scopes[0].rows] == ["ARR", "LEH", "DEP"]


def test_indicator_duplicate_key_without_territory_column():
    header, row = _without(INDICATOR_HEADER, indicator_row(), "territoire")
    checked = check_rows(header, [row, row])
    assert "doublon" in only_at(checked.problems, 3, "indicateur").message


@pytest.mark.parametrize(
    ("column", "other", "shown_values"),
    [
        ("reseau", "FEI", ("FEI", "CABM")),
        ("trimestre", "T2", ("2", "1")),
        ("trimestre", "3", ("3", "1")),
        ("annee", "2026", ("2026", "2025")),
    ],
)
def test_indicator_file_holds_one_network_head_and_one_quarter(column, other, shown_values):
    checked = indicators(
        indicator_row(), indicator_row(indicateur="FORM"), indicator_row(indicateur="JURI", **{column: other})
    )
    assert checked.scopes == []
    problem = only_at(checked.problems, 4, column)
    for value in shown_values:
        assert value in problem.message
    assert "ligne 2" in problem.message


@pytest.mark.parametrize(
    ("column", "spellings"),
    [("reseau", ("CABM", "cabm", " Cabm ")), ("trimestre", ("T1", "1", "t1")), ("annee", ("2025", " 2025", "2025"))],
)
def test_the_same_network_head_or_quarter_spelled_differently_is_one(column, spellings):
    rows = [
        indicator_row(indicateur=code, **{column: s})
        for code, s in zip(("GOUV", "FORM", "JURI"), spellings, strict=True)
    ]
    checked = indicators(*rows)
    assert checked.problems == []
    assert checked.scopes[0].key == ("indicateurs", "CABM", 2025, 1)


def test_indicator_bad_cells():
    checked = indicators(
        indicator_row(),
        indicator_row(indicateur="WEB"),
        indicator_row(indicateur="FORM", territoire="Calais"),
        indicator_row(indicateur="JURI", valeur="-1"),
        indicator_row(indicateur="VEIL", valeur="2,5"),
        indicator_row(indicateur="COMI", trimestre="T5"),
        indicator_row(indicateur="WEBI", orientation=""),
    )
    assert where(checked.problems) == {
        (3, "indicateur"),
        (4, "territoire"),
        (5, "valeur"),
        (6, "valeur"),
        (7, "trimestre"),
        (8, "orientation"),
    }
    messages = " | ".join(shown(checked.problems))
    for value in ("« WEB »", "« Calais »", "« -1 »", "« 2,5 »", "« T5 »"):
        assert value in messages


@pytest.mark.parametrize(
    ("calls", "known"),
    [({2025: CALL_2025}, "2025"), ({}, "aucune")],
)
def test_indicator_year_without_a_call(calls, known):
    header = [h.replace("annee", "Année") for h in INDICATOR_HEADER]
    rows = [indicator_row(annee="2031"), indicator_row(annee="2031", indicateur="FORM")]
    checked = check_rows(header, rows, calls=calls)
    assert checked.scopes == []
    problem = only_at(checked.problems, 2, "Année")
    assert "aucun appel à projets" in problem.message
    assert "2031" in problem.message
    assert known in problem.message
    assert len(checked.problems) == 1


# --- refusal reasons: staff ---------------------------------------------------------------------


@pytest.mark.parametrize(("months", "quarter"), [(("1", "2", "3"), 1), (("4", "5", "6"), 2), (("12", "10", "11"), 4)])
def test_staff_months_of_one_quarter(months, quarter):
    checked = staff(*(staff_row(mois=m) for m in months))
    assert checked.problems == []
    assert checked.scopes[0].quarter == quarter


def test_staff_months_of_two_quarters():
    checked = staff(staff_row(mois="3"), staff_row(mois="3", salarie="S02"), staff_row(mois="4"), staff_row(mois="2"))
    assert checked.scopes == []
    problem = only_at(checked.problems, 4, "mois")
    assert "4" in problem.message and "T2" in problem.message and "T1" in problem.message
    assert "ligne 2" in problem.message
    assert len(checked.problems) == 1


@pytest.mark.parametrize(("first", "second"), [("S01", "S01"), ("S01", "s01"), ("SAL-3", " sal-3 ")])
def test_staff_duplicate_employee_month(first, second):
    checked = staff(
        staff_row(salarie=first), staff_row(salarie="S02"), staff_row(salarie=second, taux_affectation="50")
    )
    assert checked.scopes == []
    problem = only_at(checked.problems, 4, "salarie")
    assert "doublon" in problem.message
    assert "ligne 2" in problem.message
    assert len(checked.problems) == 1


def test_staff_same_employee_other_months_is_fine():
    checked = staff(staff_row(mois="1"), staff_row(mois="2"), staff_row(mois="3"), staff_row(mois="1", salarie="S02"))
    assert checked.problems == []
    assert len(checked.scopes[0].rows) == 4


@pytest.mark.parametrize(("column", "other"), [("reseau", "FEI"), ("annee", "2026")])
def test_staff_file_holds_one_network_head_and_year(column, other):
    checked = staff(staff_row(), staff_row(mois="2", **{column: other}))
    assert checked.scopes == []
    problem = only_at(checked.problems, 3, column)
    assert other in problem.message


def test_staff_year_without_a_call():
    checked = staff(staff_row(annee="2024"), staff_row(annee="2024", mois="2"))
    assert checked.scopes == []
    problem = only_at(checked.problems, 2, "annee")
    assert "aucun appel à projets" in problem.message and "2024" in problem.message


def test_staff_bad_cells():
    checked = staff(
        staff_row(),
        staff_row(salarie="Dupont"),
        staff_row(salarie="S02", fonction_support="peut-être"),
        staff_row(salarie="S03", cout_mensuel="-100"),
        staff_row(salarie="S04", cout_mensuel="3900,505"),
        staff_row(salarie="S05", taux_affectation="0"),
        staff_row(salarie="S06", taux_affectation="120 %"),
        staff_row(salarie="S07", mois="13"),
    )
    assert where(checked.problems) == {
        (3, "salarie"),
        (4, "fonction_support"),
        (5, "cout_mensuel"),
        (6, "cout_mensuel"),
        (7, "taux_affectation"),
        (8, "taux_affectation"),
        (9, "mois"),
    }
    assert "« Dupont » n'est pas un identifiant pseudonyme" in only_at(checked.problems, 3, "salarie").message


def test_staff_low_rate_and_support_function_are_accepted_lines():
    """Ineligible is not refused: the domain layer keeps and flags them."""
    checked = staff(staff_row(taux_affectation="10"), staff_row(salarie="S02", fonction_support="oui"))
    assert checked.problems == []
    assert [(r.assignment_rate, r.support_function) for r in checked.scopes[0].rows] == [
        (D("10"), False),
        (D("100"), True),
    ]


# --- refusal reasons: conventions ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "plan", "total"),
    [
        ({"autofinancement": "12935,99"}, "129 359,99", "129 360,00"),
        ({"montant_fse": "77616,01"}, "129 360,01", "129 360,00"),
        ({"cout_personnel_prevu": "92400,01"}, "129 360,00", "129 360,01"),  # 92 400,01 × 1,40 = 129 360,014
        ({"contrepartie_departement": "0"}, "90 552,00", "129 360,00"),
    ],
)
def test_convention_unbalanced_financing_plan(changes, plan, total):
    checked = conventions(convention_row(**changes))
    assert checked.scopes == []
    problem = only_at(checked.problems, 2, "montant_fse")
    message = plain(problem.message)
    assert "plan de financement déséquilibré" in message
    assert plan in message
    assert total in message


@pytest.mark.parametrize(
    ("staff_cost", "fse", "department", "own"),
    [
        ("92400,00", "77616,00", "38808,00", "12936,00"),
        ("12345,67", "10000,00", "5000,00", "2283,94"),  # 17 283,938 rounds to 17 283,94
        ("0,01", "0,01", "0,00", "0,00"),  # 0,014 rounds to 0,01
        ("1000,03", "1000,00", "400,04", "0,00"),  # 1 400,042 rounds to 1 400,04
        ("100000", "140000", "0", "0"),
    ],
)
def test_convention_balanced_to_the_cent(staff_cost, fse, department, own):
    row = convention_row(
        cout_personnel_prevu=staff_cost,
        montant_fse=fse,
        contrepartie_departement=department,
        autofinancement=own,
        avance_versee="",
    )
    checked = conventions(row)
    assert checked.problems == [], shown(checked.problems)


def test_convention_balanced_plan_in_a_workbook_with_number_cells():
    row = [
        "CABM",
        "Coordination (fictive)",
        2025,
        date(2025, 1, 1),
        date(2025, 12, 31),
        12345.67,
        10000,
        5000,
        2283.94,
        2500,
        date(2025, 3, 17),
    ]
    checked = check_one("c.xlsx", xlsx_bytes({"conventions": [CONVENTION_HEADER[:11], row]}))
    assert checked.problems == []
    assert checked.scopes[0].rows[0].planned_total_cost == D("17283.94")


def test_convention_end_date_before_start_date():
    checked = conventions(convention_row(date_debut="31/12/2025", date_fin="2025-01-01"))
    assert checked.scopes == []
    problem = only_at(checked.problems, 2, "date_fin")
    assert "01/01/2025" in problem.message
    assert "précède la date de début" in problem.message


def test_convention_of_one_day_is_fine():
    assert conventions(convention_row(date_debut="01/01/2025", date_fin="01/01/2025")).problems == []


def test_convention_advance_above_the_department_share():
    checked = conventions(convention_row(avance_versee="38808,01"))
    assert checked.scopes == []
    problem = only_at(checked.problems, 2, "avance_versee")
    message = plain(problem.message)
    assert "38 808,01" in message
    assert "38 808,00" in message


def test_convention_advance_equal_to_the_department_share_is_fine():
    assert conventions(convention_row(avance_versee="38808,00")).problems == []


def test_convention_year_without_a_call():
    checked = conventions(CONVENTION_ROW, convention_row(reseau="FEI", annee="2030"))
    assert checked.scopes == []
    problem = only_at(checked.problems, 3, "annee")
    assert "aucun appel à projets" in problem.message and "2030" in problem.message
    assert len(checked.problems) == 1


def test_convention_duplicate_network_head_and_year():
    checked = conventions(CONVENTION_ROW, convention_row(reseau="FEI"), convention_row(reseau="cabm", nom="Autre nom"))
    assert checked.scopes == []
    problem = only_at(checked.problems, 4, "reseau")
    assert "doublon" in problem.message and "ligne 2" in problem.message


def test_convention_several_reasons_in_one_file_are_all_reported():
    checked = conventions(
        convention_row(autofinancement="0"),
        convention_row(reseau="FEI", date_fin="31/12/2024"),
        convention_row(reseau="ISA", avance_versee="50000"),
        convention_row(reseau="URQ", cout_personnel_prevu="-1"),
        convention_row(reseau="CET", date_debut="31/02/2025"),
    )
    assert where(checked.problems) == {
        (2, "montant_fse"),
        (3, "date_fin"),
        (4, "avance_versee"),
        (5, "cout_personnel_prevu"),
        (6, "date_debut"),
    }


# --- where messages point -----------------------------------------------------------------------


def test_message_in_a_workbook_names_file_sheet_line_column_and_value():
    data = xlsx_bytes(
        {
            "Indicateurs": [
                ["Réseau", "Année", "Trimestre", "Orientation", "Indicateur", "Valeur"],
                ["CABM", 2025, "T1", "PRO", "GOUV", 3],
                ["CABM", 2025, "T1", "PRO", "FORM", -2],
                ["CABM", 2025, "T1", "PRO", "FORMATION", 1],
            ]
        }
    )
    checked = check_one("depot.xlsx", data)
    assert checked.sheet == "Indicateurs"
    value = only_at(checked.problems, 3, "Valeur")
    assert value.file == "depot.xlsx"
    assert value.sheet == "Indicateurs"
    assert str(value).startswith("depot.xlsx[Indicateurs]:3:Valeur: ")
    assert "« -2 »" in str(value)
    code = only_at(checked.problems, 4, "Indicateur")
    assert str(code).startswith("depot.xlsx[Indicateurs]:4:Indicateur: « FORMATION » n'est pas un code connu")


def test_message_in_a_csv_names_file_line_column_as_written_and_value():
    text = (
        "RESEAU;Année;trimestre;Orientation;INDICATEUR;  Valeur  \r\n"
        "CABM;2025;T1;PRO;GOUV;3\r\n"
        "CABM;2025;T1;PRO;FORM;trois\r\n"
    )
    checked = check_one("CABM_T1.csv", text.encode())
    [problem] = checked.problems
    assert problem.sheet is None
    assert str(problem) == "CABM_T1.csv:3:Valeur: « trois » n'est pas un nombre entier"


def test_message_on_a_header_names_line_1_and_the_header_as_written():
    text = "reseau;annee;trimestre;orientation;indicateur;valeur;Remarque  \r\nCABM;2025;1;PRO;GOUV;3;x\r\n"
    [problem] = check_one("i.csv", text.encode()).problems
    assert str(problem).startswith("i.csv:1:Remarque: colonne inconnue « Remarque »")


def test_line_numbers_count_blank_rows_as_a_spreadsheet_does():
    text = (
        "reseau;annee;trimestre;orientation;indicateur;valeur\r\n"
        "CABM;2025;1;PRO;GOUV;3\r\n"
        "\r\n"
        ";;;;;\r\n"
        "CABM;2025;1;PRO;FORM;-1\r\n"
    )
    [problem] = check_one("i.csv", text.encode()).problems
    assert (problem.line, problem.column) == (5, "valeur")


def test_line_numbers_in_a_workbook_count_blank_rows():
    data = xlsx_bytes(
        {"personnel": [STAFF_HEADER, staff_row(), [None] * 8, [None] * 8, staff_row(mois="2", salarie="Martin")]}
    )
    [problem] = check_one("p.xlsx", data).problems
    assert str(problem).startswith("p.xlsx[personnel]:5:salarie: « Martin »")


def test_done_when_negative_value_unknown_code_and_bad_header_give_three_messages():
    text = (
        "reseau;annee;trimestre;orientation;indicateur;valeur;comentaire\r\n"
        "CABM;2025;T4;PRO;GOUV;-3;\r\n"
        "CABM;2025;T4;XYZ;FORM;2;\r\n"
    )
    checked = check_one("CABM_2025_T4_indicateurs.csv", text.encode())
    assert checked.scopes == []
    assert where(checked.problems) == {(1, "comentaire"), (2, "valeur"), (3, "orientation")}
    messages = shown(checked.problems)
    assert any("« comentaire »" in m for m in messages)
    assert any("« -3 »" in m for m in messages)
    assert any("« XYZ »" in m for m in messages)


def test_every_problem_of_a_file_is_reported_at_once():
    rows = [indicator_row(indicateur=i, valeur="-1") for i in ("GOUV", "FORM", "JURI", "VEIL", "WEBI", "COMI")]
    checked = indicators(*rows)
    assert sorted(p.line for p in checked.problems) == [2, 3, 4, 5, 6, 7]


def test_each_sheet_of_a_workbook_is_checked_on_its_own():
    data = xlsx_bytes(
        {
            "indicateurs": [INDICATOR_HEADER, indicator_row()],
            "personnel": [STAFF_HEADER, staff_row(), staff_row(salarie="Jean Dupont")],
        }
    )
    ind, per = check_bytes("CABM_2025_T1.xlsx", data)
    assert ind.problems == [] and ind.scopes
    assert per.scopes == []
    [problem] = per.problems
    assert (problem.sheet, problem.line, problem.column) == ("personnel", 3, "salarie")
    assert at(per.problems, 3, "salarie")
