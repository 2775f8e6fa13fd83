"""A problem found in a submission file, phrased for the network head who sent it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """`file[sheet]:line:column: message`; line 1 is the header, as a spreadsheet shows it."""

    file: str
    message: str
    line: int | None = None
    column: str | None = None
    sheet: str | None = None

    @property
    def where(self) -> str:
        place = f"{self.file}[{self.sheet}]" if self.sheet else self.file
        if self.line is not None:
            place += f":{self.line}"
        if self.column is not None:
            place += f":{self.column}"
        return place

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"
