"""Upload page (« Dépôts »): the dry run of uploaded files and the tables and sentences that show it.

The checks are exactly those of the CLI (`ingest.load.import_files`, `ahead.check_file`), made in a process of
their own bounded in time and memory (a file comes from outside); this module runs them once per file and
turns their outcomes into French display tables and verdicts, so the page stays widgets only.
"""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from iaedash.calls import all_calls
from iaedash.domain.access import Viewer
from iaedash.formatting import format_date
from iaedash.ingest.ahead import Checked, check_isolated
from iaedash.ingest.load import KIND_LABELS, ImportOutcome, IncomingFile, ScopeChange, import_files

PROBLEM_COLUMNS = ["Fichier", "Onglet", "Ligne", "Colonne", "Message"]
PREVIEW_COLUMNS = ["Fichier", "Périmètre", "Effet", "Version"]
HISTORY_COLUMNS = ["N°", "Fichier", "Reçu le", "Importé le", "Importé par", "Empreinte SHA-256", "Périmètres"]
FORMAT_DOC = "docs/format-depot.md"


@dataclass(frozen=True)
class Verdict:
    """One sentence about one file, with the level the page shows it at (error, info, success)."""

    level: str
    text: str


def _plural(count: int, singular: str, plural: str) -> str:
    """French agreement: 0 and 1 take the singular."""
    return f"{count} {singular if count <= 1 else plural}"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


CheckMemo = MutableMapping[tuple[str, str], Checked]


def preview(
    db: Path, viewer: Viewer, files: Sequence[IncomingFile], received_on: date, memo: CheckMemo | None = None
) -> list[ImportOutcome]:
    """The dry run of the whole upload (outcome i is about file i), nothing written.

    The batch runs in one rolled-back transaction, so a quarter whose convention comes in the same upload,
    or two versions of one quarter, preview as they will import; a network head's account is checked like
    its real import will be (its own network heads only, no locked quarter). `memo` is the session's
    (`checked_once`): only this upload's files stay in it.
    """
    memo = {} if memo is None else memo
    checked = checked_once(files, memo)
    for key in set(memo) - {(f.name, f.sha256) for f in files}:
        del memo[key]
    return import_files(db, files, received_on, viewer=viewer, dry_run=True, checked=checked)


def import_confirmed(
    db: Path, viewer: Viewer, files: Sequence[IncomingFile], received_on: date, memo: CheckMemo | None = None
) -> list[ImportOutcome]:
    """The confirmed import of the files the preview accepted, with the checks the preview made of them."""
    checked = checked_once(files, {} if memo is None else memo)
    return import_files(db, files, received_on, viewer=viewer, checked=checked)


def checked_once(files: Sequence[IncomingFile], memo: CheckMemo) -> list[Checked]:
    """The checks of uploaded files, made in a process of their own, bounded in time and memory
    (`ahead.check_isolated`: a hostile file is refused there and the server goes on serving the others),
    once per file: the page's reruns (a date changed, the confirm button) and the confirmed import reuse
    the checks of the same name and bytes, which the calls of this process make the same."""
    todo = {(f.name, f.sha256): f for f in files if (f.name, f.sha256) not in memo}
    if todo:
        results = check_isolated([(f.name, f.data) for f in todo.values()], all_calls())
        memo.update(zip(todo, results, strict=True))
    return [memo[(f.name, f.sha256)] for f in files]


def accepted_files(files: Sequence[IncomingFile], outcomes: Sequence[ImportOutcome]) -> list[IncomingFile]:
    """The files whose dry run was accepted: the only ones the confirm button imports."""
    return [file for file, outcome in zip(files, outcomes, strict=True) if outcome.status == "accepted"]


def summary(outcomes: Sequence[ImportOutcome]) -> str:
    """« 3 fichiers déposés : 1 accepté, 1 déjà importé, 1 refusé. »"""
    counts = {status: sum(o.status == status for o in outcomes) for status in ("accepted", "duplicate", "refused")}
    parts = [
        _plural(counts["accepted"], "accepté", "acceptés"),
        _plural(counts["duplicate"], "déjà importé", "déjà importés"),
        _plural(counts["refused"], "refusé", "refusés"),
    ]
    return f"{_plural(len(outcomes), 'fichier déposé', 'fichiers déposés')} : {', '.join(parts)}."


