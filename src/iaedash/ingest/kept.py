"""The kept copy of an accepted file: never an orphan, never lost, whatever stops the process.

Order, for one file: its bytes go to a hidden partial name beside the kept files (`.<kept name>.partial`,
which `store.kept_files` does not list), forced to disk with its folder entry; the import's transaction
commits; the partial is renamed to the kept name (atomic) and the folder forced to disk again. A process
killed before the commit leaves a partial whose import does not exist; killed after it, a partial whose
import does. `recover` — run before any import, `rebuild` or `check` — settles both: the first deleted (its
import number is free again), the second renamed into place (its SHA-256 compared with the import's).
It also appends to the acts file the import's author when a kill came between the commit and its line.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import signal
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

from iaedash import acts
from iaedash.db import queries as q
from iaedash.domain.access import Viewer
from iaedash.settings import kept_files_dir

PARTIAL = ".partial"
FAULT_VARIABLE = "IAEDASH_FAULT_AT"  # tests only: the process kills itself at this named point
log = logging.getLogger("iaedash.import")
ACT_GRACE = timedelta(seconds=10)  # `settle_acts`: an act younger than this may still be on its way to the file


def fault_point(name: str) -> None:
    """A named point of the import where the crash tests stop the process dead (SIGKILL: no cleanup)."""
    if os.environ.get(FAULT_VARIABLE) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def partial_path(kept: Path) -> Path:
    return kept.with_name(f".{kept.name}{PARTIAL}")


def _sync_folder(folder: Path) -> None:
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def write_partial(kept: Path, data: bytes | Path) -> Path:
    """The copy under its partial name, on disk with its folder entry (bytes, or a file copied as is)."""
    kept.parent.mkdir(parents=True, exist_ok=True)
    partial = partial_path(kept)
    with partial.open("wb") as out:
        if isinstance(data, Path):
            with data.open("rb") as source:
                shutil.copyfileobj(source, out, 1 << 22)
        else:
            out.write(data)
        out.flush()
        os.fsync(out.fileno())
    _sync_folder(kept.parent)
    return partial


def publish(partial: Path, kept: Path) -> None:
    """Once the import has committed: the partial becomes the kept file, durably."""
    partial.replace(kept)
    _sync_folder(kept.parent)


UNPUBLISHED = (
    "importé, mais sa copie conservée n'a pas encore pris son nom définitif (le détail est dans le journal "
    "technique) : le prochain import, « iaedash check » ou « iaedash rebuild » la mettra en place"
)


def settle_committed(db_path: Path, import_id: int, viewer: Viewer, partial: Path, kept: Path) -> list[str]:
    """After an import's commit: its author's act, then its partial copy renamed into place (both import
    paths). The import is committed whatever happens here, so a failure (disk full, a bug) must not call it
    refused: it is logged, said as a warning, and the next `recover` finishes the job (the partial is still
    there, its import committed; the author's act is restored if it is missing)."""
    try:
        fault_point("apres-commit")
        row = {"import_id": import_id, "actor_email": viewer.email, "actor_name": viewer.name}
        acts.append(db_path, "import_authors", {**row, "actor_role": viewer.role.value})
        fault_point("avant-renommage")
        publish(partial, kept)
        fault_point("apres-renommage")
    except Exception:
        log.exception("import n° %s : copie conservée %s non mise en place", import_id, kept.name)
        return [UNPUBLISHED]
    return []


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 22):
            digest.update(block)
    return digest.hexdigest()


def partials(db_path: Path) -> list[Path]:
    folder = kept_files_dir(db_path)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(f".*{PARTIAL}") if p.is_file())


def recover(db_path: Path, con: duckdb.DuckDBPyConnection) -> list[str]:
    """Settle what a killed import left (see the module's docstring); returns what was done, in French."""
    done = []
    for partial in partials(db_path):
        kept = partial.with_name(partial.name[1 : -len(PARTIAL)])
        found = q.fetch_all(con, "import_of_kept_file", {"kept_file": kept.name})
        if not found:
            partial.unlink()
            done.append(f"copie inachevée d'un import jamais enregistré supprimée : {partial.name}")
        elif found[0][1] == _sha256(partial) and not kept.exists():
            done += _recover_author(db_path, con, found[0][0])
            publish(partial, kept)
            done.append(f"copie conservée remise en place après un arrêt brutal : {kept.name}")
    return done


def _recover_author(db_path: Path, con: duckdb.DuckDBPyConnection, import_id: int) -> list[str]:
    """The import's author, committed in the database, appended to the acts file if a kill came between the
    commit and its line (the acts line is written before the partial is renamed: a renamed file has it)."""
    path = acts.acts_file(db_path)
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line) if line.strip() else {}
            if record.get("table") == "import_authors" and record["row"]["import_id"] == import_id:
                return []
    rows = q.fetch_all(con, "import_author_of", {"import_id": import_id})
    if not rows:
        return []
    acts.append(db_path, "import_authors", dict(zip(acts.TABLES["import_authors"], rows[0], strict=True)))
    return [f"auteur de l'import n° {import_id} recopié dans le fichier des actes"]


def act_keys(db_path: Path) -> set[tuple[str, int]]:
    """(table, number) of every act the acts file holds."""
    path = acts.acts_file(db_path)
    if not path.exists():
        return set()
    keys = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            keys.add((record["table"], record["row"][acts.TABLES[record["table"]][0]]))
    return keys


def settle_acts(db_path: Path, con: duckdb.DuckDBPyConnection, grace: timedelta = ACT_GRACE) -> list[str]:
    """Acts committed in the database but missing from the acts file, appended to it; returns what was done,
    in French. A review act, a comment or a journal event is appended once its connection is closed, so a
    process killed in between leaves it in the database alone, and a rebuild — which replays the acts file —
    would lose it. Run by `rebuild` and `check`, which read the whole file anyway (not by every import: the
    file grows with every act). One that happened less than `grace` ago is left alone: its own process may be
    about to append it (twice in the file, it would stop a rebuild); `rebuild`, run when nobody writes, gives
    none. An import's author is appended while its import still holds the file: never in that case."""
    missing: dict[str, list[int]] = {}
    for table, number in sorted(set(q.fetch_all(con, "act_keys")) - act_keys(db_path)):
        missing.setdefault(table, []).append(number)
    recent = datetime.now() - grace
    done = []
    for table, numbers in missing.items():
        rows = [
            dict(zip(acts.TABLES[table], r, strict=True))
            for r in q.fetch_all(con, f"act_rows_{table}", {"numbers": numbers})
        ]
        rows = [row for row in rows if not grace or (row.get("happened_at") or datetime.min) <= recent]
        for row in rows:
            acts.append(db_path, table, row)
        if not rows:
            continue
        numbers = [row[acts.TABLES[table][0]] for row in rows]
        shown = ", ".join(str(n) for n in numbers[:10]) + (" …" if len(numbers) > 10 else "")
        done.append(
            f"{len(numbers)} acte(s) {table} validé(s) dans la base mais absent(s) du fichier des actes (un "
            f"processus arrêté entre les deux) recopié(s) : n° {shown}"
        )
    return done
