"""Import submission files: check everything, then write one file in one transaction.

A file is the unit of all-or-nothing: any problem and nothing of it is written.
Each accepted file is kept as received under depots/ beside the database, its
name carrying the import number, the date received and the import time, so that
`rebuild` can recreate the whole database from those files alone.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from iaedash.calls import all_calls
from iaedash.db import queries as q
from iaedash.db.connection import DatabaseBusyError, transaction, writing
from iaedash.db.schema import ensure_schema
from iaedash.domain.access import Viewer
from iaedash.domain.calls import Call, is_late, submission_due_date
from iaedash.domain.review import ReviewStatus
from iaedash.domain.staff import RateChange, assess_staff_line, find_rate_changes
from iaedash.formatting import format_date
from iaedash.ingest import kept
from iaedash.ingest.ahead import Checked, check_file
from iaedash.ingest.check import CheckedTable, ConventionRow, IndicatorRow, Scope, StaffRow
from iaedash.ingest.problems import Problem, escape_controls
from iaedash.ingest.read import UnreadableFile, read_path
from iaedash.journal import JournalAction, record
from iaedash.review import Scope as ReviewScope
from iaedash.review import states_in
from iaedash.settings import kept_files_dir

KIND_LABELS = {"indicateurs": "indicateurs", "personnel": "dépenses de personnel", "conventions": "convention"}
_KEPT_NAME = re.compile(r"^(\d{6})_(\d{4}-\d{2}-\d{2})_(\d{8}T\d{6})(\+lot)?_(.+)$")
LOT_MARK = "+lot"  # after the import time in a kept file's name: a bulk file (`import --lot`), replayed as one
# Money and rates go to DuckDB as wide exact decimals: the store's decimal(14, 2) / (5, 2) columns cast them,
# and refuse (a duckdb.Error: the file is refused) a value they cannot hold, as a bound Decimal would be.
_MONEY = pa.decimal128(38, 2)


@dataclass(frozen=True)
class ScopeChange:
    """What one scope of an accepted (or previewed) file does to the store."""

    kind: str
    network_head: str
    year: int
    quarter: int | None
    version: int
    previous_version: int | None
    on_time: bool | None
    due_date: date | None

    def describe(self) -> str:
        period = f"T{self.quarter} {self.year}" if self.quarter else str(self.year)
        text = f"{KIND_LABELS[self.kind]} {self.network_head} {period} : version {self.version}"
        text += f" (remplace la version {self.previous_version})" if self.previous_version else " (nouveau)"
        if self.on_time is False and self.due_date and not self.previous_version:
            text += f", reçu en retard (attendu au plus tard le {format_date(self.due_date)})"
        return text


@dataclass
class ImportOutcome:
    file_name: str
    status: str  # "accepted" | "duplicate" | "refused"
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    changes: list[ScopeChange] = field(default_factory=list)
    import_id: int | None = None
    message: str = ""

    def __setattr__(self, name: str, value: object) -> None:
        # a file's name comes from outside: printed as is, its control characters could drive a terminal
        if name in ("file_name", "message") and isinstance(value, str):
            value = escape_controls(value)
        super().__setattr__(name, value)

    @property
    def ok(self) -> bool:
        return self.status != "refused"


@dataclass(frozen=True)
class IncomingFile:
    name: str
    data: bytes

    @classmethod
    def from_path(cls, path: Path) -> IncomingFile:
        """A regular file within the size limit (`read.read_path`: no FIFO, device or endless stream)."""
        return cls(path.name, read_path(path))

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


TECHNICAL_LOG = "journal-technique.log"  # tracebacks for the maintainer, beside the database (`cli.main`)
UNEXPECTED = (
    "erreur inattendue pendant l'import de ce fichier : rien n'en a été importé ; le détail est dans le journal "
    f"technique ({TECHNICAL_LOG} à côté de la base, ou la sortie d'erreur du serveur) : signalez-le au "
    "responsable d'iaedash"
)
log = logging.getLogger("iaedash.import")


def unexpected_refusal(name: str) -> ImportOutcome:
    """A file that broke the import (a bug, not the file's fault alone): refused, its traceback (of the
    exception being handled) logged for the maintainer, and the other files of the command go on. Both import
    paths (`import_files`, `bulk.import_lot`) use it."""
    log.exception("import de %r : erreur inattendue", name)
    problem = Problem(name, UNEXPECTED)
    return ImportOutcome(name, "refused", [problem], message="refusé : 1 erreur(s), rien n'a été importé")


def busy_refusal(name: str, error: DatabaseBusyError) -> ImportOutcome:
    """The database stayed held by another program past the wait: this file is not imported (nor are the
    ones after it, which would wait as long), and the person is told to try again."""
    problem = Problem(name, f"{error} : ce fichier n'a pas été importé")
    return ImportOutcome(name, "refused", [problem], message="refusé : base occupée, rien n'a été importé")


def _unexpected(file: IncomingFile) -> ImportOutcome:
    return unexpected_refusal(file.name)


def _check_file(incoming: IncomingFile, calls: Mapping[int, Call]) -> Checked:
    try:
        return check_file(incoming.name, incoming.data, calls)
    except Exception:  # the checks of one file must not stop the others
        log.exception("vérification de %r : erreur inattendue", incoming.name)
        return [Problem(incoming.name, UNEXPECTED)]


_ESCAPED = re.compile(r"[%/\\\x00-\x1f]")  # what a path cannot hold (and %, the escape itself): written %XX
_UNESCAPED = re.compile(r"%(25|2F|5C|[01][0-9A-F])")  # exactly those, so an older kept name's other % stay
# A kept name and its partial form (`.<name>.partial`) within the file system's 255 bytes, with a 7-digit import
# number and the bulk mark: what is left for the name as sent, once escaped.
KEPT_ORIGINAL_BYTES = 255 - len("..partial") - len("0000000_2025-01-01_20250101T000000+lot_")


def _kept_original(name: str) -> str:
    """The name as sent, written so that a rebuild reads it back identically (`parse_kept_file_name`)."""
    return _ESCAPED.sub(lambda m: f"%{ord(m.group()):02X}", name) or "depot"


def kept_name_problem(name: str) -> Problem | None:
    """A name whose escaped form would not fit a kept file's name (only a name near the 200-byte limit full of
    characters a path cannot hold): refused before anything is written."""
    size = len(_kept_original(name).encode("utf-8", "surrogateescape"))
    if size <= KEPT_ORIGINAL_BYTES:
        return None
    return Problem(
        name,
        f"nom de fichier trop long pour sa copie conservée ({size} octets une fois ses caractères spéciaux "
        f"écrits, {KEPT_ORIGINAL_BYTES} au plus) : raccourcissez-le, par exemple RESEAU_2025_T1_indicateurs.csv",
    )


def kept_file_name(
    import_id: int, received_on: date, imported_at: datetime, original: str, *, lot: bool = False
) -> str:
    """The kept copy's name: import number, day received, import time, bulk mark, and the name as sent (what a
    path cannot hold written %XX, so that `rebuild` gives the very name back)."""
    mark = LOT_MARK if lot else ""
    return f"{import_id:06d}_{received_on:%Y-%m-%d}_{imported_at:%Y%m%dT%H%M%S}{mark}_{_kept_original(original)}"


@dataclass(frozen=True)
class KeptName:
    """What a kept file's name says: import number, day received, import time, name as sent, bulk or not."""

    import_id: int
    received_on: date
    imported_at: datetime
    original: str
    lot: bool


