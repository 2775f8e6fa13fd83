"""Every cell parser of the submission format v1: accepted spellings and refusals with their message."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal as D
from typing import Any

import pytest

from iaedash.domain.reference import INDICATOR_CODES, ORIENTATION_CODES, TERRITORY_CODES
from iaedash.ingest import fields as f

NBSP = "\u00a0"  # no-break space, what French Excel puts between thousands
NNBSP = "\u202f"  # narrow no-break space, the typographic French thousands separator

parse_orientation = f.parse_code(ORIENTATION_CODES)
parse_indicator = f.parse_code(INDICATOR_CODES)
parse_territory = f.parse_code(TERRITORY_CODES)


def assert_refused(parser: f.Parser, raw: Any, fragment: str) -> None:
    with pytest.raises(f.CellError) as error:
        parser(raw)
    message = str(error.value).replace(NNBSP, " ").replace(NBSP, " ")
    assert fragment in message, message


def assert_names_value(parser: f.Parser, raw: str) -> None:
    """A refusal names the bad value as the person typed it, between French quotes."""
    with pytest.raises(f.CellError) as error:
        parser(raw)
    assert f"« {raw.strip()} »" in str(error.value)


# --- headers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("reseau", "reseau"),
        ("Réseau", "reseau"),
        ("RÉSEAU", "reseau"),
        ("  réseau  ", "reseau"),
        ("Année", "annee"),
        ("ANNEE", "annee"),
        ("\tannée\t", "annee"),
        (f"{NBSP}valeur{NBSP}", "valeur"),
        ("Salarié", "salarie"),
        ("Coût mensuel", "cout_mensuel"),
        ("COUT-MENSUEL", "cout_mensuel"),
        ("cout_mensuel", "cout_mensuel"),
        ("Fonction support", "fonction_support"),
        ("Taux_Affectation", "taux_affectation"),
        ("Contrepartie Département", "contrepartie_departement"),
        ("Date début", "date_debut"),
        ("Indicateurs", "indicateurs"),
        ("Conventions ", "conventions"),
    ],
)
def test_normalise_header(raw, expected):
    assert f.normalise_header(raw) == expected


@pytest.mark.parametrize(
    ("raw", "blank"),
    [(None, True), ("", True), ("   ", True), ("\t", True), ("0", False), (0, False), ("x", False), (False, False)],
)
def test_is_blank(raw, blank):
    assert f.is_blank(raw) is blank


# --- codes --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parser", "raw", "expected"),
    [
        (parse_orientation, "PRO", "PRO"),
        (parse_orientation, "pro", "PRO"),
        (parse_orientation, " Pro ", "PRO"),
        (parse_orientation, "mar", "MAR"),
        (parse_orientation, "Int", "INT"),
        (parse_orientation, "DIV  ", "DIV"),
        (parse_orientation, f"{NBSP}div{NBSP}", "DIV"),
        (parse_indicator, "GOUV", "GOUV"),
        (parse_indicator, "form", "FORM"),
        (parse_indicator, " Juri", "JURI"),
        (parse_indicator, "veil ", "VEIL"),
        (parse_indicator, "Webi", "WEBI"),
        (parse_indicator, "\tcomi\t", "COMI"),
        (parse_territory, "ARR", "ARR"),
        (parse_territory, "art", "ART"),
        (parse_territory, "Aud", "AUD"),
        (parse_territory, " bou ", "BOU"),
        (parse_territory, "cal", "CAL"),
        (parse_territory, "leh", "LEH"),
        (parse_territory, "MOT", "MOT"),
        (parse_territory, "dep", "DEP"),
    ],
)
def test_codes_ignore_case_and_surrounding_spaces(parser, raw, expected):
    assert parser(raw) == expected


@pytest.mark.parametrize(
    ("parser", "raw", "fragment"),
    [
        (parse_orientation, "PROF", "« PROF » n'est pas un code connu"),
        (parse_orientation, "P RO", "« P RO »"),
        (parse_orientation, "Professionnalisation", "attendu : PRO, MAR, INT, DIV"),
        (parse_orientation, "GOUV", "« GOUV »"),
        (parse_indicator, "FORMATION", "« FORMATION » n'est pas un code connu"),
        (parse_indicator, "WEB", "attendu : GOUV, FORM, JURI, VEIL, WEBI, COMI"),
        (parse_indicator, "PRO", "« PRO »"),
        (parse_territory, "Calais", "« Calais » n'est pas un code connu"),
        (parse_territory, "LENS", "ARR, ART, AUD, BOU, CAL, LEH, MOT, DEP"),
        (parse_territory, "62", "« 62 »"),
    ],
)
def test_unknown_codes_are_refused(parser, raw, fragment):
    assert_refused(parser, raw, fragment)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("CABM", "CABM"),
        ("cabm", "CABM"),
        ("  Cabm ", "CABM"),
        ("URIAE-62", "URIAE-62"),
        ("coorace_62", "COORACE_62"),
        ("FEI62", "FEI62"),
        ("X" * 20, "X" * 20),
    ],
)
def test_network_head_code(raw, expected):
    assert f.parse_network_head(raw) == expected


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("Réseau", "« Réseau » n'est pas un code de réseau valide"),
        ("CHANTIER ECOLE", "« CHANTIER ECOLE »"),
        ("X" * 21, "20 caractères au plus"),
        ("-CABM", "« -CABM »"),
        ("CABM!", "« CABM! »"),
    ],
)
def test_network_head_code_refused(raw, fragment):
    assert_refused(f.parse_network_head, raw, fragment)


# --- whole numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0", 0),
        ("3", 3),
        (" 42 ", 42),
        ("+5", 5),
        ("007", 7),
        ("1 234", 1234),
        (f"1{NBSP}234", 1234),
        (f"1{NNBSP}234", 1234),
        (f"12{NNBSP}345{NNBSP}678", 12345678),
        (0, 0),
        (17, 17),
        (17.0, 17),  # an .xlsx number cell
    ],
)
def test_count(raw, expected):
    value = f.parse_count(raw)
    assert value == expected
    assert type(value) is int


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("-1", "« -1 » est négatif : attendu un nombre entier positif ou nul"),
        (-3, "est négatif"),
        ("2,5", "« 2,5 » n'est pas un nombre entier"),
        ("2.5", "« 2.5 » n'est pas un nombre entier"),
        (2.5, "n'est pas un nombre entier"),
        ("trois", "« trois » n'est pas un nombre entier"),
        ("3 formations", "« 3 formations » n'est pas un nombre entier"),
        ("1e3", "« 1e3 »"),
        ("12-3", "« 12-3 »"),
        (True, "n'est pas un nombre entier"),
    ],
)
def test_count_refused(raw, fragment):
    assert_refused(f.parse_count, raw, fragment)


@pytest.mark.parametrize(("raw", "expected"), [(None, None), ("", None), ("  ", None), ("0", 0), ("150", 150)])
def test_optional_count_empty_means_no_target(raw, expected):
    assert f.parse_optional_count(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"), [("2025", 2025), (" 2025 ", 2025), (2025, 2025), (2025.0, 2025), ("2026", 2026)]
)
def test_year(raw, expected):
    assert f.parse_year(raw) == expected


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("25", "« 25 » n'est pas une année valide (ex. 2025)"),
        ("1999", "« 1999 » n'est pas une année valide"),
        ("20255", "« 20255 » n'est pas une année valide"),
        ("deux mille", "« deux mille »"),
        ("2025,5", "« 2025,5 »"),
    ],
)
def test_year_refused(raw, fragment):
    assert_refused(f.parse_year, raw, fragment)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1),
        ("2", 2),
        ("3", 3),
        ("4", 4),
        ("T1", 1),
        ("T2", 2),
        ("T3", 3),
        ("T4", 4),
        ("t1", 1),
        ("t4", 4),
        (" T2 ", 2),
        ("T 3", 3),
        (" 4 ", 4),
        (1, 1),
        (4, 4),
        (3.0, 3),
    ],
)
def test_quarter(raw, expected):
    assert f.parse_quarter(raw) == expected


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("0", "« 0 » n'est pas un trimestre (attendu : 1 à 4 ou T1 à T4)"),
        ("5", "« 5 » n'est pas un trimestre"),
        ("T0", "« T0 »"),
        ("T5", "« T5 »"),
        ("Q1", "« Q1 »"),
        ("1er", "« 1er »"),
        ("T", "« T »"),
        ("trimestre 1", "« trimestre 1 »"),
        ("2025-T1", "« 2025-T1 »"),
        (5, "n'est pas un trimestre"),
        (1.5, "n'est pas un trimestre"),
    ],
)
def test_quarter_refused(raw, fragment):
    assert_refused(f.parse_quarter, raw, fragment)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", 1), ("01", 1), ("6", 6), ("12", 12), (" 9 ", 9), (3, 3), (11.0, 11)],
)
def test_month(raw, expected):
    assert f.parse_month(raw) == expected


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("0", "« 0 » n'est pas un mois (attendu : 1 à 12)"),
        ("13", "« 13 » n'est pas un mois"),
        ("-1", "« -1 » n'est pas un mois"),
        ("janvier", "« janvier » n'est pas un mois"),
        ("1,5", "« 1,5 » n'est pas un mois"),
        ("2025-01", "« 2025-01 »"),
        (13, "n'est pas un mois"),
    ],
)
def test_month_refused(raw, fragment):
    assert_refused(f.parse_month, raw, fragment)


# --- money --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0", D("0.00")),
        ("0,00", D("0.00")),
        ("3900", D("3900.00")),
        ("3900,5", D("3900.50")),
        ("3900,50", D("3900.50")),
        ("3900.50", D("3900.50")),
        ("3900.05", D("3900.05")),
        ("0,01", D("0.01")),
        (" 3900,50 ", D("3900.50")),
        ("3 900,50", D("3900.50")),
        (f"3{NBSP}900,50", D("3900.50")),
        (f"3{NNBSP}900,50", D("3900.50")),
        (f"1{NNBSP}234{NNBSP}567,89", D("1234567.89")),
        ("1 234 567", D("1234567.00")),
        ("3 900,50 €", D("3900.50")),
        ("3900,50€", D("3900.50")),
        (f"3{NBSP}900,50{NBSP}€", D("3900.50")),
        ("1.234,56", D("1234.56")),
        ("1,234.56", D("1234.56")),
        ("1.234.567,89", D("1234567.89")),
        ("1,234,567.89", D("1234567.89")),
        ("1 234.56", D("1234.56")),
        # typed .xlsx cells
        (3900, D("3900.00")),
        (0, D("0.00")),
        (3900.5, D("3900.50")),
        (1234.56, D("1234.56")),
        (0.1 + 0.2, D("0.30")),  # a float that only looks like 0.3 in the cell
        (D("12.3"), D("12.30")),
        (D("3900.0000"), D("3900.00")),  # a Parquet decimal(18, 4): the zeros are its type's, not written
    ],
)
def test_money(raw, expected):
    value = f.parse_money(raw)
    assert value == expected
    assert isinstance(value, D)
    assert value.as_tuple().exponent == -2  # always to the cent


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("-1", "« -1 » est négatif : attendu un montant positif ou nul"),
        ("-0,01", "« -0,01 » est négatif"),
        (-5, "est négatif"),
        ("3900,505", "« 3900,505 » a plus de deux décimales : attendu un montant au centime près"),
        ("0,001", "a plus de deux décimales"),
        ("1.234", "« 1.234 » a plus de deux décimales"),  # a point alone is never a thousands separator
        (1234.567, "a plus de deux décimales"),
        (D("3900.0010"), "« 3900.0010 » a plus de deux décimales"),  # a Parquet decimal with a third decimal
        ("abc", "« abc » n'est pas un montant en euros"),
        ("3 900,50 EUR", "« 3 900,50 EUR » n'est pas un montant en euros"),
        ("12,3,4", "« 12,3,4 » n'est pas un montant"),
        ("1e3", "« 1e3 » n'est pas un montant"),
        ("NaN", "« NaN » n'est pas un montant"),
        ("--5", "« --5 »"),
        (True, "n'est pas un montant"),
    ],
)
def test_money_refused(raw, fragment):
    assert_refused(f.parse_money, raw, fragment)


@pytest.mark.parametrize(("raw", "expected"), [(None, D("0.00")), ("", D("0.00")), (" ", D("0.00")), ("12", D("12"))])
def test_optional_money_empty_is_zero(raw, expected):
    assert f.parse_optional_money(raw) == expected


# --- assignment rate ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("50", D("50")),
        ("50,5", D("50.5")),
        ("50.5", D("50.5")),
        ("50 %", D("50")),
        ("50%", D("50")),
        (f"50{NBSP}%", D("50")),
        (f"50{NNBSP}%", D("50")),
        ("50,5 %", D("50.5")),
        (" 75 ", D("75")),
        ("100", D("100")),
        ("100 %", D("100")),
        ("100,00", D("100")),
        ("30", D("30")),
        ("29,99", D("29.99")),
        ("0,01", D("0.01")),  # just above 0: accepted (ineligible below 30 %, but that is the domain's call)
        ("12,25", D("12.25")),
        (50, D("50")),
        (100, D("100")),
        (50.5, D("50.5")),
        (33.33, D("33.33")),
        (D("50.000"), D("50")),
    ],
)
def test_rate(raw, expected):
    assert f.parse_rate(raw) == expected


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("0", "« 0 » est hors limites : le taux d'affectation doit être > 0 et ≤ 100 %"),
        ("0 %", "« 0 % » est hors limites"),
        ("0,00", "est hors limites"),
        ("-10", "« -10 » est hors limites"),
        ("100,01", "« 100,01 » est hors limites"),
        ("101", "« 101 » est hors limites"),
        ("150 %", "« 150 % » est hors limites"),
        (0, "est hors limites"),
        (120, "est hors limites"),
        ("cinquante", "« cinquante » n'est pas un taux d'affectation en %"),
        ("50 pourcent", "« 50 pourcent »"),
        ("%50", "« %50 »"),
        ("mi-temps", "« mi-temps »"),
    ],
)
def test_rate_refused(raw, fragment):
    assert_refused(f.parse_rate, raw, fragment)


# --- oui / non ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("oui", True),
        ("OUI", True),
        ("Oui", True),
        (" oui ", True),
        ("o", True),
        ("O", True),
        ("non", False),
        ("NON", False),
        ("Non", False),
        ("  non", False),
        ("n", False),
        ("N", False),
        (True, True),  # a boolean cell of a workbook
        (False, False),
    ],
)
def test_yes_no(raw, expected):
    assert f.parse_yes_no(raw) is expected


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("yes", "« yes » n'est pas une réponse valide (attendu : oui ou non)"),
        ("no", "« no »"),
        ("1", "« 1 »"),
        ("0", "« 0 »"),
        ("vrai", "« vrai »"),
        ("oui/non", "« oui/non »"),
        ("peut-être", "« peut-être »"),
    ],
)
def test_yes_no_refused(raw, fragment):
    assert_refused(f.parse_yes_no, raw, fragment)


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-01-01", date(2025, 1, 1)),
        ("2025-12-31", date(2025, 12, 31)),
        ("31/12/2025", date(2025, 12, 31)),
        ("01/02/2025", date(2025, 2, 1)),  # day first, the French way
        ("1/2/2025", date(2025, 2, 1)),
        (" 17/03/2025 ", date(2025, 3, 17)),
        ("29/02/2024", date(2024, 2, 29)),
        (date(2025, 3, 17), date(2025, 3, 17)),
        (datetime(2025, 3, 17, 0, 0), date(2025, 3, 17)),  # what openpyxl gives for a date cell
    ],
)
def test_date(raw, expected):
    value = f.parse_date(raw)
    assert value == expected
    assert type(value) is date


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("31/02/2025", "« 31/02/2025 » n'est pas une date (attendu : JJ/MM/AAAA ou AAAA-MM-JJ)"),
        ("2025-02-30", "« 2025-02-30 »"),
        ("29/02/2025", "« 29/02/2025 »"),
        ("12/31/2025", "« 12/31/2025 »"),  # month first is not French
        ("31/12/25", "« 31/12/25 »"),
        ("2025/12/31", "« 2025/12/31 »"),
        ("31-12-2025", "« 31-12-2025 »"),
        ("31 décembre 2025", "« 31 décembre 2025 »"),
        ("demain", "« demain »"),
    ],
)
def test_date_refused(raw, fragment):
    assert_refused(f.parse_date, raw, fragment)


@pytest.mark.parametrize(("raw", "expected"), [(None, None), ("", None), ("17/03/2025", date(2025, 3, 17))])
def test_optional_date(raw, expected):
    assert f.parse_optional_date(raw) == expected


# --- text ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Coordinatrice", "Coordinatrice"),
        ("  Chargée d'accompagnement  ", "Chargée d'accompagnement"),
        ("Webinaire « clauses sociales »", "Webinaire « clauses sociales »"),
        ("x" * 2000, "x" * 2000),
    ],
)
def test_text(raw, expected):
    assert f.parse_text(raw) == expected


def test_text_too_long_refused():
    assert_refused(f.parse_text, "x" * 2001, "texte trop long : 2 000 caractères au plus")


@pytest.mark.parametrize(("raw", "expected"), [(None, None), ("", None), ("  ", None), (" note ", "note")])
def test_optional_text(raw, expected):
    assert f.parse_optional_text(raw) == expected


# --- pseudonymous employee ids ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("S01", "S01"),
        ("s01", "S01"),
        (" S01 ", "S01"),
        ("S1", "S1"),
        ("S123456", "S123456"),
        ("SAL-12", "SAL-12"),
        ("sal_12", "SAL_12"),
        ("AB-7", "AB-7"),
        ("12", "12"),
        (12, "12"),  # a number cell of a workbook
        (12.0, "12"),
    ],
)
def test_employee(raw, expected):
    assert f.parse_employee(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "Dupont",
        "DUPONT",
        "dupont",
        "Jean Dupont",
        "Marie Dupont",
        "DUPONT Marie",
        "Dupont M.",
        "M. Martin",
        "Mme Lefebvre",
        "Léa",
        "Zoé B.",
        "jean.dupont@example.fr",
        "S01 Dupont",
        "Dupont S01",
        "Martin-Leroy",
        "ABCDEF1",
        "S1234567",
        "S-",
        "S--1",
    ],
)
def test_employee_names_are_refused(raw):
    assert_refused(f.parse_employee, raw, "n'est pas un identifiant pseudonyme")
    assert_refused(f.parse_employee, raw, "jamais le nom d'une personne")
    assert_names_value(f.parse_employee, raw)


# --- messages name the bad value ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("parser", "raw"),
    [
        (f.parse_count, "-4"),
        (f.parse_count, " dix "),
        (f.parse_year, "2O25"),
        (f.parse_quarter, "T7"),
        (f.parse_month, "13"),
        (f.parse_money, "12,345"),
        (f.parse_money, "-3 900,00"),
        (f.parse_rate, "0"),
        (f.parse_rate, "110 %"),
        (f.parse_yes_no, "peut-être"),
        (f.parse_date, "32/01/2025"),
        (f.parse_network_head, "Réseau Sud"),
        (parse_orientation, "XYZ"),
        (parse_territory, "Lens"),
    ],
)
def test_refusal_names_the_value_as_typed(parser, raw):
    assert_names_value(parser, raw)
