"""One network head on one page: its convention, its indicators against targets, its history."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from iaedash.domain.money import percent
from iaedash.domain.monitoring import target_achievement
from iaedash.domain.reference import INDICATORS
from iaedash.formatting import format_date, format_euros, format_percent
from iaedash.presenters.indicators import target_of

KIND_NAMES = {"indicateurs": "Indicateurs", "personnel": "Personnel", "conventions": "Convention"}


def convention_facts(conv: pd.Series) -> pd.DataFrame:
    """The convention as label / value lines, money in euros to the cent."""
    total = conv["planned_total_cost_eur"]

    def share(amount: Decimal) -> str:
        if not total:
            return format_euros(amount)
        return f"{format_euros(amount)} ({format_percent(percent(amount, total), 2)})"

    facts = [
        ("Période de la convention", f"du {format_date(conv['start_date'])} au {format_date(conv['end_date'])}"),
        ("Dépenses de personnel prévues", format_euros(conv["planned_staff_cost_eur"])),
        ("Coût total prévu (personnel + forfait de 40 %)", format_euros(total)),
        ("FSE+", share(conv["esf_amount_eur"])),
        ("Contrepartie du Département", share(conv["department_amount_eur"])),
        ("Autofinancement", share(conv["self_financing_eur"])),
        (
            "Avance versée",
            f"{format_euros(conv['advance_paid_eur'])}"
            + (f" le {format_date(conv['advance_date'])}" if pd.notna(conv["advance_date"]) else ""),
        ),
        (
            "Version de la convention",
            f"v{conv['version']} – {conv['file_name']}, reçue le {format_date(conv['received_on'])}",
        ),
    ]
    return pd.DataFrame(facts, columns=["Élément", "Valeur"])


def indicators_against_targets(by_quarter: pd.DataFrame, targets: object, quarters: tuple[int, ...]) -> pd.DataFrame:
    """Six rows: the value of each chosen quarter, the total, the annual target and the share reached."""
    rows = []
    for ind in INDICATORS:
        mine = by_quarter[by_quarter["indicator"] == ind.code].set_index("quarter")["value"]
        row = {"Indicateur": ind.label, "Unité": ind.unit}
        for q in quarters:
            row[f"T{q}"] = int(mine.get(q, 0))
        total = int(mine.sum())
        target = target_of(targets, ind.code)
        share = target_achievement(total, target)
        row |= {
            "Total": total,
            "Objectif annuel": target,
            "Atteint": "pas d'objectif" if share is None else format_percent(share, 0),
        }
        rows.append(row)
    return pd.DataFrame(rows)


def history_table(history: pd.DataFrame) -> pd.DataFrame:
    """Every version received, newest first, with lateness of quarterly submissions."""

    def on_time(value: object) -> str:
        if value is None or pd.isna(value):
            return "–"
        return "à temps" if value else "en retard"

    return pd.DataFrame(
        {
            "Type": history["kind"].map(KIND_NAMES),
            "Trimestre": [f"T{int(q)}" if pd.notna(q) else "année" for q in history["quarter"]],
            "Version": history["version"],
            "Courante": history["is_current"].map({True: "oui", False: "remplacée"}),
            "Fichier": history["file_name"] + history["sheet"].map(lambda s: f" [{s}]" if isinstance(s, str) else ""),
            "Reçu le": history["received_on"].map(format_date),
            "Délai": history["on_time"].map(on_time),
            "Importé le": history["imported_at"].map(lambda t: f"{t:%d/%m/%Y %H:%M}"),
        }
    )