def parse_kept_file_name(name: str) -> KeptName | None:
    match = _KEPT_NAME.match(name)
    if not match:
        return None
    number, received, imported, lot, original = match.groups()
    when = datetime.strptime(imported, "%Y%m%dT%H%M%S")
    original = _UNESCAPED.sub(lambda m: chr(int(m.group(1), 16)), original)
    return KeptName(int(number), date.fromisoformat(received), when, original, lot is not None)


def rate_change_warning(network_head: str, year: int, change: RateChange) -> str:
    """A rate that varies within the year: a warning (the call prefers a fixed monthly rate), for both paths."""
    rates = ", ".join(f"{format(rate, 'f').replace('.', ',')} %" for rate in change.rates)
    months = ", ".join(str(m) for m in change.months)
    return (
        f"{network_head} {year} : le taux d'affectation de {change.employee} varie ({rates} ; change au mois "
        f"{months}) : l'appel privilégie un pourcentage mensuel fixe, le service instructeur l'examinera strictement"
    )


class _Importer:
    """Writes the scopes of one checked file inside an open transaction."""

    def __init__(self, con: duckdb.DuckDBPyConnection, calls: Mapping[int, Call], received_on: date) -> None:
        self.con = con
        self.calls = calls
        self.received_on = received_on
        self.warnings: list[str] = []

    def check_conventions(self, tables: list[CheckedTable]) -> list[Problem]:
        known = set(q.fetch_all(self.con, "conventions_known"))
        known |= {(s.network_head, s.year) for t in tables for s in t.scopes if s.kind == "conventions"}
        problems = []
        for table in tables:
            for scope in table.scopes:
                if scope.kind != "conventions" and (scope.network_head, scope.year) not in known:
                    problems.append(
                        Problem(
                            table.file_name,
                            f"aucune convention {scope.year} pour le réseau « {scope.network_head} » : "
                            "la convention doit être importée avant les dépôts trimestriels",
                            scope.first_line,
                            "reseau",
                            table.sheet,
                        )
                    )
        return problems

    def check_rights(self, tables: list[CheckedTable], viewer: Viewer) -> list[Problem]:
        """A network head's account sends quarterly files for its own network heads only."""
        problems = []
        for table in tables:
            for scope in table.scopes:
                if viewer.may_submit(scope.kind, scope.network_head):
                    continue
                if scope.kind == "conventions":
                    text = "une convention est importée par le Département, pas déposée par une tête de réseau"
                else:
                    own = ", ".join(sorted(viewer.network_heads or ())) or "aucun réseau"
                    text = (
                        f"ce fichier concerne le réseau « {scope.network_head} » : votre compte ne peut déposer "
                        f"que pour {own}"
                    )
                problems.append(Problem(table.file_name, text, scope.first_line, "reseau", table.sheet))
        return problems

    def check_locks(self, tables: list[CheckedTable]) -> list[Problem]:
        """A locked quarter (or convention) refuses any new version until a gestionnaire unlocks it."""
        problems = []
        wanted = [s for t in tables for s in t.scopes]
        states = {}
        for year in sorted({s.year for s in wanted}):
            heads = tuple(sorted({s.network_head for s in wanted if s.year == year}))
            params = {"year": year, "network_heads": list(heads), "allowed": None}
            if not q.fetch_one(self.con, "locks_in_year", params)[0]:
                continue  # never locked, so not locked now (a lock is the last act of a locked scope)
            states.update({state.scope: state for state in states_in(self.con, year, heads)})
        for table in tables:
            for scope in table.scopes:
                state = states.get(ReviewScope(scope.network_head, scope.year, scope.quarter))
                if state is None or state.status is not ReviewStatus.LOCKED or state.last is None:
                    continue
                when = f"le {state.last.at:%d/%m/%Y à %H:%M} par {state.last.actor}"
                if scope.quarter:
                    what = f"trimestre verrouillé {when} (T{scope.quarter} {scope.year} de {scope.network_head})"
                else:
                    what = f"convention verrouillée {when} ({scope.year} de {scope.network_head})"
                problems.append(
                    Problem(
                        table.file_name,
                        f"{what} : aucune nouvelle version n'est acceptée avant son déverrouillage par un "
                        "gestionnaire de la Direction",
                        scope.first_line,
                        "trimestre" if scope.quarter else "reseau",
                        table.sheet,
                    )
                )
        return problems

    def write(self, import_id: int, table: CheckedTable, scope: Scope, submission_id: int) -> ScopeChange:
        call = self.calls[scope.year]
        on_time = due = None
        if scope.quarter is not None:
            due = submission_due_date(call, scope.quarter)
            on_time = not is_late(call, scope.quarter, self.received_on)
        [version] = q.fetch_one(
            self.con,
            "insert_submission",
            {
                "submission_id": submission_id,
                "import_id": import_id,
                "kind": scope.kind,
                "network_head": scope.network_head,
                "year": scope.year,
                "quarter": scope.quarter,
                "sheet": table.sheet,
                "on_time": on_time,
            },
        )
        previous = version - 1 or None  # the version it replaces; None for a new scope
        if scope.kind == "indicateurs":
            self._write_indicators(submission_id, scope.rows)
        elif scope.kind == "personnel":
            self._write_staff(submission_id, scope, call)
        else:
            self._write_convention(submission_id, scope.rows[0])
        return ScopeChange(scope.kind, scope.network_head, scope.year, scope.quarter, version, previous, on_time, due)

    def _write_indicators(self, submission_id: int, rows: list[IndicatorRow]) -> None:
        table = pa.table(
            {
                "orientation": pa.array([r.orientation for r in rows], pa.string()),
                "indicator": pa.array([r.indicator for r in rows], pa.string()),
                "territory": pa.array([r.territory for r in rows], pa.string()),
                "value": pa.array([r.value for r in rows], pa.int64()),
                "comment": pa.array([r.comment for r in rows], pa.string()),
                "source_line": pa.array([r.line for r in rows], pa.int64()),
            }
        )
        q.execute_over(
            self.con, "file_insert_indicator_values", {"file_indicator_rows": table}, {"submission_id": submission_id}
        )

    def _write_staff(self, submission_id: int, scope: Scope, call: Call) -> None:
        rows: list[StaffRow] = scope.rows
        assessed = [assess_staff_line(call, r.monthly_cost, r.assignment_rate, r.support_function) for r in rows]
        table = pa.table(
            {
                "month": pa.array([r.month for r in rows], pa.int64()),
                "employee": pa.array([r.employee for r in rows], pa.string()),
                "job_title": pa.array([r.job_title for r in rows], pa.string()),
                "support_function": pa.array([r.support_function for r in rows], pa.bool_()),
                "monthly_cost_eur": pa.array([r.monthly_cost for r in rows], _MONEY),
                "assignment_rate": pa.array([r.assignment_rate for r in rows], _MONEY),
                "amount_eur": pa.array([a.amount for a in assessed], _MONEY),
                "eligible": pa.array([a.eligible for a in assessed], pa.bool_()),
                "ineligibility_reason": pa.array([a.reason for a in assessed], pa.string()),
                "source_line": pa.array([r.line for r in rows], pa.int64()),
            }
        )
        q.execute_over(
            self.con, "file_insert_staff_lines", {"file_staff_rows": table}, {"submission_id": submission_id}
        )
        stored = q.fetch_all(
            self.con,
            "staff_rates_of_year",
            {"network_head": scope.network_head, "year": scope.year, "quarter": scope.quarter},
        )
        new = [(r.employee, r.month, r.assignment_rate) for r in rows]
        employees = {r.employee for r in rows}
        for change in find_rate_changes([*stored, *new]):
            if change.employee in employees:
                self.warnings.append(rate_change_warning(scope.network_head, scope.year, change))

    def _write_convention(self, submission_id: int, r: ConventionRow) -> None:
        q.execute(
            self.con,
            "insert_convention",
            [
                submission_id,
                r.name,
                r.start_date,
                r.end_date,
                r.planned_staff_cost,
                r.planned_total_cost,
                r.esf_amount,
                r.department_amount,
                r.self_financing,
                r.advance_paid,
                r.advance_date,
                r.line,
            ],
        )
        targets = pa.table(
            {
                "indicator": pa.array(list(r.targets), pa.string()),
                "target": pa.array(list(r.targets.values()), pa.int64()),
            }
        )
        q.execute_over(self.con, "file_insert_targets", {"file_targets": targets}, {"submission_id": submission_id})


