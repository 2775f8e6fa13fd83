"""The fiche réseau as a PDF, for the follow-up meeting: the page's figures and charts on A4 pages that print in
black and white, with the filters and the date of the figures on every page.

Shared by the Fiche réseau page (a download button, built on click) and `iaedash fiche`. It reads what the page
reads, through the same read models and presenters; budgets appear in totals only, never a staff line, so the
document may go to anyone who may open the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pandas as pd
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from iaedash import store
from iaedash.documents import pdf
from iaedash.documents.print_charts import Fill, ShareBar, quarters_by_orientation, shares, swatch
from iaedash.domain.access import Viewer
from iaedash.domain.monitoring import target_achievement
from iaedash.domain.reference import INDICATORS, ORIENTATIONS
from iaedash.filters import Filters
from iaedash.final_report.narrative import NoConventionError
from iaedash.formatting import format_date, format_euros, format_number, format_percent
from iaedash.presenters import network_head as frames
from iaedash.presenters import review as review_text
from iaedash.presenters import summary as words
from iaedash.presenters.indicators import target_of
from iaedash.reports import budget, common
from iaedash.reports.overview import through_quarter
from iaedash.reports.summary import quarter_summary
from iaedash.review import ScopeState, ThreadItem, review_states, threads

MIME = "application/pdf"
DEMO_WARNING = "Données de démonstration fictives"
# The bars of the two share charts: achievement and consumption dark and plain, the time elapsed light and hatched.
ACHIEVED = Fill("#4D4D4D")
ELAPSED = Fill("#C8C8C8", "rising")


@dataclass(frozen=True)
class FicheData:
    """Everything the fiche shows, as the page's read models give it (no French yet, but the presenters')."""

    network_head: str
    name: str
    filters: Filters  # the fiche's own: this network head only
    day: date  # the day statuses and time elapsed are computed at (the as-of day, or today)
    as_of: common.AsOf
    demo: bool
    convention: pd.Series
    sums: common.IndicatorSums
    consumption: budget.Consumption | None  # None: no quarter of the selection has ended by `day`
    states: list[ScopeState]
    thread: list[ThreadItem]
    history: pd.DataFrame
    comments: pd.DataFrame


def load(db: Path, viewer: Viewer, network_head: str, filters: Filters, day: date) -> FicheData:
    """The page's reads for one network head, for `viewer` (a network head's account gets its own fiche only)."""
    viewer.require(viewer.sees(network_head), f"fiche réseau de {network_head}")
    mine = replace(filters, network_heads=(network_head,))
    conventions = common.conventions(db, viewer, mine)
    if conventions.empty:
        raise NoConventionError(f"aucune convention {filters.year} pour le réseau « {network_head} »")
    convention = conventions.iloc[0]
    through = through_quarter(mine, day)
    consumption = None
    if through is not None:
        [consumption] = [c for c in budget.consumption(db, viewer, mine, through) if c.network_head == network_head]
    return FicheData(
        network_head,
        convention["name"],
        mine,
        day,
        common.as_of(db, viewer, filters.as_of),
        store.data_status(db).demo,
        convention,
        common.indicator_sums(db, viewer, mine),
        consumption,
        review_states(db, viewer, mine.year, (network_head,), mine.as_of),
        threads(db, viewer, mine.year, (network_head,), mine.as_of),
        common.submission_history(db, viewer, mine),
        common.comments(db, viewer, mine),
    )


def file_name(network_head: str, filters: Filters) -> str:
    """« fiche_reseau_2025_T1-T4_FEIAL.pdf », « …_au-2025-08-01.pdf »: the file says what it shows."""
    return f"fiche_reseau_{replace(filters, network_heads=(network_head,)).slug()}.pdf"


def date_line(filters: Filters, as_of: common.AsOf) -> str:
    """« données au 20/02/2026 », or in the past « état au 01/08/2025 (dernier dépôt reçu le 16/07/2025) »."""
    received = f"dernier dépôt reçu le {format_date(as_of.data_as_of)}" if as_of.data_as_of else "aucun dépôt reçu"
    if filters.as_of is not None:
        return f"{filters.as_of_label()} ({received})"
    return f"données au {format_date(as_of.data_as_of)}" if as_of.data_as_of else received


def filters_line(data: FicheData) -> str:
    """The header's second line: the filters of the fiche and the date of its figures."""
    f = data.filters
    return f"Filtres : {data.network_head} · {f.period_label()} · {f.orientations_label()} · {date_line(f, data.as_of)}"


