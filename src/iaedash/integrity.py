"""`iaedash check`: the database against the kept files, which are the Département's record.

Every kept file must have its import and every import its kept file, with the same SHA-256; what each import
stored — per part (kind, network head, year, quarter): how many lines, their sum (values, monthly costs, a
convention's planned staff cost), and for staff costs the amounts and eligible lines the call's rules give —
must equal a re-read of its kept file through the same checks (`ahead.check_file` for a quarterly file, the
bulk reader and checks for a `+lot` file). The acts file must hold every act of the database (a rebuild
replays them from there) and no act of an import the database does not have. A difference is said in
French, one line each. What a killed process left is settled first, as any writer would
(`ingest.kept.recover`, `ingest.kept.settle_acts`), and said.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Mapping
from contextlib import closing
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import duckdb

from iaedash.calls import all_calls
from iaedash.db import queries as q
from iaedash.db.connection import connect
from iaedash.domain.calls import Call
from iaedash.domain.staff import assess_staff_line
from iaedash.formatting import format_number
from iaedash.ingest import bulk, kept
from iaedash.ingest.ahead import Checked, checked_in_order
from iaedash.ingest.check import CheckedTable, check_table, detect_kind
from iaedash.ingest.load import KIND_LABELS, parse_kept_file_name
from iaedash.ingest.problems import Problem, escape_controls
from iaedash.ingest.read import UnreadableFile
from iaedash.settings import kept_files_dir

Part = tuple[str, str, int, int | None]  # kind, network head, year, quarter


@dataclass(frozen=True)
class Measures:
    """What one part holds: its lines and their sum; for staff costs, the amounts and eligible lines too."""

    lines: int
    total: Decimal
    amount: Decimal = Decimal(0)
    eligible: int = 0

    def __add__(self, other: Measures) -> Measures:
        return Measures(
            self.lines + other.lines,
            self.total + other.total,
            self.amount + other.amount,
            self.eligible + other.eligible,
        )


@dataclass
class Report:
    """What `check` found: differences (none: the database holds what the kept files say) and counts."""

    differences: list[str] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)
    files: int = 0
    lots: int = 0
    parts: int = 0

    @property
    def ok(self) -> bool:
        return not self.differences


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 22):
            digest.update(block)
    return digest.hexdigest()


def _shown(part: Part) -> str:
    kind, head, year, quarter = part
    return f"{KIND_LABELS.get(kind, kind)} {head} {f'T{quarter} ' if quarter else ''}{year}"


def _staff_line(call: Call, cost: Decimal, rate: Decimal, support: bool, count: int = 1) -> Measures:
    assessed = assess_staff_line(call, cost, rate, support)
    return Measures(count, cost * count, assessed.amount * count, count if assessed.eligible else 0)


def _parts_of_tables(checked: Checked, calls: Mapping[int, Call]) -> dict[Part, Measures] | str:
    """Measures per part of a file's checked tables, or why it no longer passes the checks."""
    tables = [t for t in checked if isinstance(t, CheckedTable)]
    problems = [p for p in checked if isinstance(p, Problem)] + [p for t in tables for p in t.problems]
    if problems:
        return f"ne passe plus les contrôles ({problems[0]})"
    parts: dict[Part, Measures] = {}
    for table in tables:
        for scope in table.scopes:
            if scope.kind == "indicateurs":
                measures = Measures(len(scope.rows), sum((Decimal(r.value) for r in scope.rows), Decimal(0)))
            elif scope.kind == "personnel":
                call = calls[scope.year]
                measures = Measures(0, Decimal(0))
                for r in scope.rows:
                    measures += _staff_line(call, r.monthly_cost, r.assignment_rate, r.support_function)
            else:
                measures = Measures(1, scope.rows[0].planned_staff_cost)
            parts[scope.key] = measures
    return parts