def _kind_order(checked: list[CheckedTable] | list[Problem]) -> int:
    """Conventions first, so a batch holding a convention and its quarters loads in one go."""
    return 0 if any(isinstance(t, CheckedTable) and t.kind == "conventions" for t in checked) else 1


def import_files(
    db_path: Path,
    incoming: Sequence[IncomingFile],
    received_on: date,
    *,
    viewer: Viewer | None = None,
    dry_run: bool = False,
    imported_at: datetime | None = None,
    keep: bool = True,
    con: duckdb.DuckDBPyConnection | None = None,
    in_transaction: bool = False,
    checked: Sequence[Checked] | None = None,
) -> list[ImportOutcome]:
    """Import each file on its own (a refused file does not stop the others); outcome i is about file i.

    `viewer` is who imports (default: the CLI's operator, named after the system user): a `reseau` account
    may send only its own quarterly files, and the import is recorded under its name; a refused file is
    recorded in the journal (not during a dry run).

    Conventions go first, so a batch holding a convention and its quarters loads in one go.
    The files of one call go through one connection, each in a transaction of its own (all or nothing per
    file); between two files a waiting reader of this process gets its turn (`connection.WriteSession`).
    `dry_run` is the preview of the upload page: the whole batch runs in one transaction that is rolled
    back, so a later file sees what an earlier one would add (its convention, a previous version).
    `keep=False` is for `rebuild`, whose files are already kept. `con` is a read-write connection to
    `db_path` that the caller holds, with the current schema (`rebuild`): the files go through it, and it
    stays open. `in_transaction` (with `con`, and `keep=False` only: a kept file must be on disk when its
    import commits) says that `con` is inside a transaction of the caller's, which each file's writes join
    instead of committing one by one: `rebuild` replays many kept files in one, since any file that fails
    fails it all; the caller commits, or rolls back after a refusal. `checked` are the files' checks when
    the caller already made them (`ahead.check_file` of the same bytes, with the same calls: `rebuild` has
    them made in another process while it writes).
    """
    if in_transaction and (con is None or keep):
        raise ValueError("in_transaction needs the caller's connection, and keep=False")
    calls = all_calls()
    who = viewer or Viewer.operator(getpass.getuser())
    if checked is None:
        checked = [_check_file(file, calls) for file in incoming]
    elif len(checked) != len(incoming):
        raise ValueError("one check per file")
    items = [(index, file, result) for index, (file, result) in enumerate(zip(incoming, checked, strict=True))]
    items.sort(key=lambda item: _kind_order(item[2]))
    outcomes: dict[int, ImportOutcome] = {}
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with nullcontext() if con is not None else writing(db_path, prepare=_prepare_writer) as session:
        if keep and session is not None:  # what a killed import left, settled before this one numbers its own
            for line in kept.recover(db_path, session.con):
                log.warning(line)
        if dry_run:
            batch = con if con is not None else session.con
            batch.begin()
            try:
                seen: dict[str, str] = {}
                for index, file, result in items:
                    if file.sha256 in seen:
                        outcomes[index] = ImportOutcome(
                            file.name, "duplicate", message=f"identique à « {seen[file.sha256]} » de ce même dépôt"
                        )
                        continue
                    seen[file.sha256] = file.name
                    try:
                        outcomes[index] = _import_one(
                            batch, db_path, file, result, calls, received_on, who, preview=True
                        )
                    except duckdb.Error as error:  # the batch transaction is lost: start a clean one
                        batch.rollback()
                        batch.begin()
                        outcomes[index] = _store_refusal(file, error)
                    except Exception:
                        batch.rollback()
                        batch.begin()
                        outcomes[index] = _unexpected(file)
            finally:
                batch.rollback()
        else:
            busy: DatabaseBusyError | None = None
            for index, file, result in items:
                if busy is not None:  # reopening after a turn found the file held by another program
                    outcomes[index] = busy_refusal(file.name, busy)
                    continue
                try:
                    outcomes[index] = _import_one(
                        con if con is not None else session.con,
                        db_path,
                        file,
                        result,
                        calls,
                        received_on,
                        who,
                        imported_at=imported_at,
                        keep=keep,
                        joined=in_transaction,
                    )
                except duckdb.Error as error:  # rolled back by its transaction; the other files go on
                    outcomes[index] = _store_refusal(file, error)
                except DatabaseBusyError as error:  # not this file's fault, nor a bug: said as such
                    busy = error
                    outcomes[index] = busy_refusal(file.name, error)
                    continue  # the journal is in the same database: it cannot record the refusal either
                except Exception:  # rolled back by its transaction too; said, and the other files go on
                    outcomes[index] = _unexpected(file)
                if keep and outcomes[index].status == "refused":
                    record_refusal_safely(db_path, who, outcomes[index])
                if session is not None:
                    session.turn()
    return [outcomes[index] for index in range(len(incoming))]


