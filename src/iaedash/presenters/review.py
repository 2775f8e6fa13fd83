"""The review in French: statuses, acts, refusals, the thread of a scope and the journal as tables.

The rules are in `domain.review`, the reads and acts in `iaedash.review` and `iaedash.journal`; this module
only says them, for the Revue, Fiche réseau and Journal pages and for the CLI.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from iaedash.domain.access import ROLE_LABELS, Role
from iaedash.domain.reference import INDICATORS
from iaedash.domain.review import MAX_TEXT, RefusalReason, ReviewAction, ReviewStatus
from iaedash.journal import JournalAction
from iaedash.review import Scope, ScopeState, ThreadItem

ACTION_LABELS = {
    ReviewAction.VALIDATE: "validé",
    ReviewAction.RETURN: "renvoyé pour correction",
    ReviewAction.LOCK: "verrouillé",
    ReviewAction.UNLOCK: "déverrouillé",
}

# What the buttons say.
ACTION_VERBS = {
    ReviewAction.VALIDATE: "Valider",
    ReviewAction.RETURN: "Renvoyer pour correction",
    ReviewAction.LOCK: "Verrouiller",
    ReviewAction.UNLOCK: "Déverrouiller",
}

JOURNAL_LABELS = {
    JournalAction.IMPORT: "import",
    JournalAction.IMPORT_REFUSED: "fichier refusé",
    JournalAction.VALIDATE: "validation",
    JournalAction.RETURN: "renvoi pour correction",
    JournalAction.LOCK: "verrouillage",
    JournalAction.UNLOCK: "déverrouillage",
    JournalAction.COMMENT: "commentaire",
    JournalAction.ACCESS_REFUSED: "accès refusé",
    JournalAction.REMINDER: "relance",
}

_REFUSALS = {
    RefusalReason.NOTHING_RECEIVED: "rien n'a encore été reçu pour {scope}",
    RefusalReason.ALREADY_VALIDATED: "{scope} a déjà le statut « validé » (version courante : {versions})",
    RefusalReason.RETURNED_WAITING: (
        "{scope} a été renvoyé pour correction : une nouvelle version doit d'abord être reçue"
    ),
    RefusalReason.NOT_VALIDATED: "seul un dépôt validé peut être verrouillé ; {scope} a le statut « {status} »",
    RefusalReason.NOT_LOCKED: "{scope} n'est pas verrouillé (statut « {status} »)",
    RefusalReason.ALREADY_LOCKED: "{scope} est verrouillé : un déverrouillage, avec son motif, doit venir d'abord",
    RefusalReason.REASON_REQUIRED: "un motif est obligatoire pour cet acte (il est envoyé à la tête de réseau)",
    RefusalReason.REASON_TOO_LONG: f"le motif dépasse {MAX_TEXT} caractères",
}

# « Validation enregistrée pour … »: nouns, so that a quarter and a convention read alike.
ACT_NOUNS = {
    ReviewAction.VALIDATE: "Validation enregistrée",
    ReviewAction.RETURN: "Renvoi pour correction enregistré",
    ReviewAction.LOCK: "Verrouillage enregistré",
    ReviewAction.UNLOCK: "Déverrouillage enregistré",
}


def scope_label(scope: Scope) -> str:
    """« le T4 2025 de CABM », « la convention 2025 de CABM »."""
    if scope.quarter is None:
        return f"la convention {scope.year} de {scope.network_head}"
    return f"le T{scope.quarter} {scope.year} de {scope.network_head}"


def refusal_message(reason: RefusalReason, state: ScopeState | None, scope: Scope) -> str:
    text = _REFUSALS[reason].format(
        scope=scope_label(scope),
        versions=state.versions.describe() if state else "",
        status=state.status.value if state else "",
    )
    return text[:1].upper() + text[1:] + "."


def status_text(state: ScopeState) -> str:
    """« validé le 02/12/2026 par Dominique Leroy », « reçu (v2, personnel v1) »."""
    if state.status is ReviewStatus.RECEIVED or state.last is None:
        return f"{state.status.value} ({state.versions.describe()})"
    return f"{state.status.value} le {state.last.at:%d/%m/%Y} par {state.last.actor}"


def act_done(state: ScopeState, action: ReviewAction) -> str:
    """The sentence after an act: « Validation enregistrée pour le T4 2025 de CABM (v2, personnel v2). »"""
    return f"{ACT_NOUNS[action]} pour {scope_label(state.scope)} ({state.versions.describe()})."


def _who(name: str, role: str) -> str:
    try:
        return f"{name} ({ROLE_LABELS[Role(role)]})"
    except ValueError:
        return name


def _period(quarter: int | None) -> str:
    return "convention" if quarter is None else f"T{quarter}"


def thread_table(items: Iterable[ThreadItem]) -> pd.DataFrame:
    """The thread of the chosen scopes, oldest first: comments, and acts with their reasons."""
    labels = {i.code: i.short for i in INDICATORS}
    rows = []
    for item in items:
        if item.kind == "commentaire":
            what = "commentaire"
            if item.indicator:
                what += f" sur {labels.get(item.indicator, item.indicator)} × {item.orientation}"
        else:
            what = f"{ACTION_LABELS[ReviewAction(item.kind)]} ({item.versions.describe() if item.versions else ''})"
        rows.append(
            {
                "Réseau": item.network_head,
                "Période": _period(item.quarter),
                "Le": f"{item.at:%d/%m/%Y %H:%M}",
                "Par": _who(item.author, item.author_role),
                "Quoi": what,
                "Texte": item.body or "",
            }
        )
    return pd.DataFrame(rows, columns=["Réseau", "Période", "Le", "Par", "Quoi", "Texte"])


_PLURALS = {
    ReviewStatus.RECEIVED: ("reçu à examiner", "reçus à examiner"),
    ReviewStatus.VALIDATED: ("validé", "validés"),
    ReviewStatus.RETURNED: ("à corriger", "à corriger"),
    ReviewStatus.LOCKED: ("verrouillé", "verrouillés"),
}


def states_summary(states: Sequence[ScopeState]) -> str:
    """« **30** reçus à examiner · 2 validés · 0 à corriger · 1 verrouillé »: the work left first."""
    parts = []
    for status, (one, many) in _PLURALS.items():
        count = sum(s.status is status for s in states)
        number = f"**{count}**" if status is ReviewStatus.RECEIVED else str(count)
        parts.append(f"{number} {one if count <= 1 else many}")
    return " · ".join(parts)


def states_table(states: Sequence[ScopeState]) -> pd.DataFrame:
    """One row per scope received: its versions and its review status."""
    rows = [
        {
            "Réseau": s.scope.network_head,
            "Période": _period(s.scope.quarter),
            "Versions courantes": s.versions.describe(),
            "Statut": s.status.value,
            "Dernier acte": status_text(s) if s.last else "–",
            "Motif": (s.last.reason or "") if s.last else "",
        }
        for s in states
    ]
    return pd.DataFrame(rows, columns=["Réseau", "Période", "Versions courantes", "Statut", "Dernier acte", "Motif"])


def journal_table(entries: pd.DataFrame) -> pd.DataFrame:
    """The journal with French headers; the action in words, the quarter as « T4 »."""
    labels = {a.value: label for a, label in JOURNAL_LABELS.items()}
    return pd.DataFrame(
        {
            "Le": [f"{pd.Timestamp(t):%d/%m/%Y %H:%M:%S}" for t in entries["happened_at"]],
            "Action": entries["action"].map(lambda a: labels.get(a, a)),
            "Par": [
                _who(n, r) if r != "aucun" else f"{n} (sans rôle)"
                for n, r in zip(entries["actor_name"], entries["actor_role"], strict=True)
            ],
            "Adresse": entries["actor_email"],
            "Réseau": entries["network_head"].fillna(""),
            "Année": entries["year"].astype("Int64"),
            "Trimestre": [f"T{int(q)}" if pd.notna(q) else "" for q in entries["quarter"]],
            "Détail": entries["detail"].fillna(""),
        }
    )
