"""Properties of the import (issue 13, item 3), with hypothesis (derandomized: the same examples every run).

1. Any quarterly file generated from valid values — CSV (UTF-8 or Windows-1252) or .xlsx — imports and exports
   back to the same values: indicators row for row with their comments, staff costs month by month to the cent
   (amounts computed here, half-up, from the generated costs and rates, as the call's rules say).
2. Any single corruption of a valid file (a byte changed, inserted or deleted, a line doubled or dropped, the
   file cut short) is refused — the database and the kept files unchanged — or stored exactly as its parse
   says, every part of it: never half-stored.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
from db_dump import dump, files_under
from hostile_corpus import CONVENTION, IND_HEADER, STAFF_HEADER, workbook
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from viewers import MANAGER

from iaedash.calls import all_calls
from iaedash.exports.datasets import everything, indicators, monthly_staff_costs
from iaedash.ingest.ahead import check_file
from iaedash.ingest.check import CheckedTable
from iaedash.ingest.load import IncomingFile, import_files
from iaedash.store import init

ORIENTATIONS = ("PRO", "MAR", "INT", "DIV")
INDICATORS = ("GOUV", "FORM", "JURI", "VEIL", "WEBI", "COMI")
TERRITORIES = ("ARR", "ART", "AUD", "BOU", "CAL", "LEH", "MOT", "DEP")
COMBINATIONS = [(o, i, t) for o in ORIENTATIONS for i in INDICATORS for t in TERRITORIES]
# What a comment may hold and Windows-1252 can write: accents, quotes, separators, a line break.
COMMENT_ALPHABET = "abcdefghijklmnopqrstuvwxyzéèêàçôùÉ ;,\"'.-\n0123456789"
PROPERTY_SETTINGS = settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

_TEMPLATE: dict[str, Path] = {}


def fresh_db() -> Path:
    """A database holding the TEST convention, copied from one made once (hypothesis runs many examples)."""
    if "db" not in _TEMPLATE:
        db = Path(tempfile.mkdtemp()) / "iaedash.duckdb"
        init(db)
        [outcome] = import_files(db, [IncomingFile("convention.csv", CONVENTION)], date(2025, 3, 1))
        assert outcome.status == "accepted"
        _TEMPLATE["db"] = db
    target = Path(tempfile.mkdtemp()) / "iaedash.duckdb"
    shutil.copy(_TEMPLATE["db"], target)
    shutil.copytree(_TEMPLATE["db"].parent / "depots", target.parent / "depots")
    return target


comments = st.one_of(
    st.none(),
    st.text(COMMENT_ALPHABET, min_size=1, max_size=40).map(str.strip).filter(lambda t: t and not t.startswith("=")),
)


@st.composite
def indicator_files(draw):
    quarter = draw(st.integers(1, 4))
    combos = draw(st.lists(st.sampled_from(COMBINATIONS), min_size=1, max_size=30, unique=True))
    rows = [(o, i, t, draw(st.integers(0, 1_000_000)), draw(comments)) for o, i, t in combos]
    return quarter, rows, draw(st.sampled_from(["csv-utf8", "csv-1252", "xlsx"]))


def indicator_bytes(quarter: int, rows: list[tuple], form: str) -> tuple[str, bytes]:
    cells = [["TEST", 2025, f"T{quarter}", o, i, t, v, c] for o, i, t, v, c in rows]
    if form == "xlsx":
        return "depot.xlsx", workbook({"indicateurs": [IND_HEADER, *cells]})
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows([IND_HEADER, *([("" if x is None else x) for x in r] for r in cells)])
    return "depot.csv", out.getvalue().encode("utf-8" if form == "csv-utf8" else "cp1252")


@st.composite
def staff_files(draw):
    quarter = draw(st.integers(1, 4))
    months = range(quarter * 3 - 2, quarter * 3 + 1)
    keys = draw(st.lists(st.tuples(st.sampled_from(months), st.integers(1, 40)), min_size=1, max_size=25, unique=True))
    rows = []
    for month, employee in keys:
        cost = Decimal(draw(st.integers(0, 2_000_000))) / 100
        rate = Decimal(draw(st.integers(1, 10_000))) / 100
        rows.append((month, f"S{employee:02d}", draw(st.booleans()), cost, rate))
    return rows, draw(st.sampled_from(["csv-utf8", "xlsx"]))


def staff_bytes(rows: list[tuple], form: str) -> tuple[str, bytes]:
    cells = [["TEST", 2025, m, e, "Chargée", "oui" if s else "non", c, r] for m, e, s, c, r in rows]
    if form == "xlsx":
        book = [[*r[:6], float(r[6]), float(r[7])] for r in cells]
        return "personnel.xlsx", workbook({"personnel": [STAFF_HEADER, *book]})
    text = [[*map(str, r[:6]), format(r[6], "f").replace(".", ","), format(r[7], "f").replace(".", ",")] for r in cells]
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows([STAFF_HEADER, *text])
    return "personnel.csv", out.getvalue().encode()


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@PROPERTY_SETTINGS
@given(indicator_files())
def test_an_indicator_file_of_valid_values_exports_back_the_same(generated):
    quarter, rows, form = generated
    db = fresh_db()
    name, data = indicator_bytes(quarter, rows, form)
    [outcome] = import_files(db, [IncomingFile(name, data)], date(2025, 12, 20))
    assert outcome.status == "accepted", [str(p) for p in outcome.problems]
    con = duckdb.connect(str(db), read_only=True)
    frame = indicators(con, MANAGER, everything(), date(2025, 12, 31))
    con.close()
    exported = {(r.orientation, r.indicateur, r.territoire): (r.valeur, r.commentaire) for r in frame.itertuples()}
    expected = {(o, i, t): (v, c) for o, i, t, v, c in rows if v}  # the export leaves out values of 0
    assert {k: (int(v), None if c is None or c != c else c) for k, (v, c) in exported.items()} == expected
    assert set(frame["trimestre"]) <= {quarter}


@PROPERTY_SETTINGS
@given(staff_files())
def test_a_staff_file_of_valid_values_exports_back_the_same_costs(generated):
    rows, form = generated
    db = fresh_db()
    name, data = staff_bytes(rows, form)
    [outcome] = import_files(db, [IncomingFile(name, data)], date(2025, 12, 20))
    assert outcome.status == "accepted", [str(p) for p in outcome.problems]
    declared: dict[int, Decimal] = defaultdict(Decimal)
    eligible: dict[int, Decimal] = defaultdict(Decimal)
    for month, _employee, support, cost, rate in rows:
        amount = cents(cost * rate / 100)
        declared[month] += amount
        if not support and rate >= 30:  # the call: no support functions, at least 30 % of the time
            eligible[month] += amount
    con = duckdb.connect(str(db), read_only=True)
    frame = monthly_staff_costs(con, MANAGER, everything(), date(2025, 12, 31))
    con.close()
    got = {int(r.mois): (Decimal(str(r.depenses_personnel_declarees)), Decimal(str(r.depenses_personnel_eligibles)))
           for r in frame.itertuples()}  # fmt: skip
    assert got == {m: (cents(declared[m]), cents(eligible[m])) for m in declared}


@st.composite
def corruptions(draw):
    quarter, rows, form = draw(indicator_files())
    name, data = indicator_bytes(quarter, rows, form if form != "xlsx" else "csv-utf8")
    if draw(st.booleans()):
        name, data = indicator_bytes(quarter, rows, "xlsx")
    kind = draw(st.sampled_from(["change", "insert", "delete", "double-line", "drop-line", "cut"]))
    at = draw(st.integers(0, len(data) - 1))
    byte = draw(st.integers(0, 255))
    if kind == "change":
        data = data[:at] + bytes([byte]) + data[at + 1 :]
    elif kind == "insert":
        data = data[:at] + bytes([byte]) + data[at:]
    elif kind == "delete":
        data = data[:at] + data[at + 1 :]
    elif kind == "cut":
        data = data[:at]
    else:
        lines = data.split(b"\r\n")
        index = draw(st.integers(0, len(lines) - 1))
        lines[index : index + 1] = [lines[index]] * (2 if kind == "double-line" else 0)
        data = b"\r\n".join(lines)
    return name, data


@PROPERTY_SETTINGS
@given(corruptions())
def test_a_corrupted_file_is_refused_or_stored_wholly_as_its_parse_says(corrupted):
    name, data = corrupted
    db = fresh_db()
    before, kept = dump(db), files_under(db.parent / "depots")
    [outcome] = import_files(db, [IncomingFile(name, data)], date(2025, 12, 20))
    if outcome.status == "refused":
        assert outcome.problems and all(p.message for p in outcome.problems)
        assert dump(db) == before
        assert files_under(db.parent / "depots") == kept
        return
    assert outcome.status == "accepted"
    parsed = [t for t in check_file(name, data, all_calls()) if isinstance(t, CheckedTable)]
    expected = sorted(
        (s.kind, s.quarter, r.orientation, r.indicator, r.territory, r.value, r.comment)
        for t in parsed
        for s in t.scopes
        for r in s.rows
    )
    con = duckdb.connect(str(db), read_only=True)
    stored = con.execute(
        "select kind, quarter, orientation, indicator, territory, value, comment from indicator_values "
        "join submissions using (submission_id) where import_id = ?",
        [outcome.import_id],
    ).fetchall()
    con.close()
    assert sorted(stored, key=str) == sorted(expected, key=str)
