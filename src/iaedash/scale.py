"""Generated demo databases of any size: N fictitious network heads × Y call years, for the benchmark.

`iaedash demo --echelle N --annees Y` builds them. The six hand-written network heads of `iaedash.demo`
stay as they are (their files are committed and checked byte for byte); this module draws many more
with the same rules (the demo's activity model, file formats and writers), so that both look alike:
conventions with their targets, quarterly indicator files across orientations and territories, monthly
staff lines (some of them ineligible, some rates changing mid-year), some quarters late, some corrected,
comments. Everything is deterministic: each network head × year draws from its own seeded generator, so
R0001 in 2024 is the same at any scale.

The files are imported through the normal import path (`import_files`, one file per scope or per network
head quarter, as the demo does), so they are checked like real ones. The past years need their calls: they
are written as `appels/<year>.toml` beside the database, and the app and the CLI must then run with
`IAEDASH_CALLS_DIR` pointing there.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from iaedash import demo
from iaedash.db import queries as q
from iaedash.db.connection import connect
from iaedash.db.schema import init_database
from iaedash.domain.calls import quarter_end
from iaedash.domain.money import round_cents
from iaedash.domain.reference import DEFAULT_TERRITORY, INDICATOR_CODES, TERRITORY_CODES
from iaedash.ingest.check import COLUMNS
from iaedash.ingest.load import ImportOutcome, IncomingFile, import_files
from iaedash.settings import PROJECT_ROOT, calls_dir, kept_files_dir

# Part of the benchmark's cache key (bench/cache/): change it whenever the generated data change.
GENERATOR_VERSION = 1
LAST_YEAR = 2025  # the generated years end with the demo's year
CALLS_DIRNAME = "appels"
FORMATS = ("xlsx", "csv-excel", "csv-utf8", "csv-comma")

# (kind of network head, grammatical gender of the marker « fictif »)
KINDS = (
    ("Réseau des chantiers d'insertion", "fictif"),
    ("Fédération des entreprises d'insertion", "fictive"),
    ("Coordination des associations intermédiaires", "fictive"),
    ("Union des régies de quartier", "fictive"),
    ("Collectif des ETTI", "fictif"),
    ("Groupement des employeurs pour l'insertion", "fictif"),
)
PLACES = {
    "ARR": "de l'Arrageois",
    "ART": "de l'Artois",
    "AUD": "de l'Audomarois",
    "BOU": "du Boulonnais",
    "CAL": "du Calaisis",
    "LEH": "de Lens-Hénin",
    "MOT": "du Montreuillois-Ternois",
}
JOBS = (
    "Chargée de mission accompagnement",
    "Chargé de développement économique",
    "Chargée de mission marchés publics",
    "Juriste droit social",
    "Formateur",
    "Coordinatrice",
    "Animateur réseau",
    "Chargé de relations entreprises",
)
SUPPORT_JOBS = ("Comptable", "Assistante administrative", "Chargé de communication")
# Assignment rates in %: mostly full time on the operation, some partial, a few under the 30 % minimum.
RATES = ("100",) * 6 + ("80", "75", "60", "50", "40", "30", "25", "20")

LATE_SHARE = 0.05  # quarters received after their due date
CORRECTED_SHARE = 0.03  # quarters whose indicators are sent again, corrected
UNDER_CONSUMING_SHARE = 0.06  # conventions whose planned staff cost is well above what is spent


@dataclass(frozen=True)
class Scale:
    """How big: `network_heads` fictitious network heads over the `years` call years ending in 2025."""

    network_heads: int = 6
    years: int = 1

    def __post_init__(self) -> None:
        if self.network_heads < 1 or self.years < 1:
            raise ValueError("il faut au moins une tête de réseau (--echelle) et une année (--annees)")
        if self.network_heads > 9999:
            raise ValueError("au plus 9 999 têtes de réseaux (codes R0001 à R9999)")

    @property
    def call_years(self) -> tuple[int, ...]:
        return tuple(range(LAST_YEAR - self.years + 1, LAST_YEAR + 1))

    @property
    def key(self) -> str:
        """Names a cached database: its size and the generator's version."""
        return f"echelle-{self.network_heads}x{self.years}-v{GENERATOR_VERSION}"


