"""Year against year in French: the evolution (« +12 % », « n.s. », « – »), the periods compared, the charts'
frames and data, and the sentences that say what cannot be compared — from reports.comparison."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from iaedash.domain.reference import Indicator
from iaedash.filters import Filters
from iaedash.formatting import NBSP, format_euros, format_number, format_percent
from iaedash.reports.comparison import TOTAL, BudgetYearOnYear, IndicatorYearOnYear

MINUS = "\u2212"  # the typographic minus: « −8 % »
NOT_SIGNIFICANT = "n.s."  # 0 the previous year: a rise from nothing has no rate
NO_COMPARISON = "–"  # no previous year for this network head


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def change_text(change: Decimal | None, previous: object) -> str:
    """« +12 % », « −8 % », « 0 % » (rounded half-up to the unit); « n.s. » when the previous year was 0;
    « – » when there is no previous year to compare with."""
    if _missing(previous):
        return NO_COMPARISON
    if change is None or previous == 0:
        return NOT_SIGNIFICANT
    rounded = Decimal(change).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    sign = "+" if rounded > 0 else (MINUS if rounded < 0 else "")
    return f"{sign}{format_number(abs(rounded))}{NBSP}%"


def points_text(points: Decimal | None) -> str:
    """A rate's change in points: « +4,5 pts », « −2,6 pts », « 0,0 pt »; « – » without a previous year."""
    if _missing(points):
        return NO_COMPARISON
    rounded = Decimal(points).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    sign = "+" if rounded > 0 else (MINUS if rounded < 0 else "")
    unit = "pt" if abs(rounded) < 2 else "pts"
    return f"{sign}{format_number(abs(rounded), 1)}{NBSP}{unit}"


def periods(year: int, previous_year: int, quarters: tuple[int, ...]) -> tuple[str, str]:
    """(« T1 à T3 2026 », « T1 à T3 2025 »): the same quarters of both years."""
    return Filters(year, quarters=quarters).period_label(), Filters(previous_year, quarters=quarters).period_label()


def title(subject: str, compared: IndicatorYearOnYear | BudgetYearOnYear, scope: str) -> str:
    """« Formations : T1 à T3 2026 face à T1 à T3 2025 – tous réseaux »."""
    now, then = periods(compared.year, compared.previous_year, _quarters(compared))
    return f"{subject} : {now} face à {then} – {scope}"


def _quarters(compared: IndicatorYearOnYear | BudgetYearOnYear) -> tuple[int, ...]:
    if isinstance(compared, IndicatorYearOnYear):
        return compared.quarters
    return tuple(range(1, compared.through_quarter + 1))


def _heads_text(heads: list[str] | tuple[str, ...]) -> str:
    return ", ".join(heads[:-1]) + f" et {heads[-1]}" if len(heads) > 1 else heads[0]


def no_previous_year(compared: IndicatorYearOnYear | BudgetYearOnYear) -> str:
    """The sentence shown instead of a chart when the previous year has nothing to compare with."""
    return (
        f"Pas de comparaison avec {compared.previous_year} : aucune tête de réseau de cette sélection n'avait de "
        f"convention {compared.previous_year} ({compared.year} est sa première année suivie dans iaedash)."
    )


def notes(compared: IndicatorYearOnYear | BudgetYearOnYear) -> list[str]:
    """What the reader must know to read the comparison: network heads new this year, quarters not received."""
    out = []
    new = list(compared.new_heads)
    if new:
        verb = "n'avait" if len(new) == 1 else "n'avaient"
        out.append(
            f"{_heads_text(new)} {verb} pas de convention {compared.previous_year} : rien à comparer "
            + ("pour cette tête de réseau." if len(new) == 1 else "pour ces têtes de réseaux.")
        )
    missing = "aucun dépôt reçu" if isinstance(compared, IndicatorYearOnYear) else "aucune ligne de personnel reçue"
    for year in (compared.year, compared.previous_year):
        for head, quarters in compared.not_received.get(year, {}).items():
            listed = _heads_text([f"T{q}" for q in quarters])
            out.append(f"{head} : {missing} pour {listed} {year}, sa comparaison porte sur des trimestres incomplets.")
    return out


# --- indicators ---


def indicator_frame(compared: IndicatorYearOnYear, indicator: str) -> pd.DataFrame:
    """network_head, current, previous, change (French) of one indicator: what the chart draws."""
    rows = compared.heads[compared.heads["indicator"] == indicator]
    return pd.DataFrame(
        {
            "network_head": rows["network_head"],
            "current": rows["current"],
            "previous": rows["previous"],
            "change": [change_text(c, p) for c, p in zip(rows["change"], rows["previous"], strict=True)],
        }
    ).reset_index(drop=True)


def indicator_data(compared: IndicatorYearOnYear, indicator: str) -> pd.DataFrame:
    """The chart's data with French headers (and its CSV): one row per network head."""
    now, then = periods(compared.year, compared.previous_year, compared.quarters)
    frame = indicator_frame(compared, indicator)
    return pd.DataFrame(
        {
            "Réseau": frame["network_head"],
            now: frame["current"],
            then: frame["previous"],
            "Évolution": frame["change"],
        }
    )


