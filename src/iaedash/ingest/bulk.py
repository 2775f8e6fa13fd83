"""Bulk import (`iaedash import --lot`): one large CSV or Parquet file of one kind, holding many network heads,
years and quarters, checked exactly as the per-file path checks each quarterly file — column by column.

How a Département brings in its past years: one file of indicators and one of staff costs (the columns of the
quarterly formats, docs/format-depot.md), after the conventions of those years.

The checks are the per-file ones, applied to columns instead of rows:
- each column's distinct values go once through the same cell parser (`ingest.fields`), so a value gets the
  same French message as in a quarterly file, at every line where it occurs (Arrow maps values back to rows);
- the header checks are `check._Checker`'s own;
- what a quarterly file says by being one file — one network head, one year, one quarter — a bulk file says
  by its rows: each network head × year × quarter found is one scope, one new version, as if it had come in a
  file of its own; within a scope, duplicates and the call of the year are checked as in a quarterly file;
- the database checks (a convention exists, the importer's rights, locked quarters) are the per-file ones.
The file is all-or-nothing: one problem and nothing is written; the first `SHOWN_PROBLEMS` are listed with
the count of the rest. Accepted, it is kept as received (its kept name carries `+lot`, so that `rebuild`
replays it through this path) and written with set-based inserts from Arrow.
"""

from __future__ import annotations

import codecs
import csv
import getpass
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from iaedash.calls import all_calls
from iaedash.db import queries as q
from iaedash.db.connection import DatabaseBusyError, connect, transaction
from iaedash.db.schema import ensure_schema
from iaedash.domain.access import Role, Viewer
from iaedash.domain.calls import Call, is_late, quarter_of_month, submission_due_date
from iaedash.domain.staff import assess_staff_line, find_rate_changes
from iaedash.ingest import check, kept, limits
from iaedash.ingest import fields as f
from iaedash.ingest.load import (
    ImportOutcome,
    ScopeChange,
    _Importer,
    busy_refusal,
    kept_file_name,
    kept_name_problem,
    rate_change_warning,
    record_refusal_safely,
    unexpected_refusal,
)
from iaedash.ingest.problems import Problem
from iaedash.ingest.read import (
    CSV_TOO_LONG_CELL,
    RawTable,
    UnreadableFile,
    check_name,
    check_regular,
    container_problem,
    sniff_separator,
    unreadable_reason,
)
from iaedash.settings import kept_files_dir

SHOWN_PROBLEMS = 100  # listed in full; beyond, a count
SHOWN_WARNINGS = 100
_CHUNK_ROWS = 200_000  # CSV records turned into Arrow columns at a time

# Arrow type of each column once parsed (the per-file path's Python values, column-wise).
_TYPES: dict[str, pa.DataType] = {
    "reseau": pa.string(),
    "annee": pa.int32(),
    "trimestre": pa.int32(),
    "orientation": pa.string(),
    "indicateur": pa.string(),
    "territoire": pa.string(),
    "valeur": pa.int64(),
    "commentaire": pa.string(),
    "mois": pa.int32(),
    "salarie": pa.string(),
    "fonction": pa.string(),
    "fonction_support": pa.bool_(),
    "cout_mensuel": pa.decimal128(14, 2),
    "taux_affectation": pa.decimal128(5, 2),
}
# Within a scope, a row is identified by these columns (`check._check_indicators`, `check._check_staff`).
_DUPLICATE_KEYS = {
    "indicateurs": (("orientation", "indicateur", "territoire"), "indicateur"),
    "personnel": (("salarie", "mois"), "salarie"),
}


@dataclass
class LotTable:
    """A bulk file as read: headers as written, raw columns (Arrow), the spreadsheet line of each row."""

    file_name: str
    headers: list[str]
    lines: pa.Array  # int64, one per data row (blank rows are skipped but counted, as in a quarterly file)
    columns: list[pa.Array]  # one per header position, raw cells (strings for a CSV, typed for Parquet)
    header_line: int = 1
    too_wide: list[tuple[int, int]] | None = None  # (line, number of cells) of rows with values past the header

    @property
    def row_count(self) -> int:
        return len(self.lines)


