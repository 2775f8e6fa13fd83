"""The bulk path (`iaedash import --lot`) refuses exactly what the per-file path refuses and stores exactly what
it accepts.

A corpus of quarterly CSV files is generated (indicators and staff costs, several network heads and quarters,
cells sometimes bad); it is imported one file at a time through `import_files` into one database and, as one
bulk file per kind (one header, the rows of every file in order), through `import_lot` into another that
starts the same. Line numbers are mapped from each file to the bulk file by the test. Then:
- when every file of a kind is accepted, its bulk file is accepted and the stored values are the same
  (current indicator values, staff lines with their amount, eligibility and reason, versions);
- when a file of a kind is refused, its bulk file is refused, with the same problems (message, line, column),
  in the same order, line numbers inside the messages mapped too, and nothing of that kind stored.

The bulk path's known differences are kept out of the corpus (tests/test_bulk.py tests them): a row whose
network head, year or quarter cannot be read belongs to no scope in a bulk file, so the corpus never repeats
such a row's key, and a year without a call only comes in files whose scope cells all read; a bulk file holds
many network heads and quarters, so each generated file keeps to its own; rate-change warnings are not
compared. The files of a kind share their header (a bulk file has one): when it is wrong, each file says
so and the bulk file once; its scope and key columns are never the wrong ones (a bulk file without them has
no scope, so it has no duplicates nor year to check).
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pytest
from demo_truth import DEMO
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

from iaedash.domain.reference import DEFAULT_TERRITORY, INDICATOR_CODES, ORIENTATION_CODES, TERRITORY_CODES
from iaedash.ingest.bulk import SHOWN_PROBLEMS, import_lot
from iaedash.ingest.load import ImportOutcome, IncomingFile, import_files
from iaedash.ingest.problems import Problem

HEADS = ("CABM", "FEIAL", "ISARR", "URQLL", "CETTI", "CHOPAL")  # the demo conventions of 2025
RECEIVED = date(2025, 10, 15)  # T1 and T2 late, T3 on time
KINDS = ("indicateurs", "personnel")
COLUMNS = {
    "indicateurs": ("reseau", "annee", "trimestre", "orientation", "indicateur", "territoire", "valeur", "commentaire"),
    "personnel": (
        "reseau",
        "annee",
        "mois",
        "salarie",
        "fonction",
        "fonction_support",
        "cout_mensuel",
        "taux_affectation",
    ),
}
OPTIONAL = {"territoire", "commentaire"}
SCOPE_CELLS = {"indicateurs": ("reseau", "annee", "trimestre"), "personnel": ("reseau", "annee", "mois")}
# Headers as a person may write them: the same column for both paths (case, accents, spaces, hyphens).
LABELS = {
    "reseau": ("reseau", "Réseau", "RESEAU", " reseau "),
    "annee": ("annee", "Année"),
    "trimestre": ("trimestre", "Trimestre"),
    "orientation": ("orientation", "Orientation"),
    "indicateur": ("indicateur", "Indicateur"),
    "territoire": ("territoire", "Territoire"),
    "valeur": ("valeur", "Valeur"),
    "commentaire": ("commentaire", "Commentaire"),
    "mois": ("mois", "Mois"),
    "salarie": ("salarie", "Salarié"),
    "fonction": ("fonction", "Fonction"),
    "fonction_support": ("fonction_support", "Fonction support", "fonction-support"),
    "cout_mensuel": ("cout_mensuel", "Coût mensuel"),
    "taux_affectation": ("taux_affectation", "Taux-Affectation"),
}
# Cells the parsers refuse, by column (a blank required cell is « valeur manquante »).
BAD = {
    "reseau": ("", "CA BM", "Réseau", "X" * 21),
    "annee": ("", "2O25", "1999", "deux mille"),
    "trimestre": ("", "5", "T0", "Q1"),
    "orientation": ("", "XXX", "PRO1"),
    "indicateur": ("", "GOUVX", "?"),
    "territoire": ("ZZZ", "Arras"),
    "valeur": ("", "-3", "2,5", "1.5", "douze", "99999999999"),
    "commentaire": ("x" * 2001,),
    "mois": ("", "0", "13", "janvier", "3,5"),
    "salarie": ("", "Jean Dupont", "S01A", "ABCDEF1"),
    "fonction": ("", "y" * 2001),
    "fonction_support": ("", "ouii", "yes", "peut-être"),
    "cout_mensuel": ("", "3900,123", "3,900", "abc", "-10", "1e3"),
    "taux_affectation": ("", "0", "150", "-5", "50,555", "cent"),
}
COMMENTS = ("", "", "RAS", "données, avec ; séparateurs", 'dit « bien » et "très bien"', "deux\nlignes")
JOBS = ("Coordinatrice", "Chargé d'accompagnement", "Animateur, réseau")
YES_NO = ("oui", "non", "Non", "O", "n", "NON")
COSTS = ("3900,00", "3 900,50", "3900.5", "3900 €", "1.234,56", "0", "2 750")
RATES = ("100", "50", "50,5", "50 %", "30", "20", "12.25")
EMPLOYEES = ("S01", "S02", "S03", "AB_7")
# A header gone wrong the same way in every file of a kind: each file says it once, the bulk file once.
# Scope and key columns are left alone: without them a bulk file's rows are in no scope (its known difference).
TYPOS = {
    "valeur": "valuer",
    "commentaire": "comentaire",
    "fonction": "fonctoin",
    "fonction_support": "fonction_suport",
    "cout_mensuel": "cout_mensul",
    "taux_affectation": "taux_afectation",
}
EXTRA = "+"  # the name of a column added to the header, not of the format
EXTRA_CELLS = ("", "", "note", "12")


# -- the corpus ------------------------------------------------------------------------------------------


@dataclass
class QuarterFile:
    """One generated quarterly file: its data records (blank ones included), as they follow the header."""

    name: str
    kind: str
    records: list[list[str]]
    sep: str
    encoding: str
    newline: str

    def data(self, header: list[str]) -> bytes:
        return _csv([header, *self.records], self.sep, self.newline).encode(self.encoding)


@dataclass
class Corpus:
    headers: dict[str, list[str]]  # kind → header as written (column order and spelling drawn)
    files: list[QuarterFile] = field(default_factory=list)
    bulk_sep: str = ";"

    def of(self, kind: str) -> list[QuarterFile]:
        return [f for f in self.files if f.kind == kind]

    def lines(self, kind: str) -> dict[tuple[str, int], int]:
        """(file name, line in that file) → line in the bulk file of the kind (the header is line 1 in both)."""
        mapping, offset = {}, 0
        for file in self.of(kind):
            mapping[(file.name, 1)] = 1
            for index in range(len(file.records)):
                mapping[(file.name, index + 2)] = offset + index + 2
            offset += len(file.records)
        return mapping

    def bulk(self, kind: str) -> bytes:
        records = [r for f in self.of(kind) for r in f.records]
        return _csv([self.headers[kind], *records], self.bulk_sep, "\r\n").encode("utf-8")


def _csv(records: list[list[str]], sep: str, newline: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator=newline).writerows(records)
    return out.getvalue()


@dataclass
class _Row:
    cells: dict[str, str]
    key: tuple  # what the per-file path checks duplicates on, as parsed
    scope_ok: bool  # every scope cell reads: the row is in the same scope for both paths


@st.composite
def _row(draw: st.DrawFn, kind: str, head: str, year: int, quarter: int, key: tuple, bad: int, scope_sure: bool):
    """One row of key `key`; each cell is bad with probability `bad` %, scope cells only if not `scope_sure`."""
    scope_ok = True

    def cell(name: str, good: tuple[str, ...]) -> str:
        nonlocal scope_ok
        may_fail = not (scope_sure and name in SCOPE_CELLS[kind])
        if may_fail and draw(st.integers(0, 99)) < bad:
            if name in SCOPE_CELLS[kind]:
                scope_ok = False
            return draw(st.sampled_from(BAD[name]))
        return draw(st.sampled_from(good))

    cells = {"reseau": cell("reseau", (head, head.lower(), f" {head} ")), "annee": cell("annee", (str(year),))}
    if kind == "indicateurs":
        orientation, indicator, territory = key
        cells["trimestre"] = cell("trimestre", (f"T{quarter}", str(quarter), f"t{quarter}", f" {quarter} "))
        cells["orientation"] = cell("orientation", (orientation, orientation.lower()))
        cells["indicateur"] = cell("indicateur", (indicator, indicator.lower()))
        blank_is = ("",) if territory == DEFAULT_TERRITORY else ()
        cells["territoire"] = cell("territoire", (territory, territory.lower(), *blank_is))
        cells["valeur"] = cell("valeur", (str(draw(st.integers(0, 400))), "1 234", "+5", "007"))
        cells["commentaire"] = cell("commentaire", COMMENTS)
    else:
        employee, month = key
        cells["mois"] = cell("mois", (str(month), f"0{month}"))
        cells["salarie"] = cell("salarie", (employee, employee.lower(), f" {employee} "))
        cells["fonction"] = cell("fonction", JOBS)
        cells["fonction_support"] = cell("fonction_support", YES_NO)
        cells["cout_mensuel"] = cell("cout_mensuel", COSTS)
        cells["taux_affectation"] = cell("taux_affectation", RATES)
    return _Row(cells, key, scope_ok)


def _keys(kind: str, quarter: int, header: list[str]) -> st.SearchStrategy[tuple]:
    if kind == "indicateurs":
        has_territory = "territoire" in {h.strip().lower() for h in header}
        territories = TERRITORY_CODES if has_territory else (DEFAULT_TERRITORY,)
        return st.tuples(
            st.sampled_from(ORIENTATION_CODES), st.sampled_from(INDICATOR_CODES), st.sampled_from(territories)
        )
    return st.tuples(st.sampled_from(EMPLOYEES), st.sampled_from(range(3 * quarter - 2, 3 * quarter + 1)))


@st.composite
def _quarter_file(draw: st.DrawFn, kind: str, names: list[str], header: list[str], head: str, quarter: int, bad: int):
    year = 2024 if draw(st.integers(0, 9)) == 0 else 2025  # no call for 2024: refused by both paths
    scope_sure = year != 2025  # the line of « aucun appel » is the scope's first: its cells all read
    keys = draw(st.lists(_keys(kind, quarter, header), min_size=1, max_size=6, unique=True))
    rows = [draw(_row(kind, head, year, quarter, key, bad, scope_sure)) for key in keys]
    for _ in range(draw(st.integers(0, 2)) if bad else 0):  # duplicates, between rows that are in their scope
        sources = [i for i, r in enumerate(rows) if r.scope_ok]
        if not sources:
            break
        source = draw(st.sampled_from(sources))
        position = draw(st.integers(source + 1, len(rows)))
        rows.insert(position, draw(_row(kind, head, year, quarter, rows[source].key, bad, True)))
    width = len(header)
    records = []
    for row in rows:
        record = [draw(st.sampled_from(EXTRA_CELLS)) if name == EXTRA else row.cells[name] for name in names]
        extra = draw(st.integers(0, 99))
        if extra < bad:
            record.append("x")  # a value past the header
        elif extra > 95:
            record.append(" ")  # a blank cell past it: nothing to say
        if draw(st.integers(0, 9)) == 0:
            while record and not record[-1]:  # trailing empty cells left out, as some tools write rows
                record.pop()
        records.append(record)
    for _ in range(draw(st.integers(0, 2))):
        blank = draw(st.sampled_from([[], [""] * width, ["  "] * width]))
        records.insert(draw(st.integers(0, len(records))), blank)
    return QuarterFile(
        f"depot_{head}_{year}_T{quarter}_{kind}.csv",  # not a seed file's name: rows are told apart by it
        kind,
        records,
        draw(st.sampled_from([";", ","])),
        draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"])),
        draw(st.sampled_from(["\r\n", "\n"])),
    )


@st.composite
def corpora(draw: st.DrawFn) -> Corpus:
    bad = draw(st.sampled_from([0, 0, 0, 3, 8, 15]))  # % of bad cells; 0: accepted unless a year has no call
    corpus = Corpus({}, bulk_sep=draw(st.sampled_from([";", ","])))
    for kind in KINDS:
        names = [c for c in COLUMNS[kind] if c not in OPTIONAL or draw(st.booleans())]
        names = list(draw(st.permutations(names)))
        header = [draw(st.sampled_from(LABELS[name])) for name in names]
        twist = draw(st.sampled_from(["none"] * 4 + ["unknown", "unnamed", "double", "typo"])) if bad else "none"
        if twist in ("unknown", "unnamed", "double"):  # a column more: « colonne inconnue », « sans en-tête »…
            position = draw(st.integers(0, len(names)))
            twins = [n for n in names if n in TYPOS]
            label = {"unknown": "remarque", "unnamed": "", "double": draw(st.sampled_from(twins))}[twist]
            names.insert(position, EXTRA)
            header.insert(position, label)
        elif twist == "typo":  # « la colonne obligatoire … manque », or « vouliez-vous dire … » if optional
            index = names.index(draw(st.sampled_from([n for n in names if n in TYPOS])))
            header[index] = TYPOS[names[index]]
        corpus.headers[kind] = header
        event(f"{kind} header: {twist}")
        scopes = draw(
            st.lists(st.tuples(st.sampled_from(HEADS), st.integers(1, 4)), min_size=1, max_size=3, unique=True)
        )
        for head, quarter in scopes:
            corpus.files.append(draw(_quarter_file(kind, names, header, head, quarter, bad)))
    return corpus


# -- the two databases -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo conventions and CABM's T1 (so a corpus file of CABM T1 is a version 2), per-file."""
    db = tmp_path_factory.mktemp("seed") / "iaedash.duckdb"
    names = ["conventions_2025.csv", "CABM_2025_T1_indicateurs.csv", "CABM_2025_T1_personnel.csv"]
    outcomes = import_files(db, [IncomingFile.from_path(DEMO / n) for n in names], date(2025, 4, 10))
    assert all(o.status == "accepted" for o in outcomes), [str(p) for o in outcomes for p in o.problems]
    return db


