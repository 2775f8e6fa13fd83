"""« Le trimestre en bref » in French: a few sentences about one network head's quarter, written by rules from
its figures (no AI service, no network), each with the figures it states and where they come from.

The figures are `reports.summary`'s; whether something is worth saying is decided by the domain rules
(`domain.summary` for rises, falls and activity; `domain.monitoring` for targets at risk and consumption against
time elapsed — the same rules as the home page's alerts). The page shows the sentences and, under them, their
figures; the PDF fiche prints the same `Sentence` objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pandas as pd

from iaedash.domain.calls import quarter_end
from iaedash.domain.monitoring import (
    CONSUMPTION_GAP_POINTS,
    TARGET_ALERT_QUARTER,
    TARGET_ALERT_SHARE,
    SubmissionStatus,
    target_at_risk,
    target_reached,
)
from iaedash.domain.reference import INDICATORS, ORIENTATIONS, Indicator
from iaedash.domain.review import ReviewEvent, ReviewStatus
from iaedash.domain.summary import (
    NOTABLE_CHANGE_SHARE,
    NOTABLE_CHANGE_UNITS,
    Change,
    inactive_orientations,
    notable_changes,
    without_activity,
)
from iaedash.formatting import format_date, format_euros, format_number, format_percent
from iaedash.reports.summary import Quarter, QuarterSummary, QuarterValues, Receipt

MAX_SENTENCES = 8  # a summary read aloud in a meeting: the most important first, never a wall of text

_INDICATORS = {i.code: i for i in INDICATORS}
_ORIENTATIONS = {o.code: o for o in ORIENTATIONS}
MINUS = "\u2212"  # « −50 % »: the minus sign, read « moins » by a screen reader (a hyphen is read « tiret »)


@dataclass(frozen=True)
class Figure:
    """One figure a sentence states, and where it comes from (file and version, convention, call, review)."""

    label: str  # « Formations »
    value: str  # « 12 », « 48,2 % », « 20/02/2026 », as the sentence says it
    period: str  # « T3 2025 », « T1 à T3 2025 », « 2025 »
    source: str  # « ISARR_2025_T3_indicateurs.csv v1 l. 3, 10, 17, 23 »


@dataclass(frozen=True)
class Sentence:
    """One sentence of the summary and every figure it states, so that a reader can trace each number back."""

    text: str  # plain French (no markdown): the page escapes it (`as_markdown`), the PDF prints it as is
    figures: tuple[Figure, ...]


# --- words ---


def quarter_label(period: Quarter) -> str:
    """« T2 2026 »."""
    return f"T{period.quarter} {period.year}"


def year_so_far_label(period: Quarter) -> str:
    """« T1 à T3 2025 », or « T1 2025 » for a first quarter."""
    return quarter_label(period) if period.quarter == 1 else f"T1 à T{period.quarter} {period.year}"


def plural(count: int | Decimal, singular: str, plural_form: str) -> str:
    """French agreement: 0 and 1 take the singular (« 0 formation », « 1 formation », « 2 formations »)."""
    return singular if abs(count) < 2 else plural_form


def units(count: int, indicator: Indicator) -> str:
    """« 1 formation », « 13 formations », « 1 234 participants »."""
    return f"{format_number(count)} {plural(count, indicator.unit_singular, indicator.unit)}"


def change_percent(share: Decimal) -> str:
    """« +25 % », « −50 % » (a share of exactly 0 is never said: it is no change)."""
    text = format_percent(abs(share), 0)
    return f"+{text}" if share > 0 else f"{MINUS}{text}"


def _name(indicator: Indicator) -> str:
    """« formations », « participants aux webinaires »: the short label inside a sentence."""
    return indicator.short[:1].lower() + indicator.short[1:]


def _enumerate(items: Sequence[str]) -> str:
    """« a », « a et b », « a, b et c »."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} et {items[-1]}"


def _act_date(act: ReviewEvent | None) -> str:
    return format_date(act.at.date()) if act is not None else "–"