def _prepare_writer(con: duckdb.DuckDBPyConnection) -> None:
    """A batch's connection, at each opening: the current schema, and one thread for its small statements."""
    ensure_schema(con)
    q.execute(con, "small_statements")


def record_refusal(db_path: Path, viewer: Viewer, outcome: ImportOutcome) -> None:
    """A refused file in the journal: who sent it, its name and its first problems."""
    first = "; ".join(p.message for p in outcome.problems[:3])
    more = f" (et {len(outcome.problems) - 3} autre(s))" if len(outcome.problems) > 3 else ""
    record(db_path, viewer, JournalAction.IMPORT_REFUSED, f"{outcome.file_name} : {first}{more}")


def record_refusal_safely(db_path: Path, viewer: Viewer, outcome: ImportOutcome) -> None:
    """`record_refusal` for a command of many files: failing to journal one refusal (the database held by
    another program, a bug) is logged for the maintainer and must not stop the verdicts of the others."""
    try:
        record_refusal(db_path, viewer, outcome)
    except Exception:
        log.exception("journal du refus de %r : erreur inattendue", outcome.file_name)


def _store_refusal(file: IncomingFile, error: duckdb.Error) -> ImportOutcome:
    """A value the checks let through but the store refused: the file is refused, nothing is written."""
    problem = Problem(file.name, f"refusé par la base de données, rien n'a été importé ({type(error).__name__})")
    return ImportOutcome(file.name, "refused", [problem], message="refusé : 1 erreur(s), rien n'a été importé")