# -- reading ---------------------------------------------------------------------------------------------


def _encoding(path: Path) -> str:
    """The per-file rule (`read.decode`) on a stream: UTF-8 with or without BOM, else Windows-1252."""
    with path.open("rb") as handle:
        start = handle.read(3)
        if start == b"\xef\xbb\xbf":
            return "utf-8-sig"
    for encoding in ("utf-8", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                while block := handle.read(1 << 22):
                    decoder.decode(block)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(
        Problem(path.name, "encodage illisible : enregistrez le fichier en CSV UTF-8 ou CSV (point-virgule)")
    )


def _records(path: Path, name: str) -> tuple[str, str, Iterator[list[str]]]:
    encoding = _encoding(path)
    with path.open(encoding=encoding, newline="") as text:
        first = next((line for line in text if line.strip()), None)
    if first is None:
        raise UnreadableFile(Problem(name, "le fichier est vide", line=1))
    sep = sniff_separator(first.rstrip("\r\n"))

    def records() -> Iterator[list[str]]:
        with path.open(encoding=encoding, newline="") as handle:
            try:
                yield from csv.reader(handle, delimiter=sep)
            except csv.Error:
                raise UnreadableFile(Problem(name, CSV_TOO_LONG_CELL)) from None

    return encoding, sep, records()


def _read_regular(path: Path, name: str, encoding: str, sep: str, records: Iterator[list[str]]) -> LotTable | None:
    """The common case, read by Arrow's CSV reader (the Python loop below takes four fifths of a bulk import):
    the header on line 1 and every record exactly as wide. Python's own reader checks that shape first, in
    one pass that only counts, and Arrow's records must then match in number; any other file (a short or long
    record, a blank line, a header further down, what Arrow reads otherwise) is read record by record."""
    import pyarrow.csv as pacsv

    header = next(records, None)
    if not header or not "".join(header).strip():
        return None
    width = len(header)
    count = 0
    for record in records:
        if len(record) != width:
            return None
        count += 1
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(
                encoding="utf8" if encoding in ("utf-8", "utf-8-sig") else encoding,
                skip_rows=1,
                autogenerate_column_names=True,
                block_size=1 << 24,
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=sep,
                quote_char='"',
                double_quote=True,
                escape_char=False,
                newlines_in_values=True,
                ignore_empty_lines=False,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(width)},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, ValueError):
        return None
    if table.num_rows != count or table.num_columns != width:
        return None
    columns = [c.combine_chunks() for c in table.columns]
    columns, lines = _without_blank_rows(columns, pa.array(range(2, count + 2), type=pa.int64()))
    return LotTable(name, header, lines, columns, 1, [])


def _without_blank_rows(columns: list[pa.Array], lines: pa.Array) -> tuple[list[pa.Array], pa.Array]:
    """Rows whose every cell is blank are skipped, as in a quarterly file (the others keep their number)."""
    blank = None
    for column in columns:
        blank = _blank_mask(column) if blank is None else pc.and_(blank, _blank_mask(column))
    if blank is None or not pc.any(blank).as_py():
        return columns, lines
    keep = pc.invert(blank)
    return [pc.filter(c, keep) for c in columns], pc.filter(lines, keep)


