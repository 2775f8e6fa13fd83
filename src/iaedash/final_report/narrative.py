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
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt, RGBColor
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph

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


# A4 portrait with 2 cm margins: tables are laid out on the 17 cm between them.
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Cm(21), Cm(29.7), Cm(2)
TABLE_FONT = Pt(9)
# Column widths, in cm, of the two kinds of table (each adds up to 17 cm), measured in DejaVu Sans, the wider
# font LibreOffice prints in where Calibri is missing, with Word's 0.19 cm cell margins on each side: the
# first column holds every short label on one line (« Accompagnements gouvernance », 5.3 cm), a quarter a
# figure up to « 9 999 », Total up to « 99 999 », Objectif « pas d'objectif » (2.2 cm), each its one-word header.
SUMMARY_WIDTHS = (6.0, 1.3, 1.3, 1.3, 1.3, 1.5, 2.6, 1.7)
ORIENTATION_WIDTHS = (6.0, 2.2, 2.2, 2.2, 2.2, 2.2)


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
    as_of: date | None = None  # the day the figures stand at (None: today)


def load(db: Path, viewer: Viewer, network_head: str, year: int, as_of: date | None = None) -> NarrativeData:
    """The same reads as the pages (the marts through reports.common), for one network head's whole year, as the
    data stood on `as_of` (None: today)."""
    mine = Filters(year, (network_head,), as_of=as_of)
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
        as_of,
    )


def _a4(document: Document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = MARGIN


def _fixed_width(table: Table, widths: list[Length]) -> None:
    """Fixed layout, widths written twice: Word lays a table out by each cell's width (tcW), LibreOffice by the
    table's grid (gridCol); either alone lets the other squeeze the first column to a syllable per line."""
    table.autofit = False  # w:tblLayout type="fixed"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    properties = table._tbl.tblPr
    table_width = properties.find(qn("w:tblW"))
    if table_width is None:  # python-docx writes one; if not, it goes right after the style, as the schema wants
        table_width = OxmlElement("w:tblW")
        properties.insert(0 if properties.find(qn("w:tblStyle")) is None else 1, table_width)
    table_width.set(qn("w:w"), str(sum(w.twips for w in widths)))
    table_width.set(qn("w:type"), "dxa")
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # w:gridCol
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width  # w:tcW


def _repeat_header(row: _Row) -> None:
    """The header row is printed again at the top of each page the table runs onto."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _table(document: Document, header: list[str], rows: list[list[str]], widths_cm: tuple[float, ...]) -> None:
    """A table of a text column then figures (right-aligned, their headers too), at the given widths."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Light Grid Accent 1"
    for row in [header, *rows]:
        cells = table.rows[0].cells if row is header else table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.text = text
            paragraph = cell.paragraphs[0]
            run = paragraph.runs[0]
            run.font.size = TABLE_FONT
            run.bold = row is header
            if index > 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _repeat_header(table.rows[0])
    _fixed_width(table, [Cm(w) for w in widths_cm])


def _after_table(document: Document, text: str = "", style: str | None = None) -> Paragraph:
    """The paragraph right under a table, set off from it."""
    paragraph = document.add_paragraph(text, style)
    paragraph.paragraph_format.space_before = Pt(6)
    return paragraph


def _full_labels(document: Document) -> None:
    """Under the summary, what each short label of its first column stands for, and its unit."""
    for ind in INDICATORS:
        paragraph = _after_table(document) if ind is INDICATORS[0] else document.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(1)
        for text, bold in ((f"{ind.short} : ", True), (f"{ind.label}, en {ind.unit}.", False)):
            run = paragraph.add_run(text)
            run.font.size, run.italic, run.bold = Pt(8.5), True, bold


def _to_write(document: Document, text: str) -> None:
    """A passage the network head writes: visibly marked, so that no draft goes out unfinished."""
    paragraph = document.add_paragraph()
    run = paragraph.add_run(f"À rédiger – {text}")
    run.italic = True
    run.font.color.rgb = RGBColor(0xA0, 0x3A, 0x00)


def narrative_docx(data: NarrativeData, generated_on: date) -> bytes:
    """The .docx draft; every figure comes from the current versions of the network head's submissions."""
    document = Document()
    _a4(document)
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(10.5)
    document.add_heading(f"Bilan pédagogique {data.year} – {data.name} ({data.network_head})", level=0)
    intro = document.add_paragraph()
    intro.add_run(
        f"Opération du {format_date(data.start)} au {format_date(data.end)}, appel à projets « Contrepartie FSE+ – "
        "ingénierie de projets, soutien des structures d'IAE » du Département du Pas-de-Calais. "
    )
    intro.add_run(
        f"Projet établi le {format_date(generated_on)} par iaedash à partir des dépôts trimestriels reçus"
        + (f" jusqu'au {format_date(data.as_of)} inclus" if data.as_of else "")
        + " ; les chiffres sont ceux des versions courantes"
        + (" à cette date" if data.as_of else "")
        + ", les passages « À rédiger » sont à compléter avant l'envoi sur E partenaire."
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
                ind.short,
                *(format_number(v) for v in per_quarter),
                format_number(total),
                "pas d'objectif" if target is None else format_number(target),
                "–" if share is None else format_percent(share, 0),
            ]
        )
    _table(document, ["Indicateur", "T1", "T2", "T3", "T4", "Total", "Objectif", "Atteint"], rows, SUMMARY_WIDTHS)
    _full_labels(document)

    for orientation in ORIENTATIONS:
        document.add_heading(f"{orientation.code} – {orientation.label}", level=1)
        _to_write(document, GUIDANCE[orientation.code])
        rows = []
        for ind in INDICATORS:
            per_quarter = [data.values.get((qq, orientation.code, ind.code), 0) for qq in quarters]
            rows.append([ind.short, *(format_number(v) for v in per_quarter), format_number(sum(per_quarter))])
        _table(document, ["Indicateur", "T1", "T2", "T3", "T4", "Total"], rows, ORIENTATION_WIDTHS)
        mine = [c for c in data.comments if c["orientation"] == orientation.code]
        if mine:
            _after_table(document, "Commentaires envoyés avec les dépôts :")
            labels = {i.code: i.short for i in INDICATORS}
            for c in mine:
                where = "" if c["territory"] == "DEP" else f", {c['territory']}"
                document.add_paragraph(
                    f"T{c['quarter']} – {labels[c['indicator']]} ({format_number(c['value'])}{where}) : {c['comment']}",
                    style="List Bullet",
                )
        else:
            _after_table(document, "Aucun commentaire envoyé avec les dépôts pour cette orientation.")

    document.add_heading("Objectifs transversaux de l'appel", level=1)
    _to_write(
        document,
        "grands chantiers structurants (Grand Site des Deux-Caps, Engagement pour le Renouveau du Bassin Minier), "
        "liens avec la culture, le sport et l'environnement, anticipation des gisements d'emplois par territoire.",
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
