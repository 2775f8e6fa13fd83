"""Bilan pédagogique draft: the figures by orientation come from the demo files, the prose is left to write."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from demo_truth import targets, totals
from docx import Document
from viewers import MANAGER

from iaedash.domain.reference import INDICATORS, ORIENTATIONS
from iaedash.final_report.narrative import NoConventionError, load, narrative_docx


def test_one_section_per_orientation_with_its_figures_and_comments(demo_db: Path):
    document = Document(io.BytesIO(narrative_docx(load(demo_db, MANAGER, "ISARR", 2025), date(2026, 11, 24))))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert [h for h in headings if h[:3] in {o.code for o in ORIENTATIONS}] == [
        f"{o.code} – {o.label}" for o in ORIENTATIONS
    ]
    done = totals({"ISARR"})
    summary = document.tables[0]
    for ind, row in zip(INDICATORS, summary.rows[1:], strict=True):
        cells = [c.text for c in row.cells]
        total = sum(v for (_h, _q, _o, code), v in done.items() if code == ind.code)
        assert cells[5].replace("\u202f", "") == str(total)
        assert cells[6].replace("\u202f", "") == str(targets()[("ISARR", ind.code)])
    pro = document.tables[1]  # PRO, the first orientation section
    webi = next(r for r in pro.rows if r.cells[0].text.startswith("Participants aux webinaires"))
    assert webi.cells[3].text == str(sum(v for (_h, q, o, c), v in done.items() if (q, o, c) == (3, "PRO", "WEBI")))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "DREETS" in text  # the comment ISARR sent with its one-off webinar
    assert sum(p.text.startswith("À rédiger – ") for p in document.paragraphs) == len(ORIENTATIONS) + 1


def test_a_network_head_without_convention_is_said(demo_db: Path):
    with pytest.raises(NoConventionError, match="aucune convention 2024"):
        load(demo_db, MANAGER, "ISARR", 2024)