def read_lot_csv(path: Path, name: str) -> LotTable:
    """Records as `read.read_csv` numbers them (one record is one spreadsheet row), in Arrow columns."""
    encoding, sep, records = _records(path, name)
    regular = _read_regular(path, name, encoding, sep, records)
    if regular is not None:
        return regular
    _, _, records = _records(path, name)
    line = 0
    headers: list[str] | None = None
    header_line = 1
    width = 0
    line_chunks: list[pa.Array] = []
    column_chunks: list[list[pa.Array]] = []
    too_wide: list[tuple[int, int]] = []
    rows: list[list[str]] = []
    numbers: list[int] = []

    def flush() -> None:
        if not rows:
            return
        columns = list(zip(*rows, strict=True)) if rows else []
        for index in range(width):
            column_chunks[index].append(pa.array(columns[index], type=pa.string()))
        line_chunks.append(pa.array(numbers, type=pa.int64()))
        rows.clear()
        numbers.clear()

    for record in records:
        line += 1
        if not "".join(record).strip():  # a blank row (every cell blank) is skipped, its number kept
            continue
        if headers is None:
            headers, header_line, width = record, line, len(record)
            column_chunks = [[] for _ in range(width)]
            continue
        if len(record) != width:
            if len(record) > width:
                if "".join(record[width:]).strip():
                    too_wide.append((line, len(record)))
                record = record[:width]
            else:
                record = record + [""] * (width - len(record))
        rows.append(record)
        numbers.append(line)
        if len(rows) >= _CHUNK_ROWS:
            flush()
    flush()
    if headers is None:  # separators only: what Excel saves for an empty sheet
        raise UnreadableFile(Problem(name, "le fichier est vide (aucune cellule remplie)", line=1))
    columns = [pa.chunked_array(chunks, type=pa.string()).combine_chunks() for chunks in column_chunks]
    lines = pa.chunked_array(line_chunks, type=pa.int64()).combine_chunks()
    return LotTable(name, headers, lines, columns, header_line, too_wide)


def read_lot_parquet(path: Path, name: str) -> LotTable:
    """Column names are the header (line 1); row n is line n + 1. Values keep their Parquet types, and the
    parsers take them as they take an .xlsx cell's typed value."""
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as error:
        raise UnreadableFile(Problem(name, f"fichier Parquet illisible ({type(error).__name__})")) from None
    columns = [c.combine_chunks() for c in table.columns]
    # a pandas category is written as a dictionary: its values are what the person typed
    columns = [c.dictionary_decode() if pa.types.is_dictionary(c.type) else c for c in columns]
    lines = pa.array(range(2, table.num_rows + 2), type=pa.int64())
    columns, lines = _without_blank_rows(columns, lines)
    return LotTable(name, list(table.column_names), lines, columns, 1, [])