# --- the sentences, most important first ---


def sentences(summary: QuarterSummary) -> list[Sentence]:
    """What there is to say about the quarter, most important first, at most MAX_SENTENCES; nothing is said
    where there is nothing to say (no « 0 % » for a target never set, no fall against a quarter not received)."""
    budget_first, budget_last = _budget(summary)
    found = [
        *_not_received(summary),
        *_returned(summary),
        *_still_missing(summary),
        *_late(summary),
        *_no_activity(summary),
        *_targets(summary),
        *budget_first,
        *_changes(summary, summary.previous, year_earlier=False),
        *_changes(summary, summary.year_before, year_earlier=True),
        *_inactive_orientations(summary),
        *budget_last,
    ]
    return found[:MAX_SENTENCES]


def _receipt(summary: QuarterSummary) -> Receipt:
    [receipt] = [r for r in summary.receipts if r.period == summary.period]
    return receipt


def _due_figure(receipt: Receipt) -> Figure:
    days = (receipt.due_date - quarter_end(receipt.period.year, receipt.period.quarter)).days
    return Figure(
        "Échéance du dépôt",
        format_date(receipt.due_date),
        quarter_label(receipt.period),
        f"appel à projets {receipt.period.year} : {days} jours après la fin du trimestre",
    )


def _none_received(receipt: Receipt, day: date) -> Figure:
    return Figure(
        "Dépôt d'indicateurs reçu", "aucun", quarter_label(receipt.period), f"dépôts reçus au {format_date(day)}"
    )


def _not_received(summary: QuarterSummary) -> list[Sentence]:
    receipt = _receipt(summary)
    label, due = quarter_label(summary.period), format_date(receipt.due_date)
    if receipt.status is SubmissionStatus.MISSING:
        text = f"Le dépôt du {label} n'a pas été reçu : il était attendu au plus tard le {due}."
    elif receipt.status is SubmissionStatus.NOT_DUE:
        text = f"Le dépôt du {label} n'est pas encore arrivé ; il est attendu au plus tard le {due}."
    else:
        return []
    return [Sentence(text, (_none_received(receipt, summary.day), _due_figure(receipt)))]


def _returned(summary: QuarterSummary) -> list[Sentence]:
    """Every quarter of the year so far, and the convention, sent back for correction and not sent again."""
    out = []
    for receipt in summary.receipts:
        if receipt.review is ReviewStatus.RETURNED and receipt.last_act is not None:
            act = receipt.last_act
            label = quarter_label(receipt.period)
            out.append(
                Sentence(
                    f"Le dépôt du {label} a été renvoyé pour correction le {_act_date(act)} : « {act.reason} ».",
                    (_act_figure(act, label),),
                )
            )
    conv = summary.convention
    if conv.review is ReviewStatus.RETURNED and conv.last_act is not None:
        act = conv.last_act
        out.append(
            Sentence(
                f"La convention {conv.year} a été renvoyée pour correction le {_act_date(act)} : « {act.reason} ».",
                (_act_figure(act, str(conv.year)),),
            )
        )
    return out


def _act_figure(act: ReviewEvent, period: str) -> Figure:
    return Figure(
        "Renvoi pour correction",
        _act_date(act),
        period,
        f"revue des dépôts : acte de {act.actor} du {act.at:%d/%m/%Y à %H:%M}, sur {act.versions.describe()}",
    )


def _still_missing(summary: QuarterSummary) -> list[Sentence]:
    """Earlier quarters of the year never received although due."""
    missing = [r for r in summary.receipts if r.period < summary.period and r.status is SubmissionStatus.MISSING]
    if not missing:
        return []
    quarters = _enumerate([f"T{r.period.quarter}" for r in missing])
    dues = _enumerate([f"le {format_date(r.due_date)}" for r in missing])
    year = summary.period.year
    if len(missing) == 1:
        text = f"Le dépôt du {quarters} {year} n'a toujours pas été reçu (attendu au plus tard {dues})."
    else:
        text = f"Les dépôts des {quarters} {year} n'ont toujours pas été reçus (attendus au plus tard {dues})."
    figures = tuple(f for r in missing for f in (_none_received(r, summary.day), _due_figure(r)))
    return [Sentence(text, figures)]