@dataclass(frozen=True)
class Built:
    """What `build` made: the database, the calls folder the app must be pointed at, the import outcomes."""

    db: Path
    calls_dir: Path
    outcomes: list[ImportOutcome]
    seconds: float

    @property
    def refused(self) -> list[ImportOutcome]:
        return [o for o in self.outcomes if not o.ok]


@dataclass(frozen=True)
class _Head:
    """A generated network head, its traits drawn once (its staff drift a little every year)."""

    index: int
    code: str
    name: str
    size: float
    fmt: str
    territories: tuple[str, ...]
    staff: tuple[demo.Employee, ...]
    growth: float  # yearly growth of its activity


def _rng(*parts: object) -> random.Random:
    """A generator of its own for each network head (and year): a string seed is stable across runs."""
    return random.Random("-".join(str(p) for p in parts))


def _employee(rng: random.Random, number: int, support: bool) -> demo.Employee:
    job = rng.choice(SUPPORT_JOBS if support else JOBS)
    cost = Decimal(rng.randrange(2600, 5600, 50)).quantize(Decimal("0.01"))
    rate = Decimal(rng.choice(("50", "20", "60")) if support else rng.choice(RATES))
    return demo.Employee(f"S{number:02d}", job, support, cost, (rate,) * 12)


def network_head(index: int) -> _Head:
    """The index-th fictitious network head (1-based), the same at every scale."""
    rng = _rng("tete", index)
    kind, marker = KINDS[rng.randrange(len(KINDS))]
    places = [t for t in TERRITORY_CODES if t != DEFAULT_TERRITORY]
    territories = tuple(rng.sample(places, rng.choice((0, 1, 2, 2, 2))))
    place = PLACES[territories[0]] if territories else "du Pas-de-Calais"
    staff = [_employee(rng, n, support=False) for n in range(1, rng.randint(2, 5) + 1)]
    if index % 3 == 1 or rng.random() < 0.2:  # accounting or administration paid on the operation: ineligible
        staff.append(_employee(rng, len(staff) + 1, support=True))
    return _Head(
        index=index,
        code=f"R{index:04d}",
        name=f"{kind} {place} n° {index} ({marker})",
        size=round(min(2.2, max(0.3, rng.lognormvariate(0, 0.45))), 2),
        fmt=FORMATS[rng.randrange(len(FORMATS))],
        territories=territories,
        staff=tuple(staff),
        growth=rng.uniform(-0.04, 0.08),
    )


def _staff_of_year(head: _Head, year: int, rng: random.Random) -> tuple[demo.Employee, ...]:
    """Salaries rise by about 2 % a year; now and then a rate is renegotiated, or changes mid-year."""
    years_before = LAST_YEAR - year
    out = []
    for e in head.staff:
        cost = (e.monthly_cost / Decimal("1.02") ** years_before).quantize(Decimal("0.01"))
        rate = e.rates[0]
        if not e.support and rng.random() < 0.15:
            rate = Decimal(rng.choice(RATES))
        rates = (rate,) * 12
        if not e.support and rng.random() < 0.1:
            later = Decimal(rng.choice(("50", "70", "80", "100")))
            rates = (rate,) * 6 + (later,) * 6
        out.append(replace(e, monthly_cost=cost, rates=rates))
    return tuple(out)


def _convention(rng: random.Random, head: _Head, year_head: demo.DemoNetworkHead, year: int, yearly: dict) -> dict:
    """Same plan of financing as the demo's: planned staff cost + 40 %, 60 % FSE+, 30 % Département."""
    spend = sum(e.monthly_cost * r / 100 for e in year_head.staff for r in e.rates if not e.support and r >= 30)
    factor = rng.uniform(1.4, 1.7) if rng.random() < UNDER_CONSUMING_SHARE else rng.uniform(0.95, 1.12)
    planned = (spend * Decimal(str(round(factor, 2))) / 100).quantize(Decimal("1")) * 100
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
        "date_avance": f"{rng.randint(10, 28)}/03/{year}",
    }
    for code in INDICATOR_CODES:
        target = round(yearly[code] * rng.uniform(0.85, 1.3))
        row[f"objectif_{code.lower()}"] = "" if rng.random() < 0.03 else target  # now and then no target
    return row


