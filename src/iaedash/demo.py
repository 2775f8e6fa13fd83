"""Fictitious but credible demo data: submission files written under data/demo/, loaded by `iaedash demo`.

The files are generated deterministically (`python -m iaedash.demo` rewrites them) and
loaded through the same import path as real files, with the dates received listed in
data/demo/manifest.csv. Every name is invented and marked as fictitious.

Two years: 2025, complete, and 2026 in progress (T1 to T3 sent, one of them late, one missing; its call is
a working hypothesis). Each year draws from its own random generator, so that adding 2026 left every 2025
file as it was.
"""

from __future__ import annotations

import csv
import io
import random
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from iaedash.db import queries as q
from iaedash.db.connection import connect
from iaedash.db.schema import init_database
from iaedash.domain.access import Viewer
from iaedash.domain.money import round_cents
from iaedash.domain.reference import INDICATOR_CODES, ORIENTATION_CODES
from iaedash.ingest.load import ImportOutcome, IncomingFile, import_files
from iaedash.settings import demo_dir

YEAR = 2025  # the first demo year, complete
YEAR_IN_PROGRESS = 2026  # the second: T1 to T3 sent on the demo's day (02/12/2026), T4 not yet due
DEMO_LOADER = Viewer.operator("démonstration")  # who the demo files are imported by, in the journal
MANIFEST = "manifest.csv"


@dataclass(frozen=True)
class Employee:
    id: str
    job_title: str
    support: bool
    monthly_cost: Decimal
    rates: tuple[Decimal, ...]  # one per month (12)
    first_month: int = 1  # hired that month: no staff line before it


@dataclass(frozen=True)
class DemoNetworkHead:
    code: str
    name: str
    size: float  # activity scale
    fmt: str  # how it sends its files: xlsx | csv-utf8 | csv-excel | csv-comma
    territories: tuple[str, ...]  # where it acts besides the whole Département
    staff: tuple[Employee, ...]


def _flat(rate: str) -> tuple[Decimal, ...]:
    return (Decimal(rate),) * 12


NETWORK_HEADS: tuple[DemoNetworkHead, ...] = (
    DemoNetworkHead(
        "CHOPAL",
        "Réseau Chantiers Côte d'Opale (fictif)",
        1.0,
        "xlsx",
        ("BOU", "CAL"),
        (
            Employee("S01", "Chargée de mission accompagnement", False, Decimal("3850.00"), _flat("100")),
            Employee("S02", "Juriste", False, Decimal("4120.50"), _flat("60")),
            Employee("S03", "Formateur", False, Decimal("3400.00"), _flat("100")),
            Employee("S04", "Comptable", True, Decimal("3300.00"), _flat("20")),
        ),
    ),
    DemoNetworkHead(
        "FEIAL",
        "Fédération des entreprises d'insertion Artois-Littoral (fictive)",
        1.6,
        "csv-excel",
        ("ART", "LEH"),
        (
            Employee("S01", "Directrice", False, Decimal("5600.00"), _flat("50")),
            Employee("S02", "Chargé de développement économique", False, Decimal("3950.00"), _flat("100")),
            Employee("S03", "Chargée de mission marchés publics", False, Decimal("3700.00"), _flat("100")),
            Employee("S04", "Juriste droit social", False, Decimal("4300.00"), _flat("80")),
            Employee("S05", "Chargé de communication", False, Decimal("3200.00"), _flat("25")),
            Employee("S06", "Formatrice", False, Decimal("3350.00"), _flat("100")),
        ),
    ),
    DemoNetworkHead(
        "CABM",
        "Coordination des associations intermédiaires du Bassin minier (fictive)",
        0.7,
        "csv-utf8",
        ("LEH", "ART"),
        (
            Employee("S01", "Coordinatrice", False, Decimal("3900.00"), _flat("100")),
            Employee(
                "S02",
                "Chargé d'accompagnement",
                False,
                Decimal("3100.00"),
                (Decimal("50"),) * 6 + (Decimal("70"),) * 6,
            ),
        ),
    ),
    DemoNetworkHead(
        "URQLL",
        "Union des régies de quartier Lens-Liévin (fictive)",
        0.6,
        "csv-comma",
        ("LEH",),
        (
            Employee("S01", "Chargée de mission", False, Decimal("3900.00"), _flat("100")),
            Employee("S02", "Assistante administrative", True, Decimal("2600.00"), _flat("50")),
            Employee("S03", "Animateur réseau", False, Decimal("3000.00"), _flat("40")),
        ),
    ),
    DemoNetworkHead(
        "CETTI",
        "Collectif des ETTI du Pas-de-Calais (fictif)",
        0.9,
        "xlsx",
        ("ARR", "AUD"),
        (
            Employee("S01", "Responsable d'agence réseau", False, Decimal("4200.00"), _flat("100")),
            Employee("S02", "Chargé de relations entreprises", False, Decimal("3550.00"), _flat("100")),
            Employee("S03", "Juriste", False, Decimal("4000.00"), _flat("30")),
        ),
    ),
    DemoNetworkHead(
        "ISARR",
        "Inser'Sud Arrageois, tête de réseau (fictive)",
        0.5,
        "csv-excel",
        ("ARR", "MOT"),
        (
            Employee("S01", "Chargée de mission", False, Decimal("3600.00"), _flat("100")),
            Employee("S02", "Formateur", False, Decimal("3250.00"), _flat("75")),
        ),
    ),
)

