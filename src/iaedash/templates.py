"""Ready-to-fill submission workbooks (format v1, docs/format-depot.md) for one network head and one quarter.

The template must import without any edit once filled in, through the unchanged reader and checker:

- the reader skips a row only when every cell is blank, and the checker refuses a row with a required cell
  empty. So the `personnel` sheet has **no pre-filled cell** below its header: its rows carry only data
  validations and column formats, which are not values, so rows left untouched are skipped. `reseau` and
  `annee` are offered there as one-item drop-down lists rather than typed in advance;
- every `indicateurs` row is complete from the start: `valeur` is pre-filled with 0, which is what an absent
  combination means anyway (« une combinaison absente vaut 0 »), so a row left as it is imports as 0;
- numbers are written as numbers, the quarter as the text « T2 »: both read back as the person sees them.

An untouched template is refused on purpose (its `personnel` sheet holds only the header: « aucune ligne de
données sous l'en-tête »), so a blank download sent back by mistake can never replace a quarter with zeros.
The instructions sheet says so, and how to send indicators alone (delete the `personnel` sheet).

The network head code is taken as given: checking it against the conventions is the caller's business.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from iaedash.domain.calls import quarter_months, submission_due_date
from iaedash.domain.reference import DEFAULT_TERRITORY, INDICATORS, ORIENTATIONS, TERRITORIES
from iaedash.formatting import MONTH_NAMES, format_date
from iaedash.ingest.check import COLUMNS
from iaedash.presenters.calls import hypothesis_notice

INSTRUCTIONS_SHEET = "instructions"
INDICATORS_SHEET = "indicateurs"
STAFF_SHEET = "personnel"

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

INDICATOR_HEADERS = tuple(c.name for c in COLUMNS[INDICATORS_SHEET])
STAFF_HEADERS = tuple(c.name for c in COLUMNS[STAFF_SHEET])

# Rows below the prepared ones that keep the drop-downs, for lines split by territory.
EXTRA_INDICATOR_ROWS = 100
# Rows of the personnel sheet carrying the drop-downs and number checks: 80 employees × 3 months.
STAFF_ROWS = 240

# Defaults of format v1 when no call data file covers the year (the call's own figures win otherwise).
_MIN_RATE_V1 = "30"
_FLAT_RATE_V1 = "40"

_INDICATOR_WIDTHS = {
    "reseau": 14,
    "annee": 9,
    "trimestre": 11,
    "orientation": 13,
    "indicateur": 12,
    "territoire": 12,
    "valeur": 10,
    "commentaire": 70,
}
_STAFF_WIDTHS = {
    "reseau": 14,
    "annee": 9,
    "mois": 8,
    "salarie": 11,
    "fonction": 38,
    "fonction_support": 18,
    "cout_mensuel": 15,
    "taux_affectation": 18,
}

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_TO_FILL = PatternFill("solid", fgColor="FFF2CC")  # the cells waiting for the network head's figures
_TITLE_FONT = Font(bold=True, size=14)
_SECTION_FONT = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")

_REFUSED = "Valeur refusée"


def template_file_name(network_head: str, year: int, quarter: int) -> str:
    """« modele_depot_CABM_2025_T2.xlsx »."""
    return f"modele_depot_{network_head}_{year}_T{quarter}.xlsx"


def submission_template(network_head: str, name: str | None, year: int, quarter: int) -> bytes:
    """A ready-to-fill .xlsx (sheets instructions, indicateurs, personnel) for one network head and quarter."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"quarter must be 1 to 4, not {quarter!r}")
    book = Workbook()
    instructions = book.active
    instructions.title = INSTRUCTIONS_SHEET
    _fill_instructions(instructions, network_head, name, year, quarter)
    _fill_indicators(book.create_sheet(INDICATORS_SHEET), network_head, year, quarter)
    _fill_staff(book.create_sheet(STAFF_SHEET), network_head, year, quarter)
    book.properties.creator = "iaedash"
    book.properties.title = f"Modèle de dépôt {network_head} T{quarter} {year}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- the two sheets the reader imports ---


