"""New versions of demo files, built from the files themselves with the csv module (not by iaedash).

Shared by the review, journal and network-upload tests: a corrected quarter, a corrected staff file, an
amended convention — each a file a network head or the Direction could really send.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from demo_truth import DEMO

from iaedash.ingest.load import IncomingFile


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a demo CSV, whatever its encoding (UTF-8 with or without BOM, Windows-1252) and
    separator (the demo files use both): the new version is written in UTF-8 with semicolons."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    sep = ";" if ";" in text.splitlines()[0] else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=sep))
    return rows[0], [r for r in rows[1:] if r]


def _write(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def corrected_indicators(head: str, quarter: int, *, add: int = 1, comment: str | None = None) -> IncomingFile:
    """The demo indicators file of `head` and `quarter`, its first value raised by `add` (and `comment` on it)."""
    header, rows = _read(DEMO / f"{head}_2025_T{quarter}_indicateurs.csv")
    value = header.index("valeur")
    rows[0][value] = str(int(rows[0][value]) + add)
    if comment is not None:
        rows[0][header.index("commentaire")] = comment
    return IncomingFile(f"{head}_2025_T{quarter}_indicateurs_v{add + 1}.csv", _write(header, rows))


def corrected_staff(head: str, quarter: int, *, support: bool = False) -> IncomingFile:
    """The demo staff-costs file of `head` and `quarter`, its first line's monthly cost raised by 10 €
    (and that line made a support function, so not eligible, when `support`)."""
    header, rows = _read(DEMO / f"{head}_2025_T{quarter}_personnel.csv")
    cost = header.index("cout_mensuel")
    euros = float(rows[0][cost].replace(",", "."))
    rows[0][cost] = f"{euros + 10:.2f}".replace(".", ",")
    if support:
        rows[0][header.index("fonction_support")] = "oui"
    return IncomingFile(f"{head}_2025_T{quarter}_personnel_corrige.csv", _write(header, rows))


def amended_convention(head: str) -> IncomingFile:
    """The convention of `head` alone, renamed (an amendment: a new version of that convention only)."""
    header, rows = _read(DEMO / "conventions_2025.csv")
    [row] = [r for r in rows if r[0] == head]
    row[header.index("nom")] += " – avenant"
    return IncomingFile(f"convention_{head}_2025_avenant.csv", _write(header, [row]))
