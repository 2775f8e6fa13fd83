"""Fictitious but credible demo data: submission files written under data/demo/, loaded by `iaedash demo`.

The files are generated deterministically (`python -m iaedash.demo` rewrites them) and
loaded through the same import path as real files, with the dates received listed in
data/demo/manifest.csv. Every name is invented and marked as fictitious.
"""

from __future__ import annotations

import csv
import io
import random
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

YEAR = 2025
DEMO_LOADER = Viewer.operator("démonstration")  # who the demo files are imported by, in the journal
MANIFEST = "manifest.csv"


@dataclass(frozen=True)
class Employee:
    id: str
    job_title: str
    support: bool
    monthly_cost: Decimal
    rates: tuple[Decimal, ...]  # one per month (12)


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


def _indicator_rows(rng: random.Random, head: DemoNetworkHead, quarter: int) -> list[dict]:
    rows = []
    for orientation in ORIENTATION_CODES:
        for indicator in INDICATOR_CODES:
            expected = BASE[indicator] * head.size * SEASON[indicator][quarter - 1] * ORIENTATION_WEIGHT[orientation]
            value = max(0, round(rng.gauss(expected, expected * 0.35)))
            if (head.code, quarter, indicator) in SILENT:
                value = 0
            if (head.code, quarter, orientation, indicator) in ONE_OFF:
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
        if (head.code, quarter, orientation, indicator) == ("FEIAL", 1, "PRO", "FORM"):
            comment = FORMULA_LIKE
        one_off = ONE_OFF.get((head.code, quarter, orientation, indicator))
        if one_off and territory == "DEP":
            comment = one_off[1]
        out.append(
            {
                "reseau": head.code,
                "annee": YEAR,
                "trimestre": f"T{quarter}",
                "orientation": orientation,
                "indicateur": indicator,
                "territoire": territory,
                "valeur": value,
                "commentaire": comment,
            }
        )
    return out


def _staff_rows(head: DemoNetworkHead, quarter: int) -> list[dict]:
    rows = []
    for month in range(3 * quarter - 2, 3 * quarter + 1):
        for e in head.staff:
            rows.append(
                {
                    "reseau": head.code,
                    "annee": YEAR,
                    "mois": month,
                    "salarie": e.id,
                    "fonction": e.job_title,
                    "fonction_support": "oui" if e.support else "non",
                    "cout_mensuel": e.monthly_cost,
                    "taux_affectation": e.rates[month - 1],
                }
            )
    return rows


def _planned_staff_cost(rng: random.Random, head: DemoNetworkHead) -> Decimal:
    """What the network head planned: near what it will spend, rounded to the hundred euros."""
    spend = sum(e.monthly_cost * r / 100 for e in head.staff for r in e.rates if not e.support and r >= 30)
    factor = PLANNED_FACTOR.get(head.code) or Decimal(str(round(rng.uniform(0.95, 1.12), 2)))
    return (spend * factor / 100).quantize(Decimal("1")) * 100


def _convention_row(rng: random.Random, head: DemoNetworkHead, yearly: dict[str, int]) -> dict:
    planned = _planned_staff_cost(rng, head)
    total = round_cents(planned * Decimal("1.40"))
    esf = round_cents(total * Decimal("0.60"))
    department = round_cents(total * Decimal("0.30"))
    row = {
        "reseau": head.code,
        "nom": head.name,
        "annee": YEAR,
        "date_debut": "01/01/2025",
        "date_fin": "31/12/2025",
        "cout_personnel_prevu": planned,
        "montant_fse": esf,
        "contrepartie_departement": department,
        "autofinancement": total - esf - department,
        "avance_versee": round_cents(department / 2),
        "date_avance": "17/03/2025",
    }
    for code in INDICATOR_CODES:
        target = round(yearly[code] * rng.uniform(0.9, 1.25) * TARGET_FACTOR.get((head.code, code), 1))
        row[f"objectif_{code.lower()}"] = "" if (head.code == "URQLL" and code == "WEBI") else target
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


def generate(folder: Path | None = None) -> list[tuple[str, date]]:
    """Write the demo files and their manifest; returns (file name, date received) in import order."""
    folder = folder or demo_dir()
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(62)
    indicators = {h.code: {q: _indicator_rows(rng, h, q) for q in range(1, 5)} for h in NETWORK_HEADS}
    conventions = []
    for head in NETWORK_HEADS:
        yearly = {code: 0 for code in INDICATOR_CODES}
        for rows in indicators[head.code].values():
            for row in rows:
                yearly[row["indicateur"]] += row["valeur"]
        conventions.append(_convention_row(rng, head, yearly))
    files: list[tuple[str, bytes, date]] = [
        ("conventions_2025.csv", _csv_bytes(conventions, "csv-utf8"), date(2025, 3, 10))
    ]
    for quarter in range(1, 5):
        for head in NETWORK_HEADS:
            received = RECEIVED[quarter]
            if (head.code, quarter) == (LATE_Q4[0], 4):
                received = LATE_Q4[1]
            received = date.fromordinal(received.toordinal() + NETWORK_HEADS.index(head))
            stem = f"{head.code}_{YEAR}_T{quarter}"
            ind_rows = indicators[head.code][quarter]
            if head.code == CORRECTION[0] and quarter == CORRECTION[1]:
                first = [dict(r) for r in ind_rows]
                for row in first:  # the first version forgot the webinars of June
                    if row["indicateur"] == "WEBI":
                        row["valeur"] = max(0, row["valeur"] - 9)
                files.append((f"{stem}_indicateurs.csv", _csv_bytes(first, head.fmt), received))
            staff = _staff_rows(head, quarter)
            if head.fmt == "xlsx":
                files.append((f"{stem}.xlsx", _xlsx_bytes({"indicateurs": ind_rows, "personnel": staff}), received))
                continue
            if head.code == CORRECTION[0] and quarter == CORRECTION[1]:
                files.append((f"{stem}_personnel.csv", _csv_bytes(staff, head.fmt), received))
                files.append((f"{stem}_indicateurs_corrige.csv", _csv_bytes(ind_rows, head.fmt), CORRECTION[2]))
                continue
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
            files.append((f"{stem}_indicateurs.csv", _csv_bytes(ind_rows, head.fmt), received))
            files.append((f"{stem}_personnel.csv", _csv_bytes(staff, head.fmt), received))
    files.sort(key=lambda f: f[2])
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