def nothing_sent(data: FicheData) -> str:
    """The page's sentence when no indicator was received for the selection."""
    return (
        f"{data.network_head} n'a encore envoyé aucun dépôt d'indicateurs pour {data.filters.period_label()}"
        + (f" ({data.filters.as_of_label()})." if data.filters.as_of else ".")
    )


# --- the sections, in the order of the page's tabs ---


def _title(data: FicheData, summary: Sequence[str], summary_title: str) -> list[Flowable]:
    out: list[Flowable] = [
        pdf.paragraph(f"Fiche réseau – {data.name} ({data.network_head})", pdf.TITLE),
        pdf.paragraph(
            f"Réunion de suivi · {data.filters.period_label()} · {data.filters.orientations_label()} · "
            f"{date_line(data.filters, data.as_of)}",
            pdf.SUBTITLE,
        ),
    ]
    if summary:
        out.append(pdf.paragraph(summary_title, pdf.H2))
        out += [pdf.Paragraph(pdf.markup(s), pdf.BULLET, bulletText="•") for s in summary]
    return out


def _indicators(data: FicheData) -> list[Flowable]:
    f, head = data.filters, data.network_head
    table = frames.indicators_against_targets(data.sums.by_quarter, data.convention["targets"], f.quarters)
    quarters = [f"T{q}" for q in f.quarters]
    bars = []
    for ind in INDICATORS:
        total = int(data.sums.by_quarter.loc[data.sums.by_quarter["indicator"] == ind.code, "value"].sum())
        target = target_of(data.convention["targets"], ind.code)
        share = target_achievement(total, target)
        text = (
            f"{format_number(total)} {ind.unit} – pas d'objectif"
            if share is None
            else f"{format_percent(share, 0)} – {format_number(total)} sur {format_number(target)}"
        )
        bars.append(ShareBar(ind.short, share, text, ACHIEVED))
    return [
        pdf.paragraph(f"Indicateurs de {head} et objectifs annuels – {f.period_label()}", pdf.H1),
        *([pdf.paragraph(nothing_sent(data))] if data.sums.by_quarter.empty else []),
        pdf.table(table, right=[*quarters, "Total", "Objectif annuel", "Atteint"]),
        KeepTogether(
            [
                pdf.paragraph(
                    f"Part de l'objectif annuel atteinte par indicateur – {head}, {f.period_label()} "
                    "(% de l'objectif annuel)",
                    pdf.H2,
                ),
                shares(bars, Decimal(100), "objectif annuel", pdf.TEXT_WIDTH),
            ]
        ),
    ]


def _legend(orientations: Sequence[str]) -> Table:
    names = {o.code: o.label for o in ORIENTATIONS}
    cells = [[swatch(code), pdf.paragraph(names[code], pdf.CELL)] for code in orientations]
    rows = [[*cells[i], *(cells[i + 1] if i + 1 < len(cells) else ["", ""])] for i in range(0, len(cells), 2)]
    legend = Table(rows, colWidths=[36, pdf.TEXT_WIDTH / 2 - 36] * 2, hAlign="LEFT")
    legend.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return legend


CHART_WIDTH = 262.0
FACTS_WIDTH = 400.0  # label / value tables: the value near its label


