"""Both documents of the final-report pack, named after what they hold, for the page and the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from iaedash.final_report import financial, narrative


@dataclass(frozen=True)
class Document:
    file_name: str
    data: bytes
    mime: str


def final_report_pack(db: Path, network_head: str, year: int, today: date) -> list[Document]:
    """The bilan pédagogique draft (.docx) and the bilan d'exécution (.xlsx) of one network head and year."""
    story = narrative.load(db, network_head, year)
    money = financial.load(db, network_head, year, today)
    return [
        Document(
            f"bilan_pedagogique_{network_head}_{year}.docx",
            narrative.narrative_docx(story, today),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        Document(
            f"bilan_execution_{network_head}_{year}.xlsx",
            financial.execution_workbook(money, story.name, today),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ]