def _reread_lot(name: str, path: Path, calls: Mapping[int, Call]) -> dict[Part, Measures] | str:
    """A kept bulk file read again through the bulk reader and checks, its rows summed per part."""
    try:
        lot = bulk.read_lot(path, name)
    except UnreadableFile as error:
        return f"ne se relit plus ({error.problem})"
    kind = detect_kind(lot.headers)
    if kind is None or kind == "conventions":  # conventions go row by row, as `import_lot` takes them
        return _parts_of_tables([check_table(bulk._conventions_table(lot), calls)], calls)
    with closing(duckdb.connect()) as con:  # the bulk checks' set-based steps, on the file's rows alone
        checked = bulk.check_lot(lot, calls, con)
    if checked.problems.num_rows or checked.rows is None:
        shown = bulk.first_problems(name, checked.problems, 1)
        return f"ne passe plus les contrôles ({shown[0] if shown else 'colonnes incomplètes'})"
    scope = ["reseau", "annee", "trimestre"]
    parts: dict[Part, Measures] = defaultdict(lambda: Measures(0, Decimal(0)))
    if kind == "indicateurs":
        grouped = checked.rows.group_by(scope).aggregate([("line", "count"), ("valeur", "sum")])
        for r in grouped.to_pylist():
            parts[(kind, r["reseau"], r["annee"], r["trimestre"])] = Measures(r["line_count"], Decimal(r["valeur_sum"]))
        return dict(parts)
    combination = [*scope, "cout_mensuel", "taux_affectation", "fonction_support"]
    for r in checked.rows.group_by(combination).aggregate([("line", "count")]).to_pylist():
        line = _staff_line(
            calls[r["annee"]], r["cout_mensuel"], r["taux_affectation"], r["fonction_support"], r["line_count"]
        )
        parts[(kind, r["reseau"], r["annee"], r["trimestre"])] += line
    return dict(parts)


def _compared(import_id: int, kept_name: str, held: dict[Part, Measures], reread: dict[Part, Measures]) -> list[str]:
    out = []
    for part in sorted(set(reread) | set(held), key=str):
        if part not in held:
            out.append(f"import n° {import_id} : {_shown(part)} relu dans {kept_name} mais absent de la base")
        elif part not in reread:
            out.append(f"import n° {import_id} : {_shown(part)} dans la base mais pas dans {kept_name}")
        elif held[part] != reread[part]:
            base, file = held[part], reread[part]
            text = (
                f"import n° {import_id} : {_shown(part)} : la base a {format_number(base.lines)} ligne(s) pour un "
                f"total de {format_number(base.total, 2)}, le fichier conservé {format_number(file.lines)} pour "
                f"{format_number(file.total, 2)}"
            )
            if (base.amount, base.eligible) != (file.amount, file.eligible):
                text += (
                    f" ; montants retenus {format_number(base.amount, 2)} dans la base, "
                    f"{format_number(file.amount, 2)} d'après le fichier ; lignes éligibles "
                    f"{format_number(base.eligible)} dans la base, {format_number(file.eligible)} d'après le fichier"
                )
            out.append(text)
    return out


def _acts_differences(db_path: Path, in_database: set[tuple[str, int]], imports: set[int]) -> list[str]:
    """Acts the acts file holds but the database does not (a rebuild would add them, or fail on an author of
    an import it does not have); the other way round is settled before (`kept.settle_acts`)."""
    out = []
    for table, number in sorted(kept.act_keys(db_path) - in_database):
        if table == "import_authors" and number not in imports:
            out.append(f"le fichier des actes nomme l'auteur d'un import n° {number} que la base n'a pas")
        else:
            out.append(f"le fichier des actes a un acte ({table} n° {number}) que la base n'a pas")
    return out