def _fill_indicators(ws: Worksheet, network_head: str, year: int, quarter: int) -> None:
    _header(ws, INDICATOR_HEADERS, _INDICATOR_WIDTHS)
    value_column = INDICATOR_HEADERS.index("valeur") + 1
    for orientation in ORIENTATIONS:
        for indicator in INDICATORS:
            ws.append([None, year, f"T{quarter}", orientation.code, indicator.code, DEFAULT_TERRITORY, 0, None])
            row = ws.max_row
            _text(ws.cell(row, 1), network_head)
            ws.cell(row, value_column).fill = _TO_FILL
            ws.cell(row, value_column).number_format = "0"
    last = 1 + len(ORIENTATIONS) * len(INDICATORS) + EXTRA_INDICATOR_ROWS
    months = _months_text(quarter)
    rules = {
        "reseau": _one_of([network_head], "Réseau", f"Code du réseau : {network_head}, le même sur toutes les lignes."),
        "annee": _one_of([str(year)], "Année", f"Année : {year}, la même sur toutes les lignes."),
        "trimestre": _one_of(
            [f"T{q}" for q in range(1, 5)], "Trimestre", f"Trimestre : T{quarter}, le même sur toutes les lignes."
        ),
        "orientation": _one_of(
            [o.code for o in ORIENTATIONS],
            "Orientation",
            "Code d'orientation : " + " ; ".join(f"{o.code} {o.label}" for o in ORIENTATIONS) + ".",
        ),
        "indicateur": _one_of(
            [i.code for i in INDICATORS],
            "Indicateur",
            "Code d'indicateur : " + ", ".join(f"{i.code} {i.unit}" for i in INDICATORS) + " (voir instructions).",
        ),
        "territoire": _one_of(
            [t.code for t in TERRITORIES],
            "Territoire",
            f"Code de territoire ; {DEFAULT_TERRITORY} = tout le Département (valeur par défaut).",
        ),
        "valeur": _validation(
            "whole",
            operator="greaterThanOrEqual",
            formula1="0",
            title="Valeur du trimestre",
            prompt=f"Nombre entier ≥ 0 compté sur le trimestre seul ({months}), jamais un cumul. 0 si rien.",
            error="Saisissez un nombre entier positif ou nul (sans décimale) : le nombre du trimestre seul.",
        ),
        "commentaire": _validation(
            "textLength",
            operator="lessThanOrEqual",
            formula1="2000",
            title="Commentaire",
            prompt="Facultatif : texte libre, 2 000 caractères au plus.",
            error="Le commentaire est limité à 2 000 caractères.",
        ),
    }
    _apply(ws, INDICATOR_HEADERS, rules, last)


def _fill_staff(ws: Worksheet, network_head: str, year: int, quarter: int) -> None:
    _header(ws, STAFF_HEADERS, _STAFF_WIDTHS)
    # Column formats, not cell values: a row nobody typed in stays blank for the reader.
    ws.column_dimensions[_letter(STAFF_HEADERS, "cout_mensuel")].number_format = "#,##0.00"
    months = quarter_months(quarter)
    rules = {
        "reseau": _one_of(
            [network_head], "Réseau", f"Code du réseau : {network_head}, à reporter sur chaque ligne remplie."
        ),
        "annee": _one_of([str(year)], "Année", f"Année : {year}, à reporter sur chaque ligne remplie."),
        "mois": _one_of(
            [str(m) for m in months],
            "Mois",
            f"Mois du T{quarter} : " + ", ".join(f"{m} ({MONTH_NAMES[m - 1]})" for m in months) + ".",
            error=f"Le mois doit être un mois du T{quarter} : {', '.join(str(m) for m in months)}.",
        ),
        "salarie": _validation(
            "textLength",
            operator="lessThanOrEqual",
            formula1="12",
            title="Identifiant pseudonyme",
            prompt="Code comme S01 ou SAL-12, jamais un nom. Le même code pour la même personne chaque mois.",
            error="Saisissez un identifiant pseudonyme comme S01 (jamais le nom d'une personne).",
        ),
        "fonction": _validation(
            "textLength",
            operator="lessThanOrEqual",
            formula1="2000",
            title="Fonction",
            prompt="Intitulé du poste, par exemple « Juriste droit social ».",
            error="L'intitulé du poste est limité à 2 000 caractères.",
        ),
        "fonction_support": _one_of(
            ["oui", "non"],
            "Fonction support",
            "oui pour une fonction support (direction, comptabilité, RH, accueil, entretien…) : non éligible.",
            error="Répondez oui ou non.",
        ),
        "cout_mensuel": _validation(
            "decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            title="Coût mensuel (€)",
            prompt="Euros au centime : salaire brut + charges patronales du mois, pour un temps plein.",
            error="Saisissez un montant en euros positif ou nul, au centime (ex. 3900,50).",
        ),
        "taux_affectation": _validation(
            "decimal",
            operator="between",
            formula1="0.01",  # « > 0 » with at most two decimals, which the reader requires
            formula2="100",
            title="Taux d'affectation (%)",
            prompt="Part du temps sur l'opération en % : 50 pour 50 % (pas 0,5). Plus de 0 et au plus 100.",
            error="Saisissez un taux en % supérieur à 0 et au plus égal à 100, deux décimales au plus (ex. 50).",
        ),
    }
    _apply(ws, STAFF_HEADERS, rules, 1 + STAFF_ROWS)