def _late(summary: QuarterSummary) -> list[Sentence]:
    receipt = _receipt(summary)
    if receipt.status is not SubmissionStatus.LATE or receipt.first_received_on is None:
        return []
    days = (receipt.first_received_on - receipt.due_date).days
    label = quarter_label(summary.period)
    first_file = (receipt.files or "").split(" ; ")[0]
    return [
        Sentence(
            f"Le dépôt du {label} est arrivé en retard : reçu le {format_date(receipt.first_received_on)}, "
            f"{days} {plural(days, 'jour', 'jours')} après l'échéance du {format_date(receipt.due_date)}.",
            (
                Figure(
                    "Dépôt d'indicateurs reçu le",
                    format_date(receipt.first_received_on),
                    label,
                    f"{first_file} (première version)" if first_file else "calendrier des dépôts",
                ),
                _due_figure(receipt),
            ),
        )
    ]


def _value_figure(values: QuarterValues, code: str) -> Figure:
    ind = _INDICATORS[code]
    return Figure(
        ind.short, format_number(values.values[code]), quarter_label(values.period), values.sources[code] or "–"
    )


def _no_activity(summary: QuarterSummary) -> list[Sentence]:
    current = summary.current
    if not current.received or not without_activity(current.values):
        return []
    return [
        Sentence(
            f"Aucune activité déclarée au {quarter_label(summary.period)} : les six indicateurs sont à 0.",
            tuple(_value_figure(current, code) for code in current.values),
        )
    ]


def _target_item(target_share: Decimal, achieved: int, target: int, indicator: Indicator) -> str:
    """« formations à 21 % (13 formations sur 61) »."""
    return f"{_name(indicator)} à {format_percent(target_share, 0)} ({units(achieved, indicator)} sur {target})"


def _target_figures(summary: QuarterSummary, codes: Sequence[str]) -> tuple[Figure, ...]:
    conv = summary.convention
    source = f"convention {conv.year} : {conv.file_name} v{conv.version}"
    out = []
    for t in summary.targets:
        if t.indicator not in codes:
            continue
        ind = _INDICATORS[t.indicator]
        out.append(
            Figure(f"{ind.short}, cumul", format_number(t.achieved), year_so_far_label(summary.period), t.sources)
        )
        target = "pas d'objectif" if t.target is None else format_number(t.target)
        out.append(Figure(f"{ind.short}, objectif annuel", target, str(conv.year), source))
    return tuple(out)


def _targets(summary: QuarterSummary) -> list[Sentence]:
    """At T3, the targets at risk (the home page's rule); after T4, which targets the year reached."""
    through = summary.period.quarter
    at_risk = [t for t in summary.targets if target_at_risk(t.share, through)]
    if at_risk:
        items = [_target_item(t.share, t.achieved, t.target, _INDICATORS[t.indicator]) for t in at_risk]
        head = "Objectif annuel en danger" if len(at_risk) == 1 else "Objectifs annuels en danger"
        return [
            Sentence(
                f"{head} à un trimestre de la fin : {_enumerate(items)}.",
                _target_figures(summary, [t.indicator for t in at_risk]),
            )
        ]
    if through != 4:
        return []
    year = summary.period.year
    figures = _target_figures(summary, [t.indicator for t in summary.targets])
    set_ = [t for t in summary.targets if t.target is not None]
    unset = [f"les {_name(_INDICATORS[t.indicator])}" for t in summary.targets if t.target is None]
    if not set_:
        return [Sentence(f"Aucun objectif annuel n'est fixé dans la convention {year}.", figures)]
    missed = [t for t in set_ if not target_reached(t.share)]
    if not missed:
        text = (
            f"Objectifs annuels {year} : l'objectif fixé est atteint"
            if len(set_) == 1
            else f"Objectifs annuels {year} : les {len(set_)} objectifs fixés sont atteints"
        )
    else:
        reached = len(set_) - len(missed)
        items = [_target_item(t.share, t.achieved, t.target, _INDICATORS[t.indicator]) for t in missed]
        text = (
            f"Objectifs annuels {year} : {reached} {plural(reached, 'atteint', 'atteints')} sur {len(set_)} ; "
            f"{plural(len(missed), 'non atteint', 'non atteints')} : {_enumerate(items)}"
        )
    if unset:
        text += f" ; pas d'objectif pour {_enumerate(unset)}"
    return [Sentence(f"{text}.", figures)]


