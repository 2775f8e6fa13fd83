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


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Offered:
    """A document of the pack, before it is built: the page offers it and builds it when it is asked for."""

    kind: str  # "pedagogique" (.docx) | "execution" (.xlsx)
    file_name: str
    mime: str


def offered_documents(viewer: Viewer, network_head: str, year: int) -> list[Offered]:
    """What the viewer may download: the workbook lists staff lines, so only who sees them gets it."""
    out = [Offered("pedagogique", f"bilan_pedagogique_{network_head}_{year}.docx", DOCX)]
    if viewer.sees_staff_lines(network_head):
        out.append(Offered("execution", f"bilan_execution_{network_head}_{year}.xlsx", XLSX))
    return out


def build_document(
    db: Path, viewer: Viewer, network_head: str, year: int, today: date, kind: str, as_of: date | None = None
) -> bytes:
    """One document's bytes, read for `viewer` (a workbook for who may not see staff lines is refused), from the
    data as they stood on `as_of` (None: today). The draft is dated `today` and says the day of its figures; the
    workbook's figures, and the days left before the final report, are those of that day."""
    story = narrative.load(db, viewer, network_head, year, as_of)
    if kind == "pedagogique":
        return narrative.narrative_docx(story, today)
    viewer.require(viewer.sees_staff_lines(network_head), f"bilan d'exécution de {network_head}")
    day = as_of or today
    money = financial.load(db, viewer, network_head, year, day, as_of)
    return financial.execution_workbook(money, story.name, day)


def final_report_pack(
    db: Path, viewer: Viewer, network_head: str, year: int, today: date, as_of: date | None = None
) -> list[Document]:
    """The bilan pédagogique draft (.docx) and the bilan d'exécution (.xlsx) of one network head and year.

    The workbook lists staff lines: a viewer who may not see them gets the narrative draft alone.
    """
    return [
        Document(o.file_name, build_document(db, viewer, network_head, year, today, o.kind, as_of), o.mime)
        for o in offered_documents(viewer, network_head, year)
    ]
