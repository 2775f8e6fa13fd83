"""How big a submission file may be, in one place: checked before anything is parsed.

A file comes from outside the Direction (a network head uploads it), so what it costs to read is bounded
by these figures alone, whatever it declares or holds. Each limit is far above a real file: a network
head's quarter is a few hundred rows and a few hundred kilobytes; the bulk files of a migration
(`iaedash import --lot`, years of history at once) have their own, higher limits. The README and
docs/format-depot.md state them; the messages name them.
"""

from __future__ import annotations

from dataclasses import dataclass

from iaedash.formatting import format_number

MB = 1_000_000


@dataclass(frozen=True)
class Limits:
    """Bounds of one kind of input."""

    file_bytes: int  # size on disk (or upload)
    rows: int  # data rows (not counting the header)
    columns: int  # cells in any row, the header included
    unpacked_bytes: int = 0  # .xlsx: every part once unzipped, together
    parts: int = 0  # .xlsx: entries of the zip archive
    shared_strings: int = 0  # .xlsx: distinct texts of the workbook


# A quarterly file (indicateurs, personnel, convention), CSV or .xlsx; the app's upload limit is the same
# 20 MB (.streamlit/config.toml, maxUploadSize).
SUBMISSION = Limits(
    file_bytes=20 * MB,
    rows=200_000,
    columns=16_384,  # Excel's own last column (XFD): a stray keystroke far right is still a workbook
    unpacked_bytes=100 * MB,
    parts=1_000,
    shared_strings=2_000_000,
)

# A bulk file of the migration (`import --lot`): CSV or Parquet, read column-wise by Arrow.
LOT = Limits(file_bytes=4_000 * MB, rows=50_000_000, columns=1_000)

# A file's name is part of its kept copy's (`load.kept_file_name`: 34 bytes of import number and dates before
# it, a mark after), and a file system holds 255 bytes in a name: a longer name is refused, never cut.
NAME_BYTES = 200

EXCEL_LAST_ROW = 1_048_576  # a workbook's row number beyond this one is damage, not data


def shown_bytes(size: int) -> str:
    """A size as a French reader says it: « 20 Mo », « 1,5 Go »."""
    if size >= 1_000 * MB:
        return f"{size / (1_000 * MB):.1f} Go".replace(".", ",").replace(",0 ", " ")
    if size >= MB:
        return f"{size / MB:.1f} Mo".replace(".", ",").replace(",0 ", " ")
    return f"{size / 1_000:.0f} ko"


def shown_count(count: int) -> str:
    """« 200 000 », the French grouping of the rest of the app."""
    return format_number(count)
