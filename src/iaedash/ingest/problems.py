"""A problem found in a submission file, phrased for the network head who sent it."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Control characters (C0, DEL, C1) and the invisible ones that reorder or hide text: never echoed raw to a
# terminal or a page, shown as \x1b, \u202e…
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def escape_controls(text: str) -> str:
    """A text safe to print: every control or invisible formatting character written as its escape."""
    return _CONTROLS.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True)
class Problem:
    """`file[sheet]:line:column: message`; line 1 is the header, as a spreadsheet shows it."""

    file: str
    message: str
    line: int | None = None
    column: str | None = None
    sheet: str | None = None

    def __post_init__(self) -> None:
        # a file or sheet name comes from outside as well: printed as is, it could drive a terminal
        for name in ("file", "message", "sheet"):
            value = getattr(self, name)
            if isinstance(value, str) and _CONTROLS.search(value):
                object.__setattr__(self, name, escape_controls(value))

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
