"""Bilan pédagogique draft: one section per orientation with its indicators and the comments sent.

A Word document, because a person finishes writing it (the call wants a written account of the actions)
before it goes to E partenaire; the figures are filled in, the prose is left to the network head.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

from iaedash.domain.access import Viewer
from iaedash.domain.monitoring import target_achievement
from iaedash.domain.reference import INDICATORS, ORIENTATIONS
from iaedash.filters import Filters
from iaedash.formatting import format_date, format_number, format_percent
from iaedash.presenters.calls import hypothesis_notice
from iaedash.reports import common

GUIDANCE = {
    "PRO": "Décrivez les actions de professionnalisation des SIAE : outils et logiciels déployés, formations des "
    "encadrants et des salariés permanents, appui aux contrats aidés.",
    "MAR": "Décrivez l'identification et l'accompagnement des SIAE pour répondre aux marchés d'insertion et de "
    "qualification du Département, des communes et des EPCI : sourcing préalable, appui à la construction des "
    "réponses, marchés remportés.",
    "INT": "Décrivez l'intermédiation avec les acteurs de l'insertion : informations partagées entre les SIAE et "
    "le Département, comités et instances suivis.",
    "DIV": "Décrivez l'accompagnement à la diversification et au développement d'activités des SIAE : nouveaux "
    "secteurs explorés (alimentaire, recyclage des déchets du bâtiment…), projets lancés.",
}


class NoConventionError(LookupError):
    """No current convention for this network head and year: there is nothing to report on."""


@dataclass(frozen=True)
class NarrativeData:
    network_head: str
    name: str
    year: int
    start: date
    end: date
    targets: dict[str, int | None]
    values: dict[tuple[int, str, str], int]  # (quarter, orientation, indicator) → value
    comments: list[dict]  # quarter, orientation, indicator, territory, value, comment (rows of `comments`)


def load(db: Path, viewer: Viewer, network_head: str, year: int) -> NarrativeData:
    """The same reads as the pages (the marts through reports.common), for one network head's whole year."""
    mine = Filters(year, (network_head,))
    conventions = common.conventions(db, viewer, mine)
    if conventions.empty:
        raise NoConventionError(f"aucune convention {year} pour le réseau « {network_head} »")
    convention = conventions.iloc[0]
    sums = common.indicator_sums(db, viewer, mine).by_quarter_and_orientation
    values = {(int(r.quarter), r.orientation, r.indicator): int(r.value) for r in sums.itertuples(index=False)}
    comments = common.comments(db, viewer, mine).sort_values(["orientation", "quarter", "indicator"], kind="stable")
    return NarrativeData(
        network_head,
        convention["name"],
        year,
        convention["start_date"],
        convention["end_date"],
        dict(convention["targets"] or {}),
        values,
        comments.to_dict("records"),
    )


def _table(document: Document, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.text = text
            if index > 0:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _to_write(document: Document, text: str) -> None:
    """A passage the network head writes: visibly marked, so that no draft goes out unfinished."""
    paragraph = document.add_paragraph()
    run = paragraph.add_run(f"À rédiger – {text}")
    run.italic = True
    run.font.color.rgb = RGBColor(0xA0, 0x3A, 0x00)


def narrative_docx(data: NarrativeData, generated_on: date) -> bytes:
    """The .docx draft; every figure comes from the current versions of the network head's submissions."""
    document = Document()
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(10.5)
    document.add_heading(f"Bilan pédagogique {data.year} – {data.name} ({data.network_head})", level=0)
    intro = document.add_paragraph()
    intro.add_run(
        f"Opération du {format_date(data.start)} au {format_date(data.end)}, appel à projets « Contrepartie FSE+ – "
        "ingénierie de projets, soutien des structures d'IAE » du Département du Pas-de-Calais. "
    )
    intro.add_run(
        f"Projet établi le {format_date(generated_on)} par iaedash à partir des dépôts trimestriels reçus ; "
        "les chiffres sont ceux des versions courantes, les passages « À rédiger » sont à compléter avant "
        "l'envoi sur E partenaire."
    ).italic = True
    notice = hypothesis_notice(data.year)
    if notice:
        document.add_paragraph().add_run(f"{notice}.").italic = True

    quarters = (1, 2, 3, 4)
    document.add_heading("Synthèse des indicateurs", level=1)
    rows = []
    for ind in INDICATORS:
        per_quarter = [sum(data.values.get((qq, o.code, ind.code), 0) for o in ORIENTATIONS) for qq in quarters]
        total = sum(per_quarter)
        target = data.targets.get(ind.code)
        share = target_achievement(total, target)
        rows.append(
            [
                f"{ind.label} ({ind.unit})",
                *(format_number(v) for v in per_quarter),
                format_number(total),
                "pas d'objectif" if target is None else format_number(target),
                "–" if share is None else format_percent(share, 0),
            ]
        )
    _table(document, ["Indicateur", "T1", "T2", "T3", "T4", "Total", "Objectif", "Atteint"], rows)

    for orientation in ORIENTATIONS:
        document.add_heading(f"{orientation.code} – {orientation.label}", level=1)
        _to_write(document, GUIDANCE[orientation.code])
        rows = []
        for ind in INDICATORS:
            per_quarter = [data.values.get((qq, orientation.code, ind.code), 0) for qq in quarters]
            rows.append(
                [f"{ind.short} ({ind.unit})", *(format_number(v) for v in per_quarter), format_number(sum(per_quarter))]
            )
        _table(document, ["Indicateur", "T1", "T2", "T3", "T4", "Total"], rows)
        mine = [c for c in data.comments if c["orientation"] == orientation.code]
        if mine:
            document.add_paragraph("Commentaires envoyés avec les dépôts :")
            labels = {i.code: i.short for i in INDICATORS}
            for c in mine:
                where = "" if c["territory"] == "DEP" else f", {c['territory']}"
                document.add_paragraph(
                    f"T{c['quarter']} – {labels[c['indicator']]} ({format_number(c['value'])}{where}) : {c['comment']}",
                    style="List Bullet",
                )
        else:
            document.add_paragraph("Aucun commentaire envoyé avec les dépôts pour cette orientation.")

    document.add_heading("Objectifs transversaux de l'appel", level=1)
    _to_write(
        document,
        "grands chantiers structurants (Grand Site des Deux-Caps, Engagement pour le Renouveau du Bassin Minier), "
        "liens avec la culture, le sport et l'environnement, anticipation des gisements d'emplois par territoire.",
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
