"""`iaedash check`: the database against the kept files, which are the Département's record.

Every kept file must have its import and every import its kept file, with the same SHA-256; and what each
import stored — per part (kind, network head, year, quarter): how many lines and their sum — must equal
a re-read of its kept file through the same checks. A difference is said in French, one line each. What a
killed import left is settled first (`ingest.kept.recover`), as any import would. Bulk files (`+lot`) are
checked for presence and SHA-256; their content is replayed by `rebuild`, not re-read here.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from iaedash.calls import all_calls
from iaedash.db import queries as q
from iaedash.db.connection import connect
from iaedash.formatting import format_number
from iaedash.ingest import kept
from iaedash.ingest.ahead import check_file
from iaedash.ingest.check import CheckedTable
from iaedash.ingest.load import parse_kept_file_name
from iaedash.settings import kept_files_dir

Part = tuple[str, str, int, int | None]  # kind, network head, year, quarter


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
    return f"{kind} {head} {f'T{quarter} ' if quarter else ''}{year}"


def _reread(name: str, data: bytes) -> dict[Part, tuple[int, Decimal]] | str:
    """Lines and sum per part of a kept file read again, or why it no longer reads."""
    checked = check_file(name, data, all_calls())
    tables = [t for t in checked if isinstance(t, CheckedTable)]
    problems = [p for p in checked if not isinstance(p, CheckedTable)] + [p for t in tables for p in t.problems]
    if problems:
        return f"ne passe plus les contrôles ({problems[0]})"
    parts: dict[Part, tuple[int, Decimal]] = {}
    for table in tables:
        for scope in table.scopes:
            if scope.kind == "indicateurs":
                total = sum((Decimal(r.value) for r in scope.rows), Decimal(0))
            elif scope.kind == "personnel":
                total = sum((r.monthly_cost for r in scope.rows), Decimal(0))
            else:
                total = scope.rows[0].planned_staff_cost
            parts[scope.key] = (len(scope.rows), total)
    return parts


def check(db_path: Path) -> Report:
    report = Report()
    with connect(db_path, read_only=False) as con:
        report.recovered = kept.recover(db_path, con)
        imports = q.fetch_all(con, "integrity_imports")
        stored: dict[int, dict[Part, tuple[int, Decimal]]] = defaultdict(dict)
        for import_id, kind, head, year, quarter, count, total in q.fetch_all(con, "integrity_scopes"):
            stored[import_id][(kind, head, year, quarter)] = (count, Decimal(total))
    folder = kept_files_dir(db_path)
    on_disk = {p.name: p for p in folder.iterdir() if parse_kept_file_name(p.name)} if folder.is_dir() else {}
    named = {kept_name for *_, kept_name in imports}
    for name in sorted(set(on_disk) - named):
        report.differences.append(f"fichier conservé sans import dans la base : {name}")
    for import_id, file_name, sha256, kept_name in imports:
        path = on_disk.get(kept_name)
        if path is None:
            report.differences.append(f"import n° {import_id} (« {file_name} ») sans son fichier conservé {kept_name}")
            continue
        if _sha256(path) != sha256:
            report.differences.append(
                f"le fichier conservé {kept_name} n'a plus le contenu importé (SHA-256 différent) : "
                f"import n° {import_id}"
            )
            continue
        name = parse_kept_file_name(kept_name)
        if name.lot:
            report.lots += 1
            continue
        report.files += 1
        reread = _reread(name.original, path.read_bytes())
        if isinstance(reread, str):
            report.differences.append(f"le fichier conservé {kept_name} {reread}")
            continue
        held = stored.get(import_id, {})
        for part in sorted(set(reread) | set(held), key=str):
            report.parts += 1
            if part not in held:
                report.differences.append(
                    f"import n° {import_id} : {_shown(part)} relu dans {kept_name} mais absent de la base"
                )
            elif part not in reread:
                report.differences.append(
                    f"import n° {import_id} : {_shown(part)} dans la base mais pas dans {kept_name}"
                )
            elif held[part] != reread[part]:
                (n_db, s_db), (n_file, s_file) = held[part], reread[part]
                report.differences.append(
                    f"import n° {import_id} : {_shown(part)} : la base a {format_number(n_db)} ligne(s) pour un total "
                    f"de {format_number(s_db, 2)}, le fichier conservé {format_number(n_file)} pour "
                    f"{format_number(s_file, 2)}"
                )
    return report