def verdict(outcome: ImportOutcome) -> Verdict:
    """What the dry run says about one file, in one sentence."""
    if outcome.status == "refused":
        text = (
            f"Refusé : {_plural(len(outcome.problems), 'erreur', 'erreurs')}, rien de ce fichier ne sera importé. "
            "Corrigez-le (le tableau donne la ligne et la colonne de chaque erreur) et déposez-le à nouveau."
        )
        return Verdict("error", text)
    if outcome.status == "duplicate":
        seen = outcome.message.removesuffix(" : rien n'a changé")
        return Verdict("info", f"{_capitalised(seen)} : rien de nouveau, il ne sera pas importé une seconde fois.")
    count = len(outcome.changes)
    will = "sera importé" if count == 1 else "seront importés"
    return Verdict("success", f"Accepté : {_plural(count, 'périmètre', 'périmètres')} {will} (aperçu ci-dessous).")


def result(outcome: ImportOutcome) -> Verdict:
    """What the real import did to one file (after the confirm)."""
    level = {"accepted": "success", "duplicate": "info"}.get(outcome.status, "error")
    return Verdict(level, f"{outcome.file_name} : {outcome.message}")


def confirm_label(count: int) -> str:
    """The confirm button says how many files it writes."""
    return "Importer le fichier accepté" if count == 1 else f"Importer les {count} fichiers acceptés"


def scope_label(change: ScopeChange) -> str:
    """« indicateurs CABM T1 2025 », « convention ISARR 2025 »."""
    period = f"T{change.quarter} {change.year}" if change.quarter else str(change.year)
    return f"{KIND_LABELS[change.kind]} {change.network_head} {period}"


def effect(change: ScopeChange) -> str:
    """« nouveau » or « remplace la version N »; a new quarter received after its due date says so."""
    if change.previous_version:
        return f"remplace la version {change.previous_version}"
    if change.on_time is False and change.due_date:
        return f"nouveau, reçu en retard (attendu au plus tard le {format_date(change.due_date)})"
    return "nouveau"


def preview_table(outcomes: Iterable[ImportOutcome]) -> pd.DataFrame:
    """One row per scope an accepted file would write: what it covers, new or replacing, its version."""
    rows = [
        (o.file_name, scope_label(c), effect(c), c.version)
        for o in outcomes
        if o.status == "accepted"
        for c in o.changes
    ]
    table = pd.DataFrame(rows, columns=PREVIEW_COLUMNS)
    return table.astype({"Version": "int64"})


def problems_table(outcomes: Iterable[ImportOutcome]) -> pd.DataFrame:
    """Every error of the refused files, in the order found, with sheet, line (header = 1) and column."""
    rows = [(p.file, p.sheet or "", p.line, p.column or "", p.message) for o in outcomes for p in o.problems]
    table = pd.DataFrame(rows, columns=PROBLEM_COLUMNS)
    return table.astype({"Ligne": "Int64"})


def history_table(history: pd.DataFrame) -> pd.DataFrame:
    """`import_history` (newest first) with French headers and French dates.

    The fingerprint stays whole so the CSV can prove which file was loaded; the page shows it narrow.
    """
    return pd.DataFrame(
        {
            "N°": history["import_id"].astype("int64"),
            "Fichier": history["file_name"],
            "Reçu le": [format_date(pd.Timestamp(v).date()) for v in history["received_on"]],
            "Importé le": [pd.Timestamp(v).strftime("%d/%m/%Y %H:%M") for v in history["imported_at"]],
            "Importé par": history["imported_by"].fillna("–"),
            "Empreinte SHA-256": history["sha256"],
            "Périmètres": history["scopes"].fillna(""),
        },
        columns=HISTORY_COLUMNS,
    )