# Typical quarterly count per orientation for a network head of size 1, and the seasonality
# of each quarter (summer is quiet for trainings and webinars).
BASE = {"GOUV": 3, "FORM": 3, "JURI": 2, "VEIL": 2, "WEBI": 22, "COMI": 3}
SEASON = {
    "FORM": (1.1, 1.2, 0.4, 1.2),
    "WEBI": (1.2, 1.0, 0.5, 1.3),
    "GOUV": (1.0, 1.1, 0.7, 1.1),
    "JURI": (1.0, 1.0, 0.7, 1.0),
    "VEIL": (1.0, 1.0, 0.8, 1.0),
    "COMI": (1.2, 1.0, 0.6, 1.2),
}
ORIENTATION_WEIGHT = {"PRO": 1.0, "MAR": 0.7, "INT": 0.8, "DIV": 0.5}

COMMENTS = {
    "GOUV": "Accompagnement du conseil d'administration d'un ACI",
    "FORM": "Cycle de formation des encadrants techniques",
    "JURI": "Visite sur site : contrats à durée déterminée d'insertion",
    "VEIL": "Lettre de veille juridique mensuelle",
    "WEBI": "Webinaire : clauses sociales dans les marchés publics",
    "COMI": "Comité de pilotage du PLIE",
}
FORMULA_LIKE = "=SOMME(A1:A3) recopié depuis un tableur"  # a comment that looks like a formula, on purpose

# Dates received: on time with some spread, CETTI late for Q4, FEIAL corrects its Q2 indicators.
RECEIVED = {
    1: date(2025, 4, 14),
    2: date(2025, 7, 11),
    3: date(2025, 10, 13),
    4: date(2026, 1, 19),
}
LATE_Q4 = ("CETTI", date(2026, 2, 16))
CORRECTION = ("FEIAL", 2, date(2025, 9, 8))


# Situations the monitoring must catch, on purpose: a one-off regional webinar (an outlier), a summer
# without any legal watch while staff is paid (an indicator at zero), a training target set far too high,
# and a convention whose planned staff costs are well above what is spent (under-consumption).
ONE_OFF = {("ISARR", 3, "PRO", "WEBI"): (160, "Webinaire régional co-organisé avec la DREETS : 160 inscrits")}
SILENT = {("URQLL", 3, "VEIL")}
TARGET_FACTOR = {("ISARR", "FORM"): 2.6}
PLANNED_FACTOR = {"URQLL": Decimal("1.55")}
# After 2025's under-consumption, URQLL planned 2026 closer to what it spends.
PLANNED_FACTORS = {YEAR: PLANNED_FACTOR, YEAR_IN_PROGRESS: {"URQLL": Decimal("1.08")}}
ADVANCE_DATES = {YEAR: "17/03/2025", YEAR_IN_PROGRESS: "16/03/2026"}  # the advance paid at signature