def _header(ws: Worksheet, headers: Sequence[str], widths: dict[str, int]) -> None:
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
    for index, header in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(index)].width = widths[header]
    ws.freeze_panes = "A2"


def _apply(ws: Worksheet, headers: Sequence[str], rules: dict[str, DataValidation | None], last_row: int) -> None:
    for header, rule in rules.items():
        if rule is None:
            continue
        letter = _letter(headers, header)
        rule.add(f"{letter}2:{letter}{last_row}")
        ws.add_data_validation(rule)


def _letter(headers: Sequence[str], header: str) -> str:
    return get_column_letter(headers.index(header) + 1)


def _text(cell: Cell, value: str) -> None:
    """A text cell that stays text, even if it begins with « = »."""
    cell.value = value
    cell.data_type = "s"


# --- data validations (Excel caps a prompt or an error at 255 characters and their titles at 32) ---


def _validation(
    kind: str,
    *,
    title: str,
    prompt: str,
    error: str,
    operator: str | None = None,
    formula1: str | None = None,
    formula2: str | None = None,
) -> DataValidation:
    return DataValidation(
        type=kind,
        operator=operator,
        formula1=formula1,
        formula2=formula2,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle=_REFUSED,
        error=error[:255],
        showInputMessage=True,
        promptTitle=title[:32],
        prompt=prompt[:255],
    )


def _one_of(items: Iterable[str], title: str, prompt: str, error: str | None = None) -> DataValidation | None:
    """A drop-down list; None when an item cannot be written in a list formula (a code given as is)."""
    values = list(items)
    formula = ",".join(values)
    if any("," in v or '"' in v for v in values) or len(formula) > 250:
        return None
    error = error or f"Choisissez dans la liste : {', '.join(values)}."
    return _validation("list", formula1=f'"{formula}"', title=title, prompt=prompt, error=error)


# --- the instructions sheet (ignored by the reader, like any sheet not named after a kind) ---


def _months_text(quarter: int) -> str:
    first, _, last = quarter_months(quarter)
    return f"{MONTH_NAMES[first - 1]} à {MONTH_NAMES[last - 1]}"


def _call_terms(year: int, quarter: int) -> tuple[str, str, str]:
    """(due date sentence, minimum rate, flat rate) from the call of the year when one is known."""
    from iaedash.calls import all_calls

    call = all_calls().get(year)
    if call is None:
        return "dans le délai fixé par l'appel à projets", _MIN_RATE_V1, _FLAT_RATE_V1
    due = submission_due_date(call, quarter)
    return (
        f"au plus tard le {format_date(due)} ({call.submission_delay_days} jours après la fin du trimestre)",
        f"{call.min_assignment_rate.normalize():f}",
        f"{(call.flat_rate * 100).normalize():f}",
    )