def check(db_path: Path) -> Report:
    """Compare the database at `db_path` with its kept files and acts file (see the module's docstring)."""
    report = Report()
    calls = all_calls()
    with connect(db_path, read_only=False) as con:  # settled and read while no other writer can commit
        report.recovered = kept.recover(db_path, con) + kept.settle_acts(db_path, con)
        imports = q.fetch_all(con, "integrity_imports")
        stored: dict[int, dict[Part, Measures]] = defaultdict(dict)
        for import_id, kind, head, year, quarter, lines, total, amount, eligible in q.fetch_all(
            con, "integrity_scopes"
        ):
            stored[import_id][(kind, head, year, quarter)] = Measures(lines, total, amount, eligible)
        in_database = {(table, number) for table, number in q.fetch_all(con, "act_keys")}
        folder = kept_files_dir(db_path)
        on_disk = {p.name: p for p in folder.iterdir() if parse_kept_file_name(p.name)} if folder.is_dir() else {}
        left = kept.partials(db_path)
    for partial in left:
        report.differences.append(
            f"copie provisoire {partial.name} laissée par un import interrompu : son import est validé mais elle "
            "n'a pas son contenu (empreinte SHA-256 différente), ou son fichier conservé existe déjà"
        )
    report.differences += _acts_differences(db_path, in_database, {row[0] for row in imports})
    named = {row[3] for row in imports}
    for name in sorted(set(on_disk) - named):
        report.differences.append(f"fichier conservé sans import dans la base : {name}")
    quarterly: list[tuple[int, str, str, Path]] = []
    for import_id, file_name, sha256, kept_name, received_on, imported_at in imports:
        path = on_disk.get(kept_name)
        if path is None:
            report.differences.append(
                f"import n° {import_id} (« {escape_controls(file_name)} ») sans son fichier conservé {kept_name}"
            )
            continue
        name = parse_kept_file_name(kept_name)
        said = (name.import_id, name.original, name.received_on, name.imported_at)
        if said != (import_id, file_name, received_on, imported_at):  # what a rebuild would give back instead
            report.differences.append(
                f"import n° {import_id} : la base a « {escape_controls(file_name)} » reçu le {received_on:%d/%m/%Y}, "
                f"importé le {imported_at:%d/%m/%Y à %H:%M:%S} ; le nom de son fichier conservé {kept_name} dit "
                f"n° {name.import_id}, « {escape_controls(name.original)} » reçu le {name.received_on:%d/%m/%Y}, "
                f"importé le {name.imported_at:%d/%m/%Y à %H:%M:%S}"
            )
        if not name.lot:
            quarterly.append((import_id, sha256, kept_name, path))
            continue
        if _sha256(path) != sha256:
            report.differences.append(_changed(kept_name, import_id))
            continue
        report.lots += 1
        reread = _reread_lot(name.original, path, calls)
        report.differences += _verdict(report, import_id, kept_name, stored.get(import_id, {}), reread)
    files = [(parse_kept_file_name(kept_name).original, path) for _, _, kept_name, path in quarterly]
    with checked_in_order(files, calls) as checks:  # checked in a second process when there are many
        for (import_id, sha256, kept_name, _path), (_name, data, checked) in zip(quarterly, checks, strict=True):
            if hashlib.sha256(data).hexdigest() != sha256:
                report.differences.append(_changed(kept_name, import_id))
                continue
            report.files += 1
            reread = _parts_of_tables(checked, calls)
            report.differences += _verdict(report, import_id, kept_name, stored.get(import_id, {}), reread)
    return report


def _changed(kept_name: str, import_id: int) -> str:
    return f"le fichier conservé {kept_name} n'a plus le contenu importé (SHA-256 différent) : import n° {import_id}"


def _verdict(
    report: Report, import_id: int, kept_name: str, held: dict[Part, Measures], reread: dict[Part, Measures] | str
) -> list[str]:
    if isinstance(reread, str):
        return [f"le fichier conservé {kept_name} {reread}"]
    report.parts += len(set(held) | set(reread))
    return _compared(import_id, kept_name, held, reread)