# --- 2026, in progress: its call is a working hypothesis (data/appels/2026.toml), T4 not yet due ---

# Activity against 2025 (the scale of each network head): some rise, some fall.
GROWTH_2026 = {"CHOPAL": 1.2, "FEIAL": 0.85, "CABM": 0.95, "URQLL": 1.1, "CETTI": 1.25, "ISARR": 0.9}
# URQLL stopped its diversification work (DIV) for 2026: every DIV value at 0, sent as such.
INACTIVE_2026 = {"URQLL": frozenset({"DIV"})}
SALARY_RISE_2026 = Decimal("1.02")  # every monthly cost revalued by 2 % on 1 January
# Staff changes: CHOPAL hires a social-clauses officer in April; FEIAL's communication officer goes from
# 25 % (under the 30 % minimum, ineligible in 2025) to 40 % on the operation in July.
HIRED_2026 = {
    "CHOPAL": Employee("S05", "Chargée de mission clauses sociales", False, Decimal("3450.00"), _flat("100"), 4)
}
RATE_CHANGE_2026 = ("FEIAL", "S05", (Decimal("25"),) * 6 + (Decimal("40"),) * 6)
QUARTERS_SENT_2026 = (1, 2, 3)
RECEIVED_2026 = {1: date(2026, 4, 13), 2: date(2026, 7, 10), 3: date(2026, 10, 12)}
CONVENTIONS_RECEIVED = {YEAR: date(2025, 3, 10), YEAR_IN_PROGRESS: date(2026, 3, 9)}
LATE_2026 = {("ISARR", 2): date(2026, 8, 24)}  # due 30/07/2026: received late
MISSING_2026 = {("CABM", 3)}  # due 30/10/2026, never sent: missing on the demo's day, a reminder to send


def network_heads_of_2026() -> tuple[DemoNetworkHead, ...]:
    """The same six network heads a year later: revalued salaries, one hire, one rate change, new activity."""
    heads = []
    for head in NETWORK_HEADS:
        staff = []
        for e in head.staff:
            rates = _flat(str(e.rates[-1]))  # the rate reached at the end of 2025 holds all year
            if (head.code, e.id) == RATE_CHANGE_2026[:2]:
                rates = RATE_CHANGE_2026[2]
            staff.append(Employee(e.id, e.job_title, e.support, round_cents(e.monthly_cost * SALARY_RISE_2026), rates))
        if head.code in HIRED_2026:
            staff.append(HIRED_2026[head.code])
        size = round(head.size * GROWTH_2026[head.code], 3)
        heads.append(DemoNetworkHead(head.code, head.name, size, head.fmt, head.territories, tuple(staff)))
    return tuple(heads)