def _by_orientation(data: FicheData) -> list[Flowable]:
    f, head = data.filters, data.network_head
    detail = data.sums.by_quarter_and_orientation
    heading = pdf.paragraph(f"{head} par trimestre et orientation – {f.period_label()}", pdf.H1)
    if detail.empty:
        return [heading, pdf.paragraph(nothing_sent(data))]
    out: list[Flowable] = [
        heading,
        pdf.paragraph(
            "Chaque orientation a son gris et sa trame ; les segments assez hauts portent leur orientation et leur "
            "valeur, le total du trimestre est au-dessus de la barre, « – » : aucune valeur reçue pour ce trimestre.",
            pdf.NOTE,
        ),
        _legend(f.orientations),
        Spacer(1, 4),
    ]
    quarters = [f"T{q}" for q in f.quarters]
    for ind in INDICATORS:
        rows = detail[detail["indicator"] == ind.code][["quarter", "orientation", "value"]]
        chart = quarters_by_orientation(rows, f.quarters, f.orientations, ind.unit, CHART_WIDTH - 8, 132)
        values = {(int(r.quarter), r.orientation): int(r.value) for r in rows.itertuples(index=False)}
        present = {q for q, _ in values}
        lines = []
        for code in f.orientations:
            line: dict[str, object] = {"Orientation": swatch(code)}
            for q in f.quarters:
                line[f"T{q}"] = values.get((q, code), 0) if q in present else None
            line["Total"] = sum(v for (_, o), v in values.items() if o == code) if present else None
            lines.append(line)
        total: dict[str, object] = {"Orientation": "Total"}
        for q in f.quarters:
            total[f"T{q}"] = sum(v for (q_, _), v in values.items() if q_ == q) if q in present else None
        total["Total"] = sum(values.values()) if present else None
        shown = pd.DataFrame([*lines, total], columns=["Orientation", *quarters, "Total"])
        out.append(
            KeepTogether(
                [
                    pdf.paragraph(
                        f"{ind.short} de {head} par trimestre et orientation – {f.period_label()} ({ind.unit})",
                        pdf.H2,
                    ),
                    pdf.side_by_side(
                        chart,
                        pdf.table(
                            shown, right=[*quarters, "Total"], bold_last_row=True, total=pdf.TEXT_WIDTH - CHART_WIDTH
                        ),
                        CHART_WIDTH,
                    ),
                ]
            )
        )
    return out


def _convention(data: FicheData) -> list[Flowable]:
    return [
        pdf.paragraph(f"Convention {data.filters.year} de {data.network_head}", pdf.H1),
        pdf.table(frames.convention_facts(data.convention), right=["Valeur"], total=FACTS_WIDTH),
    ]


def _budget(data: FicheData) -> list[Flowable]:
    c, year, head = data.consumption, data.filters.year, data.network_head
    if c is None:
        return [
            pdf.paragraph(f"Consommation de la convention de {head} – {year}", pdf.H1),
            pdf.paragraph(
                "Aucun trimestre de la sélection n'est encore terminé : pas encore de consommation à montrer."
            ),
        ]
    period = f"T1 à T{c.through_quarter} {year}"
    facts = pd.DataFrame(
        [
            ("Dépenses de personnel éligibles", format_euros(c.costs.eligible_staff_costs)),
            ("Forfait de 40 %", format_euros(c.costs.flat_rate)),
            ("Coût total éligible", format_euros(c.costs.total_eligible_cost)),
            ("Coût total prévu", format_euros(c.planned_total)),
            ("Taux de consommation (coût total éligible / coût total prévu)", format_percent(c.rate)),
            (f"Part de l'opération écoulée à la fin du T{c.through_quarter}", format_percent(c.elapsed, 0)),
        ],
        columns=["Élément", "Valeur"],
    )
    bars = [
        ShareBar("Consommation du prévu", c.rate, format_percent(c.rate), ACHIEVED),
        ShareBar("Temps écoulé", c.elapsed, format_percent(c.elapsed, 0), ELAPSED),
    ]
    note = (
        f"{c.ineligible_lines} ligne(s) de personnel inéligible(s) ({c.ineligibility_reasons}), comptées dans les "
        "dépenses déclarées mais pas dans le coût éligible."
        if c.ineligible_lines
        else "Toutes les lignes de personnel sont éligibles."
    )
    return [
        pdf.paragraph(f"Consommation de la convention de {head} – {period}", pdf.H1),
        pdf.table(facts, right=["Valeur"], total=FACTS_WIDTH),
        KeepTogether(
            [
                pdf.paragraph(
                    f"Consommation du coût total prévu et temps écoulé – {head}, {period} (%)",
                    pdf.H2,
                ),
                shares(bars, Decimal(100), "prévu, fin de l'opération", pdf.TEXT_WIDTH),
            ]
        ),
        pdf.paragraph(f"Budget en totaux, sans détail du personnel. {note}", pdf.NOTE),
    ]