def _copy(db: Path, folder: Path) -> Path:
    folder.mkdir()
    shutil.copy(db, folder / db.name)
    shutil.copytree(db.parent / "depots", folder / "depots")
    return folder / db.name


_STORED = {
    # the current values, and every version of every scope (file names and lines mapped by the caller)
    "indicateurs": (
        "select * exclude (submission_id) from current_indicator_values",
        "select s.* exclude (submission_id, import_id), i.file_name, i.received_on from submissions s "
        "join imports i using (import_id) where s.kind = 'indicateurs'",
    ),
    "personnel": (
        "select * exclude (submission_id) from current_staff_lines",
        "select s.* exclude (submission_id, import_id), i.file_name, i.received_on from submissions s "
        "join imports i using (import_id) where s.kind = 'personnel'",
    ),
}


def stored(db: Path, kind: str, rename: Callable[[dict], dict] = lambda r: r) -> list[list[dict]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = []
        for sql in _STORED[kind]:
            cursor = con.execute(sql)
            names = [d[0] for d in cursor.description]
            rows = [rename(dict(zip(names, r, strict=True))) for r in cursor.fetchall()]
            out.append(sorted(rows, key=lambda r: [str(v) for v in r.values()]))
        return out
    finally:
        con.close()


def _renamer(bulk_name: str, lines: dict[tuple[str, int], int]) -> Callable[[dict], dict]:
    """A per-file row as the bulk import stores it: the bulk file's name and line."""

    def rename(row: dict) -> dict:
        name = row["file_name"]
        if not any(file == name for file, _ in lines):  # a seed file: the same in both databases
            return row
        row = {**row, "file_name": bulk_name}
        if "source_line" in row:
            row["source_line"] = lines[(name, row["source_line"])]
        return row

    return rename


_SEEN_AT = re.compile(r"(figure déjà ligne )(\d+)$")


def mapped(problem: Problem, lines: dict[tuple[str, int], int]) -> tuple[str, int | None, str | None]:
    """A per-file problem as the bulk file would say it: its line, and the line it names, in the bulk file."""
    message = _SEEN_AT.sub(lambda m: f"{m[1]}{lines[(problem.file, int(m[2]))]}", problem.message)
    line = None if problem.line is None else lines[(problem.file, problem.line)]
    return (message, line, problem.column)


def _changes(outcomes: list[ImportOutcome]) -> list[tuple]:
    return [
        (c.kind, c.network_head, c.year, c.quarter, c.version, c.previous_version, c.on_time, c.due_date)
        for o in outcomes
        for c in o.changes
    ]


@settings(
    max_examples=40,
    derandomize=True,  # the same corpora on every run
    database=None,
    deadline=None,  # two real imports per example, on a shared machine
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(corpus=corpora())
def test_bulk_refuses_and_stores_exactly_what_the_per_file_path_does(
    corpus: Corpus, seeded: Path, tmp_path_factory: pytest.TempPathFactory
):
    work = tmp_path_factory.mktemp("corpus")
    per_file_db, bulk_db = _copy(seeded, work / "fichiers"), _copy(seeded, work / "lot")
    incoming = [IncomingFile(f.name, f.data(corpus.headers[f.kind])) for f in corpus.files]
    for file in incoming:
        note(f"--- {file.name}\n{file.data.decode('utf-8', 'replace')}")
    outcomes = dict(zip([f.name for f in incoming], import_files(per_file_db, incoming, RECEIVED), strict=True))
    for kind in KINDS:
        lot = work / f"reprise_{kind}.csv"
        lot.write_bytes(corpus.bulk(kind))
        note(f"--- {lot.name}\n{lot.read_text(encoding='utf-8')}")
        bulk = import_lot(bulk_db, lot, RECEIVED)
        per_file = [outcomes[f.name] for f in corpus.of(kind)]
        lines = corpus.lines(kind)
        accepted = all(o.status == "accepted" for o in per_file)
        event(f"{kind} {'accepted' if accepted else 'refused'}")
        if accepted:
            assert bulk.status == "accepted", [str(p) for p in bulk.problems]
            assert _changes([bulk]) == _changes(per_file)
            assert stored(bulk_db, kind) == stored(per_file_db, kind, _renamer(lot.name, lines))
        else:
            # the header's problems are said by every file, and once by the bulk file
            said = [mapped(p, lines) for o in per_file for p in o.problems]
            expected = [*dict.fromkeys(p for p in said if p[1] == 1), *(p for p in said if p[1] != 1)]
            assert bulk.status == "refused"
            assert bulk.message.startswith(f"refusé : {len(expected)} erreur(s), rien n'a été importé")
            got = [(p.message, p.line, p.column) for p in bulk.problems]
            if len(expected) > SHOWN_PROBLEMS:
                assert got[-1][0] == f"… et {len(expected) - SHOWN_PROBLEMS} autre(s) erreur(s) non listée(s)"
                got, expected = got[:-1], expected[:SHOWN_PROBLEMS]
            assert sorted(got, key=str) == sorted(expected, key=str)  # the same problems…
            assert got == expected  # …in the per-file order: by line, then width, cells (format order) and scope checks
            assert stored(bulk_db, kind) == stored(seeded, kind)  # nothing of the bulk file was written