def _budget(summary: QuarterSummary) -> tuple[list[Sentence], list[Sentence]]:
    """Budget consumed against time elapsed: said early when it stands out (the budget pages' écart rule),
    last otherwise. Returns (early, last)."""
    b = summary.budget
    if b is None or b.consumption is None:
        return [], []
    label = quarter_label(summary.period)
    text = (
        f"Budget consommé à {format_percent(b.consumption)} du coût total prévu à la fin du {label}, "
        f"pour {format_percent(b.elapsed, 0)} de l'opération écoulée"
    )
    if b.stands_out and b.gap is not None:
        gap = format_number(abs(b.gap), 1)
        text += f" : {gap} points de {'moins' if b.gap < 0 else 'plus'} que le temps écoulé"
    if not _receipt(summary).staff_received:
        text += f" (dépenses de personnel du {label} non reçues)"
    conv = summary.convention
    period = year_so_far_label(summary.period)
    end = quarter_end(summary.period.year, summary.period.quarter)
    said = Sentence(
        f"{text}.",
        (
            Figure("Coût total éligible (forfait compris)", format_euros(b.total_eligible_cost), period,
                   f"dépenses de personnel : {b.staff_sources or 'aucune'}"),
            Figure("Coût total prévu", format_euros(b.planned_total_cost), str(conv.year),
                   f"convention {conv.year} : {conv.file_name} v{conv.version}"),
            Figure("Taux de consommation", format_percent(b.consumption), period,
                   "coût total éligible / coût total prévu"),
            Figure("Part de l'opération écoulée", format_percent(b.elapsed, 0), f"au {format_date(end)}",
                   f"appel à projets {conv.year} : opération du {format_date(b.operation_start)} "
                   f"au {format_date(b.operation_end)}"),
        ),
    )  # fmt: skip
    return ([said], []) if b.stands_out else ([], [said])


def _change_item(change: Change, *, article: bool = True) -> str:
    """« des formations (12 contre 8, +50 %) », « des formations (5 contre 0) » (no « +∞ % »)."""
    name = _name(_INDICATORS[change.indicator])
    figures = f"{format_number(change.after)} contre {format_number(change.before)}"
    if change.share is not None:
        figures += f", {change_percent(change.share)}"
    return f"{'des ' if article else ''}{name} ({figures})"


def _changes(summary: QuarterSummary, compared: QuarterValues | None, *, year_earlier: bool) -> list[Sentence]:
    """Rises and falls against a quarter received; nothing against one not received, nothing for a quarter at 0
    everywhere (said once by `_no_activity`), nothing when no change is notable."""
    current = summary.current
    if compared is None or not compared.received or not current.received or without_activity(current.values):
        return []
    label = quarter_label(compared.period)
    if year_earlier:
        intro = f"Par rapport au {label} (même trimestre l'an dernier)"
    elif compared.period.year != summary.period.year:
        intro = f"Par rapport au {label} (trimestre précédent)"
    else:
        intro = f"Par rapport au {label}"
    changes = notable_changes(compared.values, current.values)
    if not changes:  # a quarter like the one compared is nothing to say
        return []
    parts = []
    for word, side in (("hausse", [c for c in changes if c.rise]), ("baisse", [c for c in changes if not c.rise])):
        if len(side) == len(INDICATORS):  # « baisse des six indicateurs : formations (…), … »
            parts.append(f"{word} des six indicateurs : {_enumerate([_change_item(c, article=False) for c in side])}")
        elif side:
            parts.append(f"{word} {_enumerate([_change_item(c) for c in side])}")
    text = f"{intro} : {' ; '.join(parts)}."
    codes = [c.indicator for c in changes]
    figures = tuple(f for code in codes for f in (_value_figure(current, code), _value_figure(compared, code)))
    return [Sentence(text, figures)]