def _xlsx(sheets: dict[str, list[dict]]) -> bytes:
    """The demo's workbook, its bytes the same at every build (same SHA-256, same kept file)."""
    return demo.stable_xlsx_bytes(sheets, LAST_YEAR)


@dataclass(frozen=True)
class _File:
    received: date
    order: int  # import order among the files received the same day
    incoming: IncomingFile


@dataclass(frozen=True)
class _Quarter:
    """One network head's quarter: when its files came, each version of its indicators, its staff lines."""

    quarter: int
    received: date
    late: bool
    versions: tuple[tuple[date, list[dict]], ...]  # (received, indicator rows); a second one is a correction
    staff_rows: list[dict]


def _year_of(head: _Head, year: int) -> tuple[dict, list[_Quarter]]:
    """One network head's year, drawn from its own generator: its convention row and its four quarters."""
    rng = _rng("annee", head.index, year)
    staff = _staff_of_year(head, year, rng)
    size = head.size * (1 + head.growth) ** (year - LAST_YEAR)
    year_head = demo.DemoNetworkHead(head.code, head.name, size, head.fmt, head.territories, staff)
    indicators = {}
    for quarter in range(1, 5):
        rows = demo._indicator_rows(rng, year_head, quarter)
        for row in rows:
            row["annee"] = year
        if not head.territories:  # no territory column at all: everything is the whole Département
            rows = [{k: v for k, v in row.items() if k != "territoire"} for row in rows]
        indicators[quarter] = rows
    yearly = dict.fromkeys(INDICATOR_CODES, 0)
    for rows in indicators.values():
        for row in rows:
            yearly[row["indicateur"]] += row["valeur"]
    convention = _convention(rng, head, year_head, year, yearly)
    quarters = []
    for quarter in range(1, 5):
        end = quarter_end(year, quarter)
        late = rng.random() < LATE_SHARE
        received = end + timedelta(days=rng.randint(32, 75) if late else rng.randint(5, 28))
        rows = indicators[quarter]
        staff_rows = demo._staff_rows(year_head, quarter)
        for row in staff_rows:
            row["annee"] = year
        corrected = rng.random() < CORRECTED_SHARE
        versions = [rows]
        if corrected:  # the first version forgot some webinars; the corrected one comes weeks later
            first = [dict(r) for r in rows]
            for row in first:
                if row["indicateur"] == "WEBI":
                    row["valeur"] = max(0, row["valeur"] - rng.randint(3, 12))
            versions = [first, rows]
        dated = tuple(
            (received + timedelta(days=rng.randint(20, 70)) if n else received, version)
            for n, version in enumerate(versions)
        )
        quarters.append(_Quarter(quarter, received, late, dated, staff_rows))
    return convention, quarters


def _files_of_year(head: _Head, year: int) -> tuple[dict, list[_File]]:
    """One network head's year as the files it sends: its convention row and its quarterly files."""
    convention, quarters = _year_of(head, year)
    files = []
    for qr in quarters:
        stem = f"{head.code}_{year}_T{qr.quarter}"
        for n, (when, version) in enumerate(qr.versions):
            suffix = "_corrige" if n else ""
            if head.fmt == "xlsx":
                data = _xlsx({"indicateurs": version, "personnel": qr.staff_rows})
                files.append(_File(when, head.index, IncomingFile(f"{stem}{suffix}.xlsx", data)))
                continue
            name = f"{stem}_indicateurs{suffix}.csv"
            files.append(_File(when, head.index, IncomingFile(name, demo._csv_bytes(version, head.fmt))))
            if not n:
                name = f"{stem}_personnel.csv"
                files.append(_File(when, head.index, IncomingFile(name, demo._csv_bytes(qr.staff_rows, head.fmt))))
    return convention, files


def year_files(scale: Scale, year: int) -> list[_File]:
    """Every file of one call year: the conventions file, then each network head's quarterly files."""
    conventions = []
    files = []
    for index in range(1, scale.network_heads + 1):
        convention, quarterly = _files_of_year(network_head(index), year)
        conventions.append(convention)
        files += quarterly
    data = demo._csv_bytes(conventions, "csv-utf8")
    files.append(_File(date(year, 3, 10), 0, IncomingFile(f"conventions_{year}.csv", data)))
    return files