def _is_parquet(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(4) == b"PAR1"


def read_lot(path: Path, name: str | None = None) -> LotTable:
    name = name or path.name
    check_name(name)
    if check_regular(path, limits.LOT) == 0:
        raise UnreadableFile(Problem(name, "le fichier est vide", line=1))
    if _is_parquet(path):
        return read_lot_parquet(path, name)
    with path.open("rb") as handle:
        head = handle.read(4096)
    if head.startswith(b"PK\x03\x04"):
        raise UnreadableFile(
            Problem(name, "un import en lot se fait en CSV ou en Parquet : enregistrez le classeur en CSV")
        )
    problem = container_problem(name, head)  # an image, an old .xls, UTF-16… told as for a quarterly file
    if problem is not None:
        raise UnreadableFile(problem)
    return read_lot_csv(path, name)


# -- checking, column by column -------------------------------------------------------------------------


class _LotChecker(check._Checker):
    """The per-file checker's header checks and problem wording, over Arrow columns."""

    def __init__(self, lot: LotTable, calls: Mapping[int, Call]) -> None:
        super().__init__(RawTable(lot.file_name, None, lot.headers, header_line=lot.header_line), calls)
        self.lot = lot

    def column_has_values(self, index: int) -> bool:
        return bool(_blank_mask(self.lot.columns[index]).false_count) if self.lot.row_count else False


def _blank_mask(column: pa.Array) -> pa.Array:
    """`fields.is_blank` on a column: null, or text that is only whitespace."""
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        blank = pc.utf8_is_space(column)
        return pc.fill_null(pc.or_kleene(blank, pc.equal(column, "")), True)
    return pc.is_null(column)


@dataclass
class _Parsed:
    """One column after its check: typed values (null where blank-optional or bad) and the message per row."""

    values: pa.Array
    messages: pa.Array  # string, null where the cell is fine


def _parse_column(column: pa.Array, spec: check.Column) -> _Parsed:
    """Each distinct value through the column's parser once, mapped back to the rows by Arrow."""
    distinct = pc.unique(column)
    values: list[Any] = []
    messages: list[str | None] = []
    for raw in distinct.to_pylist():
        if f.is_blank(raw):
            if spec.if_blank is check._REQUIRED:
                values.append(None)
                messages.append("valeur manquante")
            else:
                values.append(spec.if_blank)
                messages.append(None)
            continue
        try:
            values.append(spec.parse(raw))
            messages.append(None)
        except f.CellError as error:
            values.append(None)
            messages.append(str(error))
    index = pc.index_in(column, value_set=distinct, skip_nulls=False)
    typed = pa.array(values, type=_TYPES[spec.name])
    return _Parsed(pc.take(typed, index), pc.take(pa.array(messages, type=pa.string()), index))


def _map_distinct(column: pa.Array, function: Any, type_: pa.DataType) -> pa.Array:
    """`function` once per distinct non-null value, mapped back to the rows (null stays null)."""
    distinct = pc.unique(column)
    mapped = [None if v is None else function(v) for v in distinct.to_pylist()]
    return pc.take(pa.array(mapped, type=type_), pc.index_in(column, value_set=distinct, skip_nulls=False))


@dataclass
class _Checked:
    kind: str
    rows: pa.Table | None  # typed rows, one column per format column plus `line` (None when refused)
    problems: pa.Table  # line, phase, position, column, message — every problem found
    scopes: list[check.Scope]


_PROBLEM_SCHEMA = pa.schema(
    [
        ("line", pa.int64()),
        ("phase", pa.int8()),  # 0 width, 1 cells in column order, 2 scope checks: the per-file order in a row
        ("position", pa.int64()),
        ("column", pa.string()),
        ("message", pa.string()),
    ]
)


def _problem_table(
    lines: list[int | None], phase: int, positions: list[int], columns: list, messages: list
) -> pa.Table:
    return pa.table(
        [
            pa.array(lines, type=pa.int64()),
            pa.array([phase] * len(lines), type=pa.int8()),
            pa.array(positions, type=pa.int64()),
            pa.array(columns, type=pa.string()),
            pa.array(messages, type=pa.string()),
        ],
        schema=_PROBLEM_SCHEMA,
    )


def check_lot(lot: LotTable, calls: Mapping[int, Call], con: duckdb.DuckDBPyConnection) -> _Checked:
    """Every problem of a bulk file of indicators or staff costs, and its scopes when there is none."""
    checker = _LotChecker(lot, calls)
    kind = check.detect_kind(lot.headers)
    if kind is None or kind == "conventions":
        raise AssertionError("check_lot takes indicators or staff costs")  # import_lot routes the others
    columns = check.COLUMNS[kind]
    positions = checker.map_headers(columns)
    header_problems = [(p.line, p.column, p.message) for p in checker.problems]
    parts = [
        _problem_table(
            [p[0] for p in header_problems],
            0,
            [-1] * len(header_problems),
            [p[1] for p in header_problems],
            [p[2] for p in header_problems],
        )
    ]
    wide = lot.too_wide or []
    width = len(lot.headers)
    parts.append(
        _problem_table(
            [w[0] for w in wide],
            0,
            [0] * len(wide),
            [None] * len(wide),
            [f"{cells} valeurs pour {width} colonnes d'en-tête" for _, cells in wide],
        )
    )
    if lot.row_count == 0:
        line = lot.header_line
        parts.append(_problem_table([line], 2, [0], [None], ["aucune ligne de données sous l'en-tête"]))
        return _Checked(kind, None, pa.concat_tables(parts), [])

    typed: dict[str, pa.Array] = {"line": lot.lines}
    row_ok = pa.array([True] * lot.row_count)
    for order, spec in enumerate(columns):
        if spec.name not in positions:
            if not spec.required:
                typed[spec.name] = pa.array([spec.if_blank] * lot.row_count, type=_TYPES[spec.name])
            continue
        parsed = _parse_column(lot.columns[positions[spec.name]], spec)
        typed[spec.name] = parsed.values
        bad = pc.is_valid(parsed.messages)
        if pc.any(bad).as_py():
            row_ok = pc.and_(row_ok, pc.invert(bad))
            lines = pc.filter(lot.lines, bad)
            label = checker.labels.get(spec.name, spec.name)
            parts.append(
                pa.table(
                    [
                        lines,
                        pa.array([1] * len(lines), type=pa.int8()),
                        pa.array([order] * len(lines), type=pa.int64()),
                        pa.array([label] * len(lines), type=pa.string()),
                        pc.filter(parsed.messages, bad),
                    ],
                    schema=_PROBLEM_SCHEMA,
                )
            )
    complete = all(c.name in positions for c in columns if c.required)
    rows = pa.table(typed)
    if kind == "personnel" and "mois" in typed:  # a staff file's scope is the quarter of its months
        rows = rows.append_column("trimestre", _map_distinct(typed["mois"], quarter_of_month, pa.int32()))
    parts += _scope_problems(con, rows, kind, checker, calls)
    problems = pa.concat_tables(parts)
    if problems.num_rows or not complete:
        return _Checked(kind, None, problems, [])
    scopes = [
        check.Scope(kind, r["network_head"], r["year"], r["quarter"], [], r["first_line"])
        for r in q.fetch_records(_registered(con, lot_rows=rows), "lot_scopes")
    ]
    return _Checked(kind, rows, problems, scopes)


def _registered(con: duckdb.DuckDBPyConnection, **relations: Any) -> duckdb.DuckDBPyConnection:
    for name, relation in relations.items():
        con.register(name, relation)
    return con


def _scope_problems(
    con: duckdb.DuckDBPyConnection, rows: pa.Table, kind: str, checker: _LotChecker, calls: Mapping[int, Call]
) -> list[pa.Table]:
    """Duplicates within a scope, and a year without a call: what the per-file kind checks find."""
    names = set(rows.column_names)
    if not {"reseau", "annee", "trimestre"} <= names:
        return []
    out = []
    key, column = _DUPLICATE_KEYS[kind]
    if set(key) <= names:
        label = checker.labels.get(column, column)
        relation = rows.select(["line", "reseau", "annee", "trimestre", *key]).rename_columns(
            ["line", "network_head", "year", "quarter", "k1", "k2", *(["k3"] if len(key) == 3 else [])]
        )
        if len(key) == 2:
            relation = relation.append_column("k3", pa.array([None] * relation.num_rows, type=pa.string()))
        found = q.fetch_records(_registered(con, lot_keys=relation), "lot_duplicates", {"keys": len(key)})
        out.append(
            _problem_table(
                [r["line"] for r in found],
                2,
                [0] * len(found),
                [label] * len(found),
                [f"doublon : {r['shown']} figure déjà ligne {r['first_line']}" for r in found],
            )
        )
    scopes = q.fetch_records(
        _registered(con, lot_rows=rows.select(["line", "reseau", "annee", "trimestre"])), "lot_scopes"
    )
    known = ", ".join(str(y) for y in sorted(calls)) or "aucune"
    missing = [s for s in scopes if s["year"] not in calls]
    out.append(
        _problem_table(
            [s["first_line"] for s in missing],
            2,
            [1] * len(missing),
            [checker.labels.get("annee", "annee")] * len(missing),
            [
                f"aucun appel à projets n'est défini pour l'année {s['year']} (années connues : {known})"
                for s in missing
            ],
        )
    )
    return out


def first_problems(file_name: str, problems: pa.Table, limit: int = SHOWN_PROBLEMS) -> list[Problem]:
    """The problems in the per-file order (by line; in a row, width, then cells left to right, then scope)."""
    if problems.num_rows == 0:
        return []
    order = pc.sort_indices(
        problems, sort_keys=[("line", "ascending"), ("phase", "ascending"), ("position", "ascending")]
    )
    shown = problems.take(order[:limit]).to_pylist()
    return [Problem(file_name, p["message"], p["line"], p["column"]) for p in shown]


# -- writing ---------------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 22):
            digest.update(block)
    return digest.hexdigest()


def _write_scopes(
    con: duckdb.DuckDBPyConnection,
    checked: _Checked,
    import_id: int,
    first_submission: int,
    calls: Mapping[int, Call],
    received_on: date,
) -> tuple[list[ScopeChange], list[str]]:
    """Submissions (one new version per scope), then every row in one set-based insert per table."""
    previous = {
        (r["network_head"], r["year"], r["quarter"]): r["version"]
        for r in q.fetch_records(con, "lot_latest_versions", {"kind": checked.kind})
    }
    changes, ids, heads, years, quarters, versions, on_times = [], [], [], [], [], [], []
    for offset, scope in enumerate(checked.scopes):
        before = previous.get((scope.network_head, scope.year, scope.quarter))
        call = calls[scope.year]
        due = submission_due_date(call, scope.quarter)
        on_time = not is_late(call, scope.quarter, received_on)
        version = (before or 0) + 1
        changes.append(
            ScopeChange(checked.kind, scope.network_head, scope.year, scope.quarter, version, before, on_time, due)
        )
        ids.append(first_submission + offset)
        heads.append(scope.network_head)
        years.append(scope.year)
        quarters.append(scope.quarter)
        versions.append(version)
        on_times.append(on_time)
    submissions = pa.table(
        {
            "submission_id": pa.array(ids, type=pa.int32()),
            "network_head": pa.array(heads, type=pa.string()),
            "year": pa.array(years, type=pa.int32()),
            "quarter": pa.array(quarters, type=pa.int32()),
            "version": pa.array(versions, type=pa.int32()),
            "on_time": pa.array(on_times, type=pa.bool_()),
        }
    )
    _registered(con, lot_submissions=submissions, lot_rows=checked.rows)
    q.execute(con, "lot_insert_submissions", {"import_id": import_id, "kind": checked.kind})
    warnings: list[str] = []
    if checked.kind == "indicateurs":
        q.execute(con, "lot_insert_indicator_values")
    else:
        _register_assessments(con, calls)
        q.execute(con, "lot_insert_staff_lines")
        warnings = _rate_warnings(con)
    return changes, warnings


def _register_assessments(con: duckdb.DuckDBPyConnection, calls: Mapping[int, Call]) -> None:
    """The call's rules (`domain.staff`) once per distinct (year, cost, rate, support function)."""
    combos = q.fetch_records(con, "lot_staff_combinations")
    assessed = [
        assess_staff_line(calls[c["year"]], c["monthly_cost"], c["assignment_rate"], c["support_function"])
        for c in combos
    ]
    table = pa.table(
        {
            "year": pa.array([c["year"] for c in combos], type=pa.int32()),
            "monthly_cost": pa.array([c["monthly_cost"] for c in combos], type=pa.decimal128(14, 2)),
            "assignment_rate": pa.array([c["assignment_rate"] for c in combos], type=pa.decimal128(5, 2)),
            "support_function": pa.array([c["support_function"] for c in combos], type=pa.bool_()),
            "amount": pa.array([a.amount for a in assessed], type=pa.decimal128(14, 2)),
            "eligible": pa.array([a.eligible for a in assessed], type=pa.bool_()),
            "reason": pa.array([a.reason for a in assessed], type=pa.string()),
        }
    )
    con.register("lot_assessments", table)


def _rate_warnings(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The per-file warning for a rate that changes within the year, once per network head × year × employee."""
    by_year: dict[tuple[str, int], list[tuple[str, int, Decimal]]] = {}
    for r in q.fetch_records(con, "lot_rate_lines"):
        by_year.setdefault((r["network_head"], r["year"]), []).append((r["employee"], r["month"], r["assignment_rate"]))
    warnings = []
    for (head, year), lines in sorted(by_year.items()):
        warnings += [rate_change_warning(head, year, change) for change in find_rate_changes(lines)]
    return warnings


def _refused(name: str, problems: list[Problem], total: int) -> ImportOutcome:
    more = f" ; les {len(problems)} premières sont listées" if total > len(problems) else ""
    shown = list(problems)
    if total > len(problems):
        shown.append(Problem(name, f"… et {total - len(problems)} autre(s) erreur(s) non listée(s)"))
    return ImportOutcome(name, "refused", shown, message=f"refusé : {total} erreur(s), rien n'a été importé{more}")


def import_lot(
    db_path: Path,
    path: Path,
    received_on: date,
    *,
    viewer: Viewer | None = None,
    name: str | None = None,
    imported_at: datetime | None = None,
    keep: bool = True,
) -> ImportOutcome:
    """Check and import one bulk file, all or nothing. `name` is the name as sent (a rebuild passes the
    original name of a kept file); `keep=False` is for `rebuild`, whose files are already kept."""
    name = name or path.name
    calls = all_calls()
    who = viewer or Viewer.operator(getpass.getuser())
    try:
        outcome = _read_and_import(db_path, path, name, calls, received_on, who, imported_at, keep)
    except DatabaseBusyError as error:  # not this file's fault, nor a bug: said as such (the journal cannot)
        return busy_refusal(name, error)
    except duckdb.Error as error:  # rolled back by its transaction: a value the store refused
        problem = Problem(name, f"refusé par la base de données, rien n'a été importé ({type(error).__name__})")
        outcome = _refused(name, [problem], 1)
    except Exception:  # rolled back too; said in French, the traceback logged, and the next files go on
        outcome = unexpected_refusal(name)
    if keep and outcome.status == "refused":
        record_refusal_safely(db_path, who, outcome)
    return outcome


def _read_and_import(
    db_path: Path,
    path: Path,
    name: str,
    calls: Mapping[int, Call],
    received_on: date,
    viewer: Viewer,
    imported_at: datetime | None,
    keep: bool,
) -> ImportOutcome:
    try:
        if path.is_dir():
            raise IsADirectoryError(str(path))
        lot = read_lot(path, name)
    except UnreadableFile as error:
        return _refused(name, [error.problem], 1)
    except OSError as error:
        return _refused(name, [Problem(str(path), unreadable_reason(error))], 1)
    return _import_read(db_path, path, lot, calls, received_on, viewer, imported_at, keep)


def _conventions_table(lot: LotTable) -> RawTable:
    """Conventions are few: the per-file checks take them as they are, row by row."""
    raw = [c.to_pylist() for c in lot.columns]
    rows = [(line, [column[i] for column in raw]) for i, line in enumerate(lot.lines.to_pylist())]
    return RawTable(lot.file_name, None, lot.headers, rows, header_line=lot.header_line)


def _duplicate(name: str, found: tuple) -> ImportOutcome:
    import_id, first_name, at, _received, _versions = found
    return ImportOutcome(
        name,
        "duplicate",
        import_id=import_id,
        message=f"déjà importé le {at:%d/%m/%Y à %H:%M} (import n° {import_id}, « {first_name} ») : rien n'a changé",
    )


def _import_read(
    db_path: Path,
    path: Path,
    lot: LotTable,
    calls: Mapping[int, Call],
    received_on: date,
    viewer: Viewer,
    imported_at: datetime | None,
    keep: bool,
) -> ImportOutcome:
    kind = check.detect_kind(lot.headers)
    if kind is None:
        table = check.check_table(RawTable(lot.file_name, None, lot.headers), calls)
        return _refused(lot.file_name, table.problems, len(table.problems))
    sha = _sha256(path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with connect(db_path, read_only=False) as con:
        ensure_schema(con)
        duplicate = next(iter(q.fetch_all(con, "find_import_by_sha", {"sha256": sha})), None)
        if duplicate and viewer.role is Role.MANAGER:
            return _duplicate(lot.file_name, duplicate)
        if kind == "conventions":
            table = check.check_table(_conventions_table(lot), calls)
            problems, total, checked = table.problems[:SHOWN_PROBLEMS], len(table.problems), None
            tables = [table]
        else:
            checked = check_lot(lot, calls, con)
            problems, total = first_problems(lot.file_name, checked.problems), checked.problems.num_rows
            tables = [check.CheckedTable(lot.file_name, None, kind, checked.scopes)]
        if duplicate:  # a file the viewer may not send is refused even when already imported: « déjà importé »
            # would tell a network head about another's file (its import number, name and date)
            found = _Importer(con, calls, received_on).check_rights(tables, viewer)
            return (
                _refused(lot.file_name, found[:SHOWN_PROBLEMS], len(found))
                if found
                else _duplicate(lot.file_name, duplicate)
            )
        if not total:
            importer = _Importer(con, calls, received_on)
            found = importer.check_rights(tables, viewer)
            found = found or importer.check_conventions(tables) + importer.check_locks(tables)
            problems, total = found[:SHOWN_PROBLEMS], len(found)
        if total:
            return _refused(lot.file_name, problems, total)
        if keep and (too_long := kept_name_problem(lot.file_name)):
            return _refused(lot.file_name, [too_long], 1)
        outcome = ImportOutcome(lot.file_name, "accepted")
        kept_path = partial = None
        if keep:  # what a killed import left, settled before this one numbers its own
            kept.recover(db_path, con)
        try:
            with transaction(con):
                import_id, submission_id = q.fetch_one(con, "next_ids")
                at = (imported_at or datetime.now()).replace(microsecond=0)
                kept_name = kept_file_name(import_id, received_on, at, lot.file_name, lot=True)
                q.execute(con, "insert_import", [import_id, lot.file_name, sha, received_on, at, kept_name])
                if keep:
                    q.execute(con, "insert_import_author", [import_id, viewer.email, viewer.name, viewer.role.value])
                if checked is None:  # conventions
                    importer = _Importer(con, calls, received_on)
                    for scope in tables[0].scopes:
                        outcome.changes.append(importer.write(import_id, tables[0], scope, submission_id))
                        submission_id += 1
                    warnings: list[str] = importer.warnings
                else:
                    outcome.changes, warnings = _write_scopes(
                        con, checked, import_id, submission_id, calls, received_on
                    )
                if keep:  # on disk under a partial name before the commit (`ingest.kept`)
                    kept_path = kept_files_dir(db_path) / kept_name
                    kept.fault_point("avant-copie")
                    partial = kept.write_partial(kept_path, path)
                    kept.fault_point("avant-commit")
        except BaseException:
            if partial is not None:
                partial.unlink(missing_ok=True)
            raise
        if keep:  # committed: who imported it, then the kept copy under its name — with the file still held,
            # so that no other writer's `recover` settles this partial at the same time
            warnings = kept.settle_committed(db_path, import_id, viewer, partial, kept_path) + warnings
    outcome.import_id = import_id
    outcome.warnings = warnings[:SHOWN_WARNINGS]
    if len(warnings) > SHOWN_WARNINGS:
        outcome.warnings.append(f"… et {len(warnings) - SHOWN_WARNINGS} autre(s) avertissement(s)")
    outcome.message = _summary(import_id, outcome.changes)
    return outcome


def _summary(import_id: int, changes: list[ScopeChange]) -> str:
    """One line for thousands of scopes: how many, new or replacing, the network heads and years."""
    new = sum(1 for c in changes if c.previous_version is None)
    heads = len({c.network_head for c in changes})
    years = sorted({c.year for c in changes})
    span = str(years[0]) if len(years) == 1 else f"{years[0]} à {years[-1]}"
    kind = changes[0].kind if changes else ""
    what = {"indicateurs": "trimestres d'indicateurs", "personnel": "trimestres de dépenses de personnel"}.get(
        kind, "conventions"
    )
    late = sum(1 for c in changes if c.on_time is False and not c.previous_version)
    text = (
        f"importé en lot (import n° {import_id}) : {len(changes)} {what} ({new} nouveaux, "
        f"{len(changes) - new} remplacés), {heads} tête(s) de réseau, {span}"
    )
    return text + (f", dont {late} reçu(s) en retard" if late else "")