def _indicator_rows(
    rng: random.Random,
    head: DemoNetworkHead,
    quarter: int,
    year: int = YEAR,
    inactive: frozenset[str] = frozenset(),
) -> list[dict]:
    """One quarter's indicator rows; the orientations in `inactive` had no activity at all (0 everywhere).
    The situations of 2025 (ONE_OFF, SILENT, the formula-like comment) belong to 2025 only."""
    rows = []
    for orientation in ORIENTATION_CODES:
        for indicator in INDICATOR_CODES:
            expected = BASE[indicator] * head.size * SEASON[indicator][quarter - 1] * ORIENTATION_WEIGHT[orientation]
            value = max(0, round(rng.gauss(expected, expected * 0.35)))
            if orientation in inactive:
                value = 0
            if year == YEAR and (head.code, quarter, indicator) in SILENT:
                value = 0
            if year == YEAR and (head.code, quarter, orientation, indicator) in ONE_OFF:
                value = ONE_OFF[(head.code, quarter, orientation, indicator)][0]
            if value and head.territories and indicator in ("GOUV", "JURI") and rng.random() < 0.5:
                local = rng.randint(1, value)
                territory = rng.choice(head.territories)
                rows.append((orientation, indicator, territory, local))
                value -= local
            rows.append((orientation, indicator, "DEP", value))
    out = []
    for orientation, indicator, territory, value in rows:
        comment = COMMENTS[indicator] if value and rng.random() < 0.06 else ""
        if year == YEAR and (head.code, quarter, orientation, indicator) == ("FEIAL", 1, "PRO", "FORM"):
            comment = FORMULA_LIKE
        one_off = ONE_OFF.get((head.code, quarter, orientation, indicator)) if year == YEAR else None
        if one_off and territory == "DEP":
            comment = one_off[1]
        out.append(
            {
                "reseau": head.code,
                "annee": year,
                "trimestre": f"T{quarter}",
                "orientation": orientation,
                "indicateur": indicator,
                "territoire": territory,
                "valeur": value,
                "commentaire": comment,
            }
        )
    return out


def _staff_rows(head: DemoNetworkHead, quarter: int, year: int = YEAR) -> list[dict]:
    rows = []
    for month in range(3 * quarter - 2, 3 * quarter + 1):
        for e in head.staff:
            if month < e.first_month:
                continue
            rows.append(
                {
                    "reseau": head.code,
                    "annee": year,
                    "mois": month,
                    "salarie": e.id,
                    "fonction": e.job_title,
                    "fonction_support": "oui" if e.support else "non",
                    "cout_mensuel": e.monthly_cost,
                    "taux_affectation": e.rates[month - 1],
                }
            )
    return rows


def _planned_staff_cost(rng: random.Random, head: DemoNetworkHead, year: int = YEAR) -> Decimal:
    """What the network head planned: near what it will spend, rounded to the hundred euros."""
    spend = sum(
        e.monthly_cost * r / 100
        for e in head.staff
        for month, r in enumerate(e.rates, start=1)
        if not e.support and r >= 30 and month >= e.first_month
    )
    factor = PLANNED_FACTORS[year].get(head.code) or Decimal(str(round(rng.uniform(0.95, 1.12), 2)))
    return (spend * factor / 100).quantize(Decimal("1")) * 100


def _convention_row(rng: random.Random, head: DemoNetworkHead, yearly: dict[str, int], year: int = YEAR) -> dict:
    planned = _planned_staff_cost(rng, head, year)
    total = round_cents(planned * Decimal("1.40"))
    esf = round_cents(total * Decimal("0.60"))
    department = round_cents(total * Decimal("0.30"))
    row = {
        "reseau": head.code,
        "nom": head.name,
        "annee": year,
        "date_debut": f"01/01/{year}",
        "date_fin": f"31/12/{year}",
        "cout_personnel_prevu": planned,
        "montant_fse": esf,
        "contrepartie_departement": department,
        "autofinancement": total - esf - department,
        "avance_versee": round_cents(department / 2),
        "date_avance": ADVANCE_DATES[year],
    }
    for code in INDICATOR_CODES:
        factor = TARGET_FACTOR.get((head.code, code), 1) if year == YEAR else 1
        target = round(yearly[code] * rng.uniform(0.9, 1.25) * factor)
        no_target = year == YEAR and (head.code == "URQLL" and code == "WEBI")
        row[f"objectif_{code.lower()}"] = "" if no_target else target
    return row


def _csv_bytes(rows: list[dict], fmt: str) -> bytes:
    sep = "," if fmt == "csv-comma" else ";"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
    writer.writerow(list(rows[0]))
    for row in rows:
        cells = []
        for value in row.values():
            text = format(value, "f") if isinstance(value, Decimal) else str(value)
            cells.append(text if fmt == "csv-comma" else text.replace(".", ","))
        writer.writerow(cells)
    encoding = "cp1252" if fmt == "csv-excel" else ("utf-8-sig" if fmt == "csv-utf8" else "utf-8")
    return buffer.getvalue().encode(encoding)


