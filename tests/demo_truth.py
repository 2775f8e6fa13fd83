"""Independent reading of the demo files, with the standard library and openpyxl only.

Tests compare what iaedash shows with what is computed here straight from the
files in data/demo/, never with a query of the application.

The demo holds two years: 2025, complete, and 2026 in progress (T1 to T3). Every reading takes the year
(`year=`, 2025 unless told), read from the files' own `annee` column, never from their names.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

from openpyxl import load_workbook

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"
FIRST_YEAR = 2025  # complete
IN_PROGRESS = 2026  # T1 to T3 sent (CABM's T3 missing), T4 not yet due on the tests' day


def _rows_of_csv(data: bytes) -> list[dict[str, str]]:
    text = data.decode("utf-8-sig") if data.startswith(b"\xef\xbb\xbf") else None
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252")
    sep = ";" if text.splitlines()[0].count(";") else ","
    return list(csv.DictReader(io.StringIO(text), delimiter=sep))


@cache
def _sheets(path: Path) -> dict[str, list[dict[str, str]]]:
    """Read once per test session: callers only read what it returns."""
    if path.suffix == ".xlsx":
        book = load_workbook(path, data_only=True)
        out = {}
        for ws in book.worksheets:
            rows = list(ws.iter_rows(values_only=True))
            out[ws.title] = [dict(zip(rows[0], (str(v) for v in r), strict=True)) for r in rows[1:]]
        return out
    rows = _rows_of_csv(path.read_bytes())
    kind = "personnel" if "salarie" in rows[0] else ("conventions" if "nom" in rows[0] else "indicateurs")
    return {kind: rows}


def dec(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def manifest() -> list[tuple[Path, str]]:
    with (DEMO / "manifest.csv").open(encoding="utf-8") as handle:
        return [(DEMO / r["fichier"], r["recu_le"]) for r in csv.DictReader(handle, delimiter=";")]


def _year(row: dict[str, str]) -> int:
    return int(float(row["annee"]))


def current_sheets(year: int = FIRST_YEAR) -> dict[tuple[str, str, int], list[dict[str, str]]]:
    """(kind, network head, quarter) → rows of the last file sent for it in `year` (0 for conventions)."""
    current: dict[tuple[str, str, int], list[dict[str, str]]] = {}
    for path, _ in manifest():
        for kind, rows in _sheets(path).items():
            if kind == "conventions":
                for row in rows:
                    if _year(row) == year:
                        current[(kind, row["reseau"], 0)] = [row]
            elif _year(rows[0]) != year:
                continue
            elif kind == "indicateurs":
                current[(kind, rows[0]["reseau"], int(rows[0]["trimestre"].lstrip("T")))] = rows
            else:
                current[(kind, rows[0]["reseau"], (int(float(rows[0]["mois"])) - 1) // 3 + 1)] = rows
    return current


def indicator_values(year: int = FIRST_YEAR) -> dict[tuple[str, int, str, str, str], int]:
    """(network head, quarter, orientation, indicator, territory) → value, current versions only."""
    values = {}
    for (kind, head, quarter), rows in current_sheets(year).items():
        if kind == "indicateurs":
            for r in rows:
                territory = r.get("territoire") or "DEP"
                values[(head, quarter, r["orientation"], r["indicateur"], territory)] = int(float(r["valeur"]))
    return values


def year_totals(year: int = FIRST_YEAR) -> dict[tuple[str, str], int]:
    """(network head, indicator) → year total (so far, for the year in progress)."""
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for (head, _q, _o, indicator, _t), value in indicator_values(year).items():
        totals[(head, indicator)] += value
    return dict(totals)


def budget(year: int = FIRST_YEAR) -> dict[str, dict[str, Decimal]]:
    """Hand computation of the budget export per network head, from the rules of the call."""
    sheets = current_sheets(year)
    out = {}
    for (_, head, _), (conv,) in ((k, v) for k, v in sheets.items() if k[0] == "conventions"):
        declared = eligible = Decimal("0")
        for (k, h, _q), rows in sheets.items():
            if k != "personnel" or h != head:
                continue
            for r in rows:
                rate = dec(r["taux_affectation"])
                amount = cents(dec(r["cout_mensuel"]) * rate / 100)
                declared += amount
                if r["fonction_support"] == "non" and rate >= 30:
                    eligible += amount
        flat = cents(eligible * Decimal("0.4"))
        planned = cents(dec(conv["cout_personnel_prevu"]) * Decimal("1.4"))
        total = eligible + flat
        out[head] = {
            "depenses_personnel_declarees": declared,
            "depenses_personnel_eligibles": eligible,
            "forfait_40": flat,
            "cout_total_eligible": total,
            "cout_total_prevu": planned,
            "taux_consommation": cents(total * 100 / planned),
        }
    return out


def targets(year: int = FIRST_YEAR) -> dict[tuple[str, str], int | None]:
    """(network head, indicator) → annual target from the conventions file, None when left empty."""
    out = {}
    for (kind, head, _), rows in current_sheets(year).items():
        if kind == "conventions":
            conv = rows[0]
            for code in ("GOUV", "FORM", "JURI", "VEIL", "WEBI", "COMI"):
                cell = conv[f"objectif_{code.lower()}"]
                out[(head, code)] = int(cell) if cell.strip() else None
    return out


def totals(
    heads: set[str] | None = None,
    quarters: set[int] | None = None,
    orientations: set[str] | None = None,
    year: int = FIRST_YEAR,
) -> dict[tuple[str, int, str, str], int]:
    """(network head, quarter, orientation, indicator) → value, territories summed, over a selection."""
    out: dict[tuple[str, int, str, str], int] = defaultdict(int)
    for (head, quarter, orientation, indicator, _territory), value in indicator_values(year).items():
        if (heads and head not in heads) or (quarters and quarter not in quarters):
            continue
        if orientations and orientation not in orientations:
            continue
        out[(head, quarter, orientation, indicator)] += value
    return dict(out)


# --- budget pages: per month, per line, per convention, through a quarter (hand computation) ---

MONTH_NAMES_FR = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


@cache
def staff_lines(year: int = FIRST_YEAR) -> list[dict]:
    """Every current staff line: network head, month, employee, rate, amount, eligibility and reason."""
    out = []
    for (kind, head, _q), rows in current_sheets(year).items():
        if kind != "personnel":
            continue
        for r in rows:
            rate = dec(r["taux_affectation"])
            support = r["fonction_support"] == "oui"
            reasons = (["fonction support"] if support else []) + (
                ["taux d'affectation inférieur à 30 %"] if rate < 30 else []
            )
            out.append(
                {
                    "head": head,
                    "month": int(float(r["mois"])),
                    "employee": r["salarie"],
                    "rate": rate,
                    "amount": cents(dec(r["cout_mensuel"]) * rate / 100),
                    "eligible": not reasons,
                    "reason": " ; ".join(reasons) or None,
                }
            )
    return out


def monthly_costs(head: str, year: int = FIRST_YEAR) -> dict[int, tuple[Decimal, Decimal]]:
    """month → (declared, eligible) staff costs of one network head, months with at least one line."""
    out: dict[int, tuple[Decimal, Decimal]] = {}
    for line in staff_lines(year):
        if line["head"] == head:
            declared, eligible = out.get(line["month"], (Decimal("0"), Decimal("0")))
            out[line["month"]] = (declared + line["amount"], eligible + (line["amount"] if line["eligible"] else 0))
    return out


@cache
def plans(year: int = FIRST_YEAR) -> dict[str, dict[str, Decimal]]:
    """The financing plan of each convention as written in the conventions file."""
    out = {}
    for (kind, head, _), rows in current_sheets(year).items():
        if kind == "conventions":
            c = rows[0]
            staff = dec(c["cout_personnel_prevu"])
            out[head] = {
                "planned_staff": staff,
                "planned_total": cents(staff * Decimal("1.4")),
                "esf": dec(c["montant_fse"]),
                "department": dec(c["contrepartie_departement"]),
                "self_financing": dec(c["autofinancement"]),
                "advance": dec(c["avance_versee"]),
            }
    return out


@cache
def budget_through(quarter: int, year: int = FIRST_YEAR) -> dict[str, dict[str, Decimal | None]]:
    """Per network head, T1 to `quarter`: the budget pages' figures computed by hand from the files."""
    out = {}
    for head, plan in plans(year).items():
        months = {m: v for m, v in monthly_costs(head, year).items() if (m - 1) // 3 + 1 <= quarter}
        declared = sum((d for d, _ in months.values()), Decimal("0"))
        eligible = sum((e for _, e in months.values()), Decimal("0"))
        flat = cents(eligible * Decimal("0.4"))
        total = eligible + flat
        share = cents(total * plan["department"] / plan["planned_total"])
        participation = min(share, plan["department"])
        projection = None
        if months:
            projected_staff = cents(eligible * 12 / len(months))
            projection = projected_staff + cents(projected_staff * Decimal("0.4"))
        out[head] = {
            "declared": declared,
            "eligible": eligible,
            "flat": flat,
            "total": total,
            "planned_total": plan["planned_total"],
            "consumption": cents(total * 100 / plan["planned_total"]),
            "projection": projection,
            "participation": participation,
            "advance": plan["advance"],
            "balance": participation - plan["advance"],
        }
    return out


# --- the fiche réseau PDF: the data as they stood on a day, and what a staff line would give away ---


def last_received(day: str | None = None) -> str:
    """The latest date received in the manifest (by `day`, AAAA-MM-JJ, when given): the date the figures stand at."""
    return max(received for _, received in manifest() if day is None or received <= day)


def indicator_values_received_by(day: str, year: int = 2025) -> dict[tuple[str, int, str, str, str], int]:
    """(network head, quarter, orientation, indicator, territory) → value, from the files received by `day`: of
    each quarter, the last file received by then (the version current on that day)."""
    current: dict[tuple[str, int], list[dict[str, str]]] = {}
    for path, received in manifest():
        if received > day:
            continue
        for kind, rows in _sheets(path).items():
            if kind == "indicateurs" and int(float(rows[0]["annee"])) == year:
                current[(rows[0]["reseau"], int(rows[0]["trimestre"].lstrip("T")))] = rows
    return {
        (head, quarter, r["orientation"], r["indicateur"], r.get("territoire") or "DEP"): int(float(r["valeur"]))
        for (head, quarter), rows in current.items()
        for r in rows
    }


def staff_details() -> dict[str, set[str]]:
    """What a staff line would print, from every staff file of the demo (every version): employee identifiers, job
    titles, and monthly costs (as written, and after the assignment rate) in French « 3 900,00 »."""
    out: dict[str, set[str]] = {"employees": set(), "jobs": set(), "costs": set()}
    for path, _ in manifest():
        for kind, rows in _sheets(path).items():
            if kind in ("indicateurs", "conventions"):
                continue
            for r in rows:
                out["employees"].add(r["salarie"])
                out["jobs"].add(r["fonction"])
                cost = dec(r["cout_mensuel"])
                for amount in (cents(cost), cents(cost * dec(r["taux_affectation"]) / 100)):
                    whole, fraction = f"{amount:.2f}".split(".")
                    out["costs"].add(f"{int(whole):,}".replace(",", " ") + f",{fraction}")
    return out
