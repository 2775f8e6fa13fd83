"""Exports for analysts: datasets that honour the filters, in the formats their tools open.

`datasets` builds the frames (SQL aggregates + domain rules), `dictionary` describes every column,
`writers` turns a frame into CSV (French Excel or plain), XLSX or Parquet.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from iaedash.db.connection import connect
from iaedash.domain.access import Viewer
from iaedash.exports.datasets import BUILDERS, everything
from iaedash.exports.dictionary import DATASETS, dictionary_frame
from iaedash.exports.writers import FORMATS, neutralise_formula, render, to_french_csv, to_plain_csv, to_xlsx
from iaedash.filters import Filters

__all__ = [
    "DATASETS",
    "FORMATS",
    "build",
    "dictionary_frame",
    "export_dataset",
    "file_name",
    "neutralise_formula",
    "render",
    "to_french_csv",
    "to_plain_csv",
    "to_xlsx",
]


def build(db_path: Path, viewer: Viewer, name: str, filters: Filters, today: date | None = None) -> pd.DataFrame:
    """Dataset `name` for the filters, as the viewer may see it (exports are for analysts and gestionnaires); the
    statuses are those of the filters' as-of day when there is one."""
    viewer.require(viewer.may_export, f"export {name}")
    with connect(db_path, read_only=True) as con:
        return BUILDERS[name](con, viewer, filters, filters.as_of or today or date.today())


# Datasets that cover whole years whatever quarters or orientations are chosen: their names say so.
WHOLE_YEAR = {"budget", "imports"}


def file_name(name: str, filters: Filters, fmt: str) -> str:
    """Says what the file holds: « iae_indicateurs_2025_T1-T3_tous-reseaux.csv »."""
    if name in WHOLE_YEAR:
        filters = Filters(filters.year, filters.network_heads, as_of=filters.as_of)
    return f"iae_{name}_{filters.slug()}{FORMATS[fmt][1]}"


def export_dataset(
    db_path: Path,
    viewer: Viewer,
    name: str,
    out: Path,
    fmt: str = "csv",
    filters: Filters | None = None,
    today: date | None = None,
) -> int:
    """Write dataset `name` to `out`; returns the number of rows written."""
    chosen = filters or everything()
    frame = build(db_path, viewer, name, chosen, today)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(render(frame, name, fmt, dictionary_frame(name)))
    return len(frame)


def export_dictionary(out: Path, fmt: str = "csv") -> int:
    """The whole data dictionary as a file."""
    frame = dictionary_frame()
    data = (
        to_xlsx(frame, "dictionnaire")
        if fmt == "xlsx"
        else (to_plain_csv(frame) if fmt == "csv-brut" else to_french_csv(frame))
    )
    out.write_bytes(data)
    return len(frame)
