"""Vue d'ensemble in French: the indicator tiles' texts and one sentence per alert, from reports.overview."""

from __future__ import annotations

from dataclasses import dataclass

from iaedash.domain.reference import INDICATORS
from iaedash.filters import Filters
from iaedash.formatting import format_date, format_number, format_percent
from iaedash.reports.overview import Alert, AlertKind, Tile, replace_quarters

ALERT_LABELS = {
    AlertKind.MISSING: "Dépôt manquant",
    AlertKind.LATE: "Dépôt en retard",
    AlertKind.TARGET: "Objectif en danger",
    AlertKind.INELIGIBLE: "Lignes de personnel inéligibles",
    AlertKind.CONSUMPTION: "Consommation atypique",
    AlertKind.OUTLIER: "Valeur trimestrielle atypique",
    AlertKind.ZERO: "Indicateur à zéro malgré du personnel déclaré",
}
_INDICATORS = {i.code: i for i in INDICATORS}


def _lower_first(label: str) -> str:
    return label[:1].lower() + label[1:]


def alert_sentence(alert: Alert, filters: Filters) -> str:
    """One French sentence per alert, with every figure it is about."""
    head, year = alert.network_head, alert.year
    ind = _INDICATORS.get(alert.indicator or "")
    match alert.kind:
        case AlertKind.MISSING:
            return (
                f"{head} : dépôt du T{alert.quarter} {year} non reçu "
                f"(attendu au plus tard le {format_date(alert.due_date)})."
            )
        case AlertKind.LATE:
            return (
                f"{head} : dépôt du T{alert.quarter} {year} reçu le {format_date(alert.received_on)}, "
                f"{alert.days_late} jour(s) après l'échéance du {format_date(alert.due_date)}."
            )
        case AlertKind.TARGET:
            return (
                f"{head} : {_lower_first(ind.label)} à {format_percent(alert.share)} de l'objectif annuel "
                f"({format_number(alert.value)} sur {format_number(alert.target)} {ind.unit}) à un trimestre "
                "de la fin."
            )
        case AlertKind.INELIGIBLE:
            period = replace_quarters(filters, alert.through).period_label()
            return f"{head} : {alert.lines} ligne(s) de personnel inéligible(s) sur {period} ({alert.reasons})."
        case AlertKind.CONSUMPTION:
            return (
                f"{head} : {format_percent(alert.share)} du coût total prévu consommé à la fin du T{alert.through}, "
                f"pour {format_percent(alert.elapsed, 0)} de l'opération écoulée."
            )
        case AlertKind.OUTLIER:
            return (
                f"{head} : {format_number(alert.value)} {ind.unit} ({_lower_first(ind.label)}) au T{alert.quarter} "
                f"{year}, loin de ses autres trimestres (médiane {format_number(alert.median, 1)})."
            )
        case AlertKind.ZERO:
            return (
                f"{head} : aucune valeur pour {', '.join(alert.missing)} au T{alert.quarter} {year} alors "
                "que des dépenses de personnel sont déclarées."
            )
    raise ValueError(alert.kind)


def alert_lines(alerts: list[Alert], filters: Filters) -> list[str]:
    """« **Dépôt en retard** – CETTI : … », one list item per alert."""
    return [f"**{ALERT_LABELS[a.kind]}** – {alert_sentence(a, filters)}" for a in alerts]


def alert_counts(alerts: list[Alert]) -> str:
    """« **2** dépôt en retard · **1** objectif en danger », most frequent first."""
    counts: dict[AlertKind, int] = {}
    for a in alerts:
        counts[a.kind] = counts.get(a.kind, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    return " · ".join(f"**{n}** {ALERT_LABELS[kind].lower()}" for kind, n in ranked)


@dataclass(frozen=True)
class TileText:
    """What one indicator tile says."""

    title: str
    value: str
    delta: str | None
    help: str
    caption: str


def tile_text(tile: Tile, period: str) -> TileText:
    ind = _INDICATORS[tile.indicator]
    delta = None
    if tile.change is not None:
        delta = f"{tile.change:+d} par rapport au T{tile.last_quarter - 1}".replace("+0", "0")
    if tile.target is None:
        progress = "pas d'objectif"
    else:
        progress = f"{format_percent(tile.achievement, 0)} de l'objectif annuel"
        if tile.heads_with_target < tile.heads:
            progress += f" ({tile.heads_with_target} réseaux sur {tile.heads} en ont un)"
    return TileText(
        ind.short,
        format_number(tile.total),
        delta,
        f"{ind.label}, en {ind.unit}. Cumul {period} ; la variation compare T{tile.last_quarter} au trimestre "
        "précédent.",
        f"{ind.unit} · {progress}",
    )
