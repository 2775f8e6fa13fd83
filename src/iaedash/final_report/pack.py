"""Both documents of the final-report pack, named after what they hold, for the page and the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from iaedash.domain.access import Viewer
from iaedash.final_report import financial, narrative


@dataclass(frozen=True)
class Document:
    file_name: str
    data: bytes
    mime: str


def final_report_pack(db: Path, viewer: Viewer, network_head: str, year: int, today: date) -> list[Document]:
    """The bilan pédagogique draft (.docx) and the bilan d'exécution (.xlsx) of one network head and year.

    The workbook lists staff lines: a viewer who may not see them gets the narrative draft alone.
    """
    story = narrative.load(db, viewer, network_head, year)
    if not viewer.sees_staff_lines(network_head):
        return [_narrative(story, today)]
    money = financial.load(db, viewer, network_head, year, today)
    return [
        _narrative(story, today),
        Document(
            f"bilan_execution_{network_head}_{year}.xlsx",
            financial.execution_workbook(money, story.name, today),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ]


def _narrative(story: narrative.NarrativeData, today: date) -> Document:
    return Document(
        f"bilan_pedagogique_{story.network_head}_{story.year}.docx",
        narrative.narrative_docx(story, today),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