def _xlsx_bytes(sheets: dict[str, list[dict]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        ws.append(list(rows[0]))
        for row in rows:
            ws.append([float(v) if isinstance(v, Decimal) else v for v in row.values()])
    stamp = datetime(2025, 1, 1)
    book.properties.created = book.properties.modified = stamp
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def stable_xlsx_bytes(sheets: dict[str, list[dict]], year: int = YEAR) -> bytes:
    """The same workbook with its zip entries dated once and for all (openpyxl dates them now), so that the
    same data give the same bytes, hence the same SHA-256 and the same kept file at every build. The 2025
    workbooks are kept as first written; the later ones are written this way."""
    source = zipfile.ZipFile(io.BytesIO(_xlsx_bytes(sheets)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            stable = zipfile.ZipInfo(info.filename, date_time=(year, 1, 1, 0, 0, 0))
            stable.compress_type = zipfile.ZIP_DEFLATED
            data = source.read(info)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the time of saving
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>%d-01-01T00:00:00Z" % year, data)
            target.writestr(stable, data)
    return out.getvalue()


def _quarter_files(
    head: DemoNetworkHead, year: int, quarter: int, ind_rows: list[dict], staff: list[dict], received: date
) -> list[tuple[str, bytes, date]]:
    """One network head's quarterly files, the way it sends them (one workbook, or two CSV files)."""
    stem = f"{head.code}_{year}_T{quarter}"
    if head.fmt == "xlsx":
        sheets = {"indicateurs": ind_rows, "personnel": staff}
        data = _xlsx_bytes(sheets) if year == YEAR else stable_xlsx_bytes(sheets, year)
        return [(f"{stem}.xlsx", data, received)]
    if head.code == "URQLL":  # no territory column: everything is the whole Département
        ind_rows = [{k: v for k, v in r.items() if k != "territoire"} for r in ind_rows]
        merged: dict[tuple, dict] = {}
        for r in ind_rows:
            key = (r["orientation"], r["indicateur"])
            if key in merged:
                merged[key]["valeur"] += r["valeur"]
            else:
                merged[key] = dict(r)
        ind_rows = list(merged.values())
    return [
        (f"{stem}_indicateurs.csv", _csv_bytes(ind_rows, head.fmt), received),
        (f"{stem}_personnel.csv", _csv_bytes(staff, head.fmt), received),
    ]


def _conventions(rng: random.Random, heads: tuple[DemoNetworkHead, ...], indicators: dict, year: int) -> list[dict]:
    """Each convention's targets follow the whole year's activity (the quarters not yet sent included)."""
    rows = []
    for head in heads:
        yearly = {code: 0 for code in INDICATOR_CODES}
        for quarter_rows in indicators[head.code].values():
            for row in quarter_rows:
                yearly[row["indicateur"]] += row["valeur"]
        rows.append(_convention_row(rng, head, yearly, year))
    return rows


def _files_of_2025() -> list[tuple[str, bytes, date]]:
    rng = random.Random(62)
    indicators = {h.code: {q: _indicator_rows(rng, h, q) for q in range(1, 5)} for h in NETWORK_HEADS}
    conventions = _conventions(rng, NETWORK_HEADS, indicators, YEAR)
    files: list[tuple[str, bytes, date]] = [
        (f"conventions_{YEAR}.csv", _csv_bytes(conventions, "csv-utf8"), CONVENTIONS_RECEIVED[YEAR])
    ]
    for quarter in range(1, 5):
        for head in NETWORK_HEADS:
            received = RECEIVED[quarter]
            if (head.code, quarter) == (LATE_Q4[0], 4):
                received = LATE_Q4[1]
            received = date.fromordinal(received.toordinal() + NETWORK_HEADS.index(head))
            ind_rows = indicators[head.code][quarter]
            staff = _staff_rows(head, quarter)
            if head.code == CORRECTION[0] and quarter == CORRECTION[1]:
                stem = f"{head.code}_{YEAR}_T{quarter}"
                first = [dict(r) for r in ind_rows]
                for row in first:  # the first version forgot the webinars of June
                    if row["indicateur"] == "WEBI":
                        row["valeur"] = max(0, row["valeur"] - 9)
                files.append((f"{stem}_indicateurs.csv", _csv_bytes(first, head.fmt), received))
                files.append((f"{stem}_personnel.csv", _csv_bytes(staff, head.fmt), received))
                files.append((f"{stem}_indicateurs_corrige.csv", _csv_bytes(ind_rows, head.fmt), CORRECTION[2]))
                continue
            files += _quarter_files(head, YEAR, quarter, ind_rows, staff, received)
    return files


def _files_of_2026() -> list[tuple[str, bytes, date]]:
    """2026 from its own generator (2025's draws stay as they were): conventions, then T1 to T3."""
    rng = random.Random(2026)
    heads = network_heads_of_2026()
    indicators = {
        h.code: {
            q: _indicator_rows(rng, h, q, YEAR_IN_PROGRESS, INACTIVE_2026.get(h.code, frozenset())) for q in range(1, 5)
        }
        for h in heads
    }
    conventions = _conventions(rng, heads, indicators, YEAR_IN_PROGRESS)
    files: list[tuple[str, bytes, date]] = [
        (
            f"conventions_{YEAR_IN_PROGRESS}.csv",
            _csv_bytes(conventions, "csv-utf8"),
            CONVENTIONS_RECEIVED[YEAR_IN_PROGRESS],
        )
    ]
    for quarter in QUARTERS_SENT_2026:
        for index, head in enumerate(heads):
            if (head.code, quarter) in MISSING_2026:
                continue
            received = LATE_2026.get((head.code, quarter)) or date.fromordinal(
                RECEIVED_2026[quarter].toordinal() + index
            )
            staff = _staff_rows(head, quarter, YEAR_IN_PROGRESS)
            files += _quarter_files(head, YEAR_IN_PROGRESS, quarter, indicators[head.code][quarter], staff, received)
    return files


def generate(folder: Path | None = None) -> list[tuple[str, date]]:
    """Write the demo files and their manifest; returns (file name, date received) in import order."""
    folder = folder or demo_dir()
    folder.mkdir(parents=True, exist_ok=True)
    files = _files_of_2025() + _files_of_2026()
    files.sort(key=lambda f: f[2])  # stable: files received the same day keep their order
    for name, data, _ in files:
        (folder / name).write_bytes(data)
    manifest = [(name, received) for name, _, received in files]
    with (folder / MANIFEST).open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";", lineterminator="\n")
        writer.writerow(["fichier", "recu_le"])
        writer.writerows((name, received.isoformat()) for name, received in manifest)
    return manifest


def read_manifest(folder: Path | None = None) -> list[tuple[Path, date]]:
    folder = folder or demo_dir()
    with (folder / MANIFEST).open(encoding="utf-8") as handle:
        return [
            (folder / row["fichier"], date.fromisoformat(row["recu_le"]))
            for row in csv.DictReader(handle, delimiter=";")
        ]


def load_demo(db_path: Path, folder: Path | None = None) -> list[ImportOutcome]:
    """Import the demo files through the normal import path, each with its date received."""
    init_database(db_path)
    outcomes = []
    with connect(db_path, read_only=False) as con:  # one connection for every file, one transaction each
        q.execute(con, "mark_demo")
        for path, received in read_manifest(folder):
            outcomes += import_files(db_path, [IncomingFile.from_path(path)], received, viewer=DEMO_LOADER, con=con)
    return outcomes


if __name__ == "__main__":
    for name, received in generate():
        print(f"{received:%d/%m/%Y}  {name}")