def _inactive_orientations(summary: QuarterSummary) -> list[Sentence]:
    current = summary.current
    if not current.received or without_activity(current.values):
        return []
    by_code = {o.orientation: o for o in summary.by_orientation}
    inactive = inactive_orientations({code: o.values for code, o in by_code.items()})
    if not inactive:
        return []
    names = [f"{code} ({_ORIENTATIONS[code].label[:1].lower()}{_ORIENTATIONS[code].label[1:]})" for code in inactive]
    where = f"l'orientation {names[0]}" if len(names) == 1 else f"les orientations {_enumerate(names)}"
    label = quarter_label(summary.period)
    return [
        Sentence(
            f"Aucune activité déclarée au {label} dans {where}.",
            tuple(
                Figure(f"Orientation {code}, six indicateurs", "0", label, by_code[code].sources or "–")
                for code in inactive
            ),
        )
    ]


# --- for the page and the PDF ---


def title(summary: QuarterSummary) -> str:
    """« Le trimestre en bref – ISARR, T3 2025 »."""
    return f"Le trimestre en bref – {summary.network_head}, {quarter_label(summary.period)}"


def scope_note(summary: QuarterSummary) -> str | None:
    """Said under the sentences when the filter leaves orientations out: the indicator figures add up only
    the chosen ones."""
    if set(summary.orientations) == set(_ORIENTATIONS):
        return None
    return (
        "Indicateurs comptés sur les orientations choisies dans les filtres : "
        f"{', '.join(o for o in _ORIENTATIONS if o in summary.orientations)}."
    )


def nothing_to_say(summary: QuarterSummary) -> str:
    """When no rule finds anything to say."""
    return f"Rien de notable à signaler pour le {quarter_label(summary.period)}."


def rules_note() -> str:
    """How the sentences are written, said under them: fixed rules on the figures, the same as the alerts'."""
    return (
        "Phrases écrites par des règles fixes à partir des chiffres des dépôts (sans service extérieur) : une "
        f"variation est dite à partir de {format_percent(NOTABLE_CHANGE_SHARE, 0)} et {NOTABLE_CHANGE_UNITS} unités ; "
        f"un objectif est en danger sous {format_percent(TARGET_ALERT_SHARE, 0)} à la fin du T{TARGET_ALERT_QUARTER} ; "
        f"la consommation est signalée à plus de {format_number(CONSUMPTION_GAP_POINTS)} points du temps écoulé."
    )


def figures_table(said: Sequence[Sentence]) -> pd.DataFrame:
    """The figures behind each sentence (« d'où viennent ces chiffres »): sentence number, figure, value,
    period and source."""
    rows = [
        {"Phrase": n, "Chiffre": f.label, "Valeur": f.value, "Période": f.period, "Source": f.source}
        for n, s in enumerate(said, start=1)
        for f in s.figures
    ]
    return pd.DataFrame(rows, columns=["Phrase", "Chiffre", "Valeur", "Période", "Source"])


_MARKDOWN = str.maketrans({c: f"\\{c}" for c in "\\`*_{}[]()#+-.!|$<>~"})


def as_markdown(said: Sequence[Sentence]) -> str:
    """A numbered list whose numbers match the figures table; each text escaped, so that a reason typed by a
    reviewer (« $ », « * », « [lien](…) ») shows as typed."""
    return "\n".join(f"{n}. {s.text.translate(_MARKDOWN)}" for n, s in enumerate(said, start=1))