def indicator_total(compared: IndicatorYearOnYear, indicator: Indicator) -> str | None:
    """« Tous réseaux : 128 formations de T1 à T3 2026 contre 134 de T1 à T3 2025 (−4 %). »; None without a
    network head present both years."""
    rows = compared.totals[compared.totals["indicator"] == indicator.code]
    if rows.empty:
        return None
    r = rows.iloc[0]
    now, then = periods(compared.year, compared.previous_year, compared.quarters)
    same = " à périmètre constant (les têtes de réseaux suivies les deux années)" if compared.new_heads else ""
    return (
        f"Tous réseaux{same} : {format_number(r['current'])} {indicator.unit} de {now} contre "
        f"{format_number(r['previous'])} de {then} ({change_text(r['change'], r['previous'])})."
    )


def indicator_sentences(compared: IndicatorYearOnYear, indicator: Indicator) -> list[str]:
    """Under the chart: the total of every network head, then what cannot be compared."""
    total = indicator_total(compared, indicator)
    return ([total] if total else []) + notes(compared)


# --- budget ---


def budget_frame(compared: BudgetYearOnYear, measure: str) -> pd.DataFrame:
    """network_head, current, previous, change (French) for `measure`: « total » (total eligible cost) or
    « consumption » (% of the convention, its change in points)."""
    rows = compared.rows[compared.rows["network_head"] != TOTAL]
    if measure == "total":
        changes = [change_text(c, p) for c, p in zip(rows["total_change"], rows["total_previous"], strict=True)]
        return pd.DataFrame(
            {
                "network_head": rows["network_head"],
                "current": rows["total"],
                "previous": rows["total_previous"],
                "change": changes,
            }
        ).reset_index(drop=True)
    return pd.DataFrame(
        {
            "network_head": rows["network_head"],
            "current": rows["consumption"],
            "previous": rows["consumption_previous"],
            "change": [points_text(p) for p in rows["consumption_points"]],
        }
    ).reset_index(drop=True)


def _budget_heads(compared: BudgetYearOnYear) -> list[str]:
    r = compared.rows
    count = len(r) - 1
    return [f"{TOTAL} ({count} réseau{'x' if count > 1 else ''})" if h == TOTAL else h for h in r["network_head"]]


def budget_cost_data(compared: BudgetYearOnYear) -> pd.DataFrame:
    """The cost chart's data, per network head then the totals row, French headers, amounts exact to the cent."""
    now, then = periods(compared.year, compared.previous_year, _quarters(compared))
    r = compared.rows
    return pd.DataFrame(
        {
            "Réseau": _budget_heads(compared),
            f"Personnel éligible {now}": r["eligible"],
            f"Personnel éligible {then}": r["eligible_previous"],
            "Évolution du personnel éligible": [
                change_text(c, p) for c, p in zip(r["eligible_change"], r["eligible_previous"], strict=True)
            ],
            f"Coût total éligible {now}": r["total"],
            f"Coût total éligible {then}": r["total_previous"],
            "Évolution du coût total éligible": [
                change_text(c, p) for c, p in zip(r["total_change"], r["total_previous"], strict=True)
            ],
        }
    )


def budget_consumption_data(compared: BudgetYearOnYear) -> pd.DataFrame:
    """The consumption chart's data: each year's realised cost against its own convention, the gap in points."""
    now, then = periods(compared.year, compared.previous_year, _quarters(compared))
    r = compared.rows
    return pd.DataFrame(
        {
            "Réseau": _budget_heads(compared),
            f"Coût total prévu {compared.year}": r["planned_total"],
            f"Coût total prévu {compared.previous_year}": r["planned_total_previous"],
            f"Consommation {now} (%)": r["consumption"],
            f"Consommation {then} (%)": r["consumption_previous"],
            "Écart de consommation": [points_text(p) for p in r["consumption_points"]],
        }
    )


def budget_sentences(compared: BudgetYearOnYear) -> list[str]:
    total = budget_total(compared)
    return ([total] if total else []) + notes(compared)


def budget_total(compared: BudgetYearOnYear) -> str | None:
    """The totals row in one sentence; None without a network head present both years."""
    rows = compared.rows[compared.rows["network_head"] == TOTAL]
    if rows.empty:
        return None
    r = rows.iloc[0]
    now, then = periods(compared.year, compared.previous_year, _quarters(compared))
    same = " à périmètre constant (les têtes de réseaux suivies les deux années)" if compared.new_heads else ""
    return (
        f"Tous réseaux{same} : {format_euros(r['total'])} de coût total éligible de {now}, contre "
        f"{format_euros(r['total_previous'])} de {then} ({change_text(r['total_change'], r['total_previous'])}) ; "
        f"{format_percent(r['consumption'], 2)} des conventions consommés, contre "
        f"{format_percent(r['consumption_previous'], 2)} ({points_text(r['consumption_points'])})."
    )


def network_head_sentence(compared: BudgetYearOnYear, network_head: str) -> str:
    """One network head's budget against the same quarter of the previous year, in one sentence (its detail page)."""
    rows = compared.rows[compared.rows["network_head"] == network_head]
    if rows.empty or _missing(rows.iloc[0]["total_previous"]):
        return (
            f"{network_head} n'avait pas de convention {compared.previous_year} : pas de comparaison avec "
            "l'année précédente."
        )
    r = rows.iloc[0]
    _, then = periods(compared.year, compared.previous_year, _quarters(compared))
    return (
        f"Face à {then} : coût total éligible {format_euros(r['total'])} contre {format_euros(r['total_previous'])} "
        f"({change_text(r['total_change'], r['total_previous'])}) ; consommation {format_percent(r['consumption'], 2)} "
        f"contre {format_percent(r['consumption_previous'], 2)} ({points_text(r['consumption_points'])}), chaque "
        "année rapportée à sa propre convention."
    )