def call_file_text(year: int) -> str:
    """The call of `year`: the 2025 call's parameters with its dates moved (the 2025 file is copied as is)."""
    source = (PROJECT_ROOT / "data" / CALLS_DIRNAME / f"{LAST_YEAR}.toml").read_text(encoding="utf-8")
    if year == LAST_YEAR:
        return source
    shifted = []
    for line in source.splitlines():
        if line.startswith("annee ="):
            line = f"annee = {year}"
        elif line.startswith("nom ="):
            line = line.replace(f"({LAST_YEAR})", f"({year}, appel fictif pour les données générées)")
        elif line.startswith(("debut_operation", "fin_operation", "bilan_final_au_plus_tard")):
            line = re.sub(r"\b(\d{4})-", lambda m: f"{int(m.group(1)) + year - LAST_YEAR}-", line)
        shifted.append(line)
    return "\n".join(shifted) + "\n"


def write_calls(folder: Path, years: tuple[int, ...]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for year in years:
        (folder / f"{year}.toml").write_text(call_file_text(year), encoding="utf-8")
    return folder


@contextmanager
def calls_from(folder: Path) -> Iterator[None]:
    """The import checks years against the calls of $IAEDASH_CALLS_DIR: point it at the generated ones."""
    before = os.environ.get("IAEDASH_CALLS_DIR")
    os.environ["IAEDASH_CALLS_DIR"] = str(folder)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("IAEDASH_CALLS_DIR", None)
        else:
            os.environ["IAEDASH_CALLS_DIR"] = before


class TargetNotEmpty(Exception):
    """The generated database needs a place of its own (it is never mixed with existing data)."""


def check_target(db_path: Path) -> None:
    """Refuse an existing database or kept files, and a folder whose `appels/` is the project's own calls."""
    if db_path.exists():
        raise TargetNotEmpty(f"la base {db_path} existe déjà : choisissez un autre --db ou supprimez-la")
    calls = (db_path.parent / CALLS_DIRNAME).resolve()
    if calls in (calls_dir().resolve(), (PROJECT_ROOT / "data" / CALLS_DIRNAME).resolve()):
        raise TargetNotEmpty(
            f"les appels fictifs des années générées iraient dans {calls}, le dossier des vrais appels : "
            "indiquez une base dans un dossier à elle, par exemple --db donnees-generees/iaedash.duckdb"
        )
    kept = kept_files_dir(db_path)
    if kept.exists() and any(kept.iterdir()):
        raise TargetNotEmpty(f"le dossier {kept} contient déjà des fichiers conservés : choisissez un autre --db")


# From this many network heads × years, `build` imports in bulk (`import --lot`): 100 × 3 as quarterly files
# is 2,400 files and minutes; 5,000 × 10 would be 450,000 files.
BULK_FROM = 1_000
# A bulk file has the columns of the quarterly format (check.COLUMNS), in its order.
LOT_COLUMNS = {kind: tuple(c.name for c in COLUMNS[kind]) for kind in ("indicateurs", "personnel")}
# In bulk, a quarter's files come in a few batches: on time, late, corrections (days after the quarter's end).
LOT_DAYS = {"a_temps": 20, "en_retard": 50, "corrections": 100}


def build(
    db_path: Path, scale: Scale, progress: Callable[[int, int], None] | None = None, *, bulk: bool | None = None
) -> Built:
    """A generated database: quarterly files one by one (as the network heads send them), or in bulk files
    from `BULK_FROM` network heads × years (`bulk` forces either). The data are the same either way; in bulk,
    the files of a quarter received on different days arrive together, on time, late or corrected."""
    if bulk is None:
        bulk = scale.network_heads * scale.years >= BULK_FROM
    if bulk:
        return _build_in_bulk(db_path, scale, progress)
    return _build_file_by_file(db_path, scale, progress)


def _lot_bytes(kind: str, rows: list[dict]) -> bytes:
    columns = LOT_COLUMNS[kind]
    return demo._csv_bytes([{c: row.get(c, "") for c in columns} for row in rows], "csv-utf8")


def _year_lots(scale: Scale, year: int) -> tuple[bytes, list[tuple[date, str, bytes]]]:
    """A year in bulk: the conventions file, and each quarter's batches (day received, name, bytes)."""
    conventions = []
    batches: dict[tuple[int, str, str], list[dict]] = {}
    for index in range(1, scale.network_heads + 1):
        convention, quarters = _year_of(network_head(index), year)
        conventions.append(convention)
        for qr in quarters:
            when = "en_retard" if qr.late else "a_temps"
            for n, (_, rows) in enumerate(qr.versions):
                batch = "corrections" if n else when
                batches.setdefault((qr.quarter, "indicateurs", batch), []).extend(
                    {**row, "trimestre": qr.quarter} for row in rows
                )
            batches.setdefault((qr.quarter, "personnel", when), []).extend(qr.staff_rows)
    lots = []
    for (quarter, kind, batch), rows in batches.items():
        received = quarter_end(year, quarter) + timedelta(days=LOT_DAYS[batch])
        lots.append((received, f"lot_{year}_T{quarter}_{kind}_{batch}.csv", _lot_bytes(kind, rows)))
    lots.sort(key=lambda lot: (lot[0], lot[1]))
    return demo._csv_bytes(conventions, "csv-utf8"), lots


def _build_in_bulk(db_path: Path, scale: Scale, progress: Callable[[int, int], None] | None) -> Built:
    from iaedash.ingest.bulk import import_lot

    check_target(db_path)
    started = time.perf_counter()
    folder = write_calls(db_path.parent / CALLS_DIRNAME, scale.call_years)
    outcomes: list[ImportOutcome] = []
    staging = db_path.parent / "lots-generes"
    with calls_from(folder):
        init_database(db_path)
        with connect(db_path, read_only=False) as con:
            q.execute(con, "mark_demo")
        staging.mkdir(exist_ok=True)
        try:
            for year in scale.call_years:
                conventions, lots = _year_lots(scale, year)
                day = date(year, 3, 10)
                at = datetime.combine(day, datetime.min.time()) + timedelta(hours=9)
                incoming = IncomingFile(f"conventions_{year}.csv", conventions)
                outcomes += import_files(db_path, [incoming], day, viewer=demo.DEMO_LOADER, imported_at=at)
                for received, name, data in lots:
                    path = staging / name
                    path.write_bytes(data)
                    at = datetime.combine(received, datetime.min.time()) + timedelta(hours=9)
                    outcomes.append(
                        import_lot(db_path, path, received, viewer=demo.DEMO_LOADER, name=name, imported_at=at)
                    )
                    path.unlink()
                    if progress:
                        progress(len(outcomes), year)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return Built(db_path, folder, outcomes, time.perf_counter() - started)


def _build_file_by_file(db_path: Path, scale: Scale, progress: Callable[[int, int], None] | None) -> Built:
    """Write the calls beside `db_path`, create the database marked as demo data, import every file.

    Files are imported in the order they were received, a year at a time (the files of a year received after
    the next year's conventions go with the next year's); each is imported at a fixed hour of its day received,
    so that two builds give the same database. `progress(files imported, year)` is called after each day's files.
    """
    check_target(db_path)
    started = time.perf_counter()
    folder = write_calls(db_path.parent / CALLS_DIRNAME, scale.call_years)
    outcomes: list[ImportOutcome] = []
    with calls_from(folder):
        init_database(db_path)
        with connect(db_path, read_only=False) as con:
            q.execute(con, "mark_demo")
        pending: list[_File] = []
        done = 0
        for year in scale.call_years:
            pending += year_files(scale, year)
            cutoff = date(year + 1, 3, 1) if year < LAST_YEAR else date.max
            ready = sorted((f for f in pending if f.received < cutoff), key=lambda f: (f.received, f.order))
            pending = [f for f in pending if f.received >= cutoff]
            for day, group in _by_day(ready):
                at = datetime.combine(day, datetime.min.time()) + timedelta(hours=9)
                outcomes += import_files(
                    db_path, [f.incoming for f in group], day, viewer=demo.DEMO_LOADER, imported_at=at
                )
                done += len(group)
                if progress:
                    progress(done, year)
    return Built(db_path, folder, outcomes, time.perf_counter() - started)


def _by_day(files: list[_File]) -> Iterator[tuple[date, list[_File]]]:
    group: list[_File] = []
    for f in files:
        if group and f.received != group[0].received:
            yield group[0].received, group
            group = []
        group.append(f)
    if group:
        yield group[0].received, group