def _import_one(
    con: duckdb.DuckDBPyConnection,
    db_path: Path,
    file: IncomingFile,
    checked: list[CheckedTable] | list[Problem],
    calls: Mapping[int, Call],
    received_on: date,
    viewer: Viewer,
    *,
    preview: bool = False,
    imported_at: datetime | None = None,
    keep: bool = True,
    joined: bool = False,
) -> ImportOutcome:
    outcome = ImportOutcome(file.name, "refused")
    tables = [t for t in checked if isinstance(t, CheckedTable)]
    importer = _Importer(con, calls, received_on)
    known = q.fetch_one(con, "import_sha_known", {"sha256": file.sha256})[0]
    duplicate = q.fetch_one(con, "find_import_by_sha", {"sha256": file.sha256}) if known else None
    if duplicate:
        # a file the viewer may not send is refused even when already imported: « déjà importé » would tell
        # a network head about another's file (its import number, name and date)
        outcome.problems = importer.check_rights(tables, viewer)
        if outcome.problems:
            outcome.message = f"refusé : {len(outcome.problems)} erreur(s), rien n'a été importé"
            return outcome
        import_id, first_name, at, _received, versions = duplicate
        shown = ", ".join(str(v) for v in versions if v is not None) or "?"
        outcome.status, outcome.import_id = "duplicate", import_id
        outcome.message = (
            f"déjà importé le {at:%d/%m/%Y à %H:%M} (import n° {import_id}, « {first_name} », version {shown}) : "
            "rien n'a changé"
        )
        return outcome
    outcome.problems = [p for p in checked if isinstance(p, Problem)]
    outcome.problems += [p for t in tables for p in t.problems]
    if not outcome.problems:
        outcome.problems = importer.check_rights(tables, viewer)
    if not outcome.problems:
        outcome.problems = importer.check_conventions(tables) + importer.check_locks(tables)
    if not outcome.problems and keep and (too_long := kept_name_problem(file.name)):
        outcome.problems = [too_long]
    if outcome.problems:
        outcome.message = f"refusé : {len(outcome.problems)} erreur(s), rien n'a été importé"
        return outcome
    kept_path = partial = None
    try:
        with nullcontext() if preview or joined else transaction(con):
            import_id, submission_id = q.fetch_one(con, "next_ids")
            at = (imported_at or datetime.now()).replace(microsecond=0)
            name = kept_file_name(import_id, received_on, at, file.name)
            q.execute(con, "insert_import", [import_id, file.name, file.sha256, received_on, at, name])
            if keep:  # a rebuild carries the authors over from the previous database
                q.execute(con, "insert_import_author", [import_id, viewer.email, viewer.name, viewer.role.value])
            for table in tables:
                for scope in table.scopes:
                    outcome.changes.append(importer.write(import_id, table, scope, submission_id))
                    submission_id += 1
            if keep and not preview:  # on disk under a partial name before the commit (`ingest.kept`)
                kept_path = kept_files_dir(db_path) / name
                kept.fault_point("avant-copie")
                partial = kept.write_partial(kept_path, file.data)
                kept.fault_point("avant-commit")
    except BaseException:
        if partial is not None:
            partial.unlink(missing_ok=True)
        raise
    outcome.status, outcome.warnings = "accepted", importer.warnings
    if keep and not preview:  # committed: who imported it, then the kept copy under its name
        outcome.warnings += kept.settle_committed(db_path, import_id, viewer, partial, kept_path)
    described = " ; ".join(c.describe() for c in outcome.changes)
    if preview:
        outcome.message = f"aperçu : {described}"
    else:
        outcome.import_id = import_id
        outcome.message = f"importé (import n° {import_id}) : {described}"
    return outcome


def import_paths(
    db_path: Path, paths: Iterable[Path], received_on: date, viewer: Viewer | None = None
) -> list[ImportOutcome]:
    """CLI entry: files that cannot even be opened are refused with their reason."""
    incoming, unreadable = [], []
    for path in paths:
        try:
            incoming.append(IncomingFile.from_path(path))
        except UnreadableFile as error:
            unreadable.append(
                ImportOutcome(path.name, "refused", [error.problem], message="refusé : fichier illisible")
            )
        except Exception:  # reading one file must not stop the others either
            unreadable.append(unexpected_refusal(path.name))
    return unreadable + import_files(db_path, incoming, received_on, viewer=viewer)