def _submissions(data: FicheData) -> list[Flowable]:
    f, head, year = data.filters, data.network_head, data.filters.year
    out: list[Flowable] = [pdf.paragraph(f"Revue des dépôts de {head} – {year}", pdf.H1)]
    if data.states:
        states = review_text.states_table(data.states).drop(columns=["Réseau"])
        out.append(pdf.table(states))
    else:
        out.append(pdf.paragraph(f"Aucun dépôt reçu de {head} pour {year}."))
    out.append(
        pdf.paragraph(
            "Chaque trimestre reçu est examiné par la Direction : reçu, puis validé, ou à corriger (avec le motif), "
            "nouvelle version reçue, validé, verrouillé.",
            pdf.NOTE,
        )
    )
    out.append(pdf.paragraph(f"Fil de suivi de {head} – {year}", pdf.H1))
    thread = review_text.thread_table(data.thread)
    if thread.empty:
        out.append(pdf.paragraph("Aucun commentaire ni acte de revue pour l'instant."))
    else:
        out.append(pdf.table(thread.drop(columns=["Réseau"])))
    out.append(pdf.paragraph(f"Historique des dépôts de {head} – {year}", pdf.H1))
    if data.history.empty:
        out.append(pdf.paragraph(f"Aucun dépôt reçu de {head} pour {year}."))
    else:
        history = frames.history_table(data.history)
        out.append(pdf.table(history, right=["Version"]))
    out.append(pdf.paragraph(f"Commentaires envoyés dans les fichiers – {f.period_label()}", pdf.H1))
    if data.comments.empty:
        out.append(pdf.paragraph("Aucun commentaire dans les dépôts de cette sélection."))
    else:
        c = data.comments
        comments = pd.DataFrame(
            {
                "Trimestre": [f"T{int(q)}" for q in c["quarter"]],
                "Orientation": c["orientation"],
                "Indicateur": c["indicator"],
                "Territoire": c["territory"],
                "Valeur": c["value"],
                "Commentaire": c["comment"],
                "Fichier": c["file_name"],
                "Version, ligne": [
                    f"v{v}, ligne {line}" for v, line in zip(c["version"], c["source_line"], strict=True)
                ],
            }
        )
        out.append(pdf.table(comments, right=["Valeur"]))
    return out


def render(
    data: FicheData,
    summary: Sequence[str] = (),
    printed_at: datetime | None = None,
    summary_title: str = "Le trimestre en bref",
) -> bytes:
    """The PDF of the fiche. `summary`: the sentences of « Le trimestre en bref », printed under the title."""
    printed = printed_at or datetime.now()
    decor = pdf.Decor(
        heading=f"Fiche réseau {data.network_head} – {data.name}",
        filters_line=filters_line(data),
        footer=f"iaedash · Département du Pas-de-Calais, DPID · édité le {printed:%d/%m/%Y à %H:%M}",
        demo_warning=DEMO_WARNING if data.demo else None,
    )
    story = [
        *_title(data, summary, summary_title),
        *_indicators(data),
        *_by_orientation(data),
        *_convention(data),
        *_budget(data),
        *_submissions(data),
    ]
    title = f"Fiche réseau {data.network_head} – {data.filters.period_label()}"
    return pdf.render(story, decor, title, f"{data.name} : indicateurs, convention, budget, dépôts")


def build(db: Path, viewer: Viewer, network_head: str, filters: Filters, day: date) -> bytes:
    """The fiche réseau PDF of `network_head` for `viewer`, on the filters' year, quarters, orientations and day,
    with « Le trimestre en bref » of the page (the same rules, the same sentences) under its title."""
    data = load(db, viewer, network_head, filters, day)
    found = quarter_summary(db, viewer, filters, network_head, day)
    if found is None:  # no quarter of the selection has ended yet: nothing to sum up
        return render(data)
    said = tuple(s.text for s in words.sentences(found)) or (words.nothing_to_say(found),)
    return render(data, said, summary_title=words.title(found))