def _fill_instructions(ws: Worksheet, network_head: str, name: str | None, year: int, quarter: int) -> None:
    months = _months_text(quarter)
    due, min_rate, flat_rate = _call_terms(year, quarter)
    who = f"{network_head} ({name})" if name else network_head
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 100
    ws["A1"] = f"Modèle de dépôt trimestriel — {who} — T{quarter} {year} ({months} {year})"
    ws["A1"].font = _TITLE_FONT
    notice = hypothesis_notice(year)  # a call not yet published: its dates and rates are provisional
    ws["A2"] = (
        "Appel à projets « Contrepartie FSE+ – ingénierie de projets, soutien des structures d'IAE » — "
        "Département du Pas-de-Calais, Direction des Politiques d'Inclusion Durable (DPID)."
    ) + (f" {notice}." if notice else "")
    paragraphs = [
        (
            "Ce classeur",
            "Remplissez les onglets « indicateurs » et « personnel », enregistrez au format .xlsx et renvoyez "
            "le fichier tel quel : il s'importe sans retouche. Les autres onglets, dont celui-ci, sont ignorés à "
            "l'import. Ne renommez pas les onglets et ne modifiez pas la ligne d'en-tête (ligne 1).",
        ),
        (
            "Envoi",
            f"À la DPID du Département du Pas-de-Calais, par votre canal d'envoi habituel, {due}. "
            "Un dépôt reçu après cette date est accepté mais noté « reçu en retard ».",
        ),
        (
            "Indicateurs",
            f"Une ligne est prête pour chaque orientation × indicateur. Dans la colonne « valeur » (cases jaunes), "
            f"remplacez 0 par le nombre du trimestre seul ({months} {year}), jamais un cumul depuis janvier : "
            "un nombre entier positif ou nul. Laissez 0 quand il n'y a rien. Ne modifiez pas reseau, annee et "
            "trimestre.",
        ),
        (
            "Territoires",
            f"« {DEFAULT_TERRITORY} » (tout le Département) est prérempli. Pour détailler par territoire, changez "
            "le code ou ajoutez une ligne par territoire sous les lignes prêtes : une même combinaison orientation "
            "× indicateur × territoire ne doit figurer qu'une fois. Le commentaire est facultatif "
            "(2 000 caractères au plus).",
        ),
        (
            "Personnel",
            f"Une ligne par salarié et par mois du trimestre ({months}). Toutes les colonnes sont obligatoires, "
            f"y compris reseau ({network_head}) et annee ({year}) à reporter sur chaque ligne (listes "
            "déroulantes). Les lignes laissées entièrement vides sont ignorées.",
        ),
        (
            "Coût mensuel",
            "En euros, au centime : salaire brut + charges patronales du mois (primes et provisions de congés "
            "payés comprises), pour un temps plein sur l'opération.",
        ),
        (
            "Taux d'affectation",
            "Part du temps affectée à l'opération, en % : plus de 0 et au plus 100, deux décimales au plus. "
            "Écrivez 50 pour 50 % (un nombre 0,5 sans format % serait lu 0,5 %). Montant déclaré = coût "
            "mensuel × taux / 100. Un taux fixe d'un mois à l'autre est préféré ; un taux qui varie est accepté "
            "avec un avertissement.",
        ),
        (
            f"Règle des {min_rate} %",
            f"Un salarié affecté à moins de {min_rate} % de son temps est accepté mais non éligible "
            f"({min_rate} % exactement est éligible).",
        ),
        (
            "Fonctions support",
            "Répondez « oui » pour une fonction support (direction générale, comptabilité, RH, accueil, "
            "entretien…) : la ligne est acceptée mais non éligible ; « non » sinon. Les autres coûts ne se "
            f"déclarent pas : ils sont couverts par un forfait de {flat_rate} % des dépenses de personnel "
            "éligibles.",
        ),
        (
            "Pseudonymes",
            "Chaque salarié est désigné par un identifiant pseudonyme (S01, S02, SAL-12…), jamais par son nom : "
            "un nom est refusé. Gardez le même code pour la même personne tous les mois et tous les trimestres ; "
            "la correspondance avec les noms reste chez vous.",
        ),
        (
            "Onglet vide",
            "Un onglet « indicateurs » ou « personnel » sans aucune ligne remplie fait refuser tout le fichier "
            "(un modèle renvoyé vide n'efface donc jamais vos chiffres). Si vous envoyez le personnel à part, "
            "supprimez l'onglet « personnel » avant l'envoi.",
        ),
        (
            "Corriger un envoi",
            "Renvoyer le trimestre remplace toute la version précédente : renvoyez le fichier complet, pas "
            "seulement les lignes corrigées.",
        ),
    ]
    row = 4
    for label, text in paragraphs:
        ws.cell(row, 1, label).font = _SECTION_FONT
        ws.cell(row, 1).alignment = _WRAP
        ws.cell(row, 2, text).alignment = _WRAP
        row += 1
    tables = [
        ("Orientations", [(o.code, o.label) for o in ORIENTATIONS]),
        (
            "Indicateurs",
            [(i.code, f"{i.label} — compté en {i.unit} (nombre entier du trimestre)") for i in INDICATORS],
        ),
        ("Territoires", [(t.code, t.label) for t in TERRITORIES]),
    ]
    for title, codes in tables:
        row += 1
        ws.cell(row, 1, f"Codes : {title.lower()}").font = _SECTION_FONT
        row += 1
        for code, label in codes:
            ws.cell(row, 1, code)
            ws.cell(row, 2, label).alignment = _WRAP
            row += 1
