"""French number, money and date formatting shared by messages, pages and exports."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u202f"  # narrow no-break space: groups thousands, and ties « % » and « € » to their number

MONTH_NAMES = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


def format_number(value: float | int | Decimal | None, decimals: int = 0) -> str:
    """1234.5 → « 1 234,5 »; None → « – »."""
    if value is None:
        return "–"
    if isinstance(value, Decimal):  # shown figures round half-up, like the money rules
        value = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", NBSP)


def format_euros(value: Decimal | float | int | None) -> str:
    """Money to the cent: 1234.5 → « 1 234,50 € »."""
    return "–" if value is None else f"{format_number(value, 2)}{NBSP}€"


def format_euros_tile(value: Decimal | None) -> str:
    """A tile's amount, readable in its quarter of the screen: from 10 M€, in millions to the hundredth
    (« 799,14 M€ »; the amount to the cent is in the tile's help and in the table)."""
    if value is None or abs(value) < 10_000_000:
        return format_euros(value)
    return f"{format_number(Decimal(value) / 1_000_000, 2)}{NBSP}M€"


def format_percent(value: Decimal | float | None, decimals: int = 1) -> str:
    return "–" if value is None else f"{format_number(value, decimals)}{NBSP}%"


def format_date(value: date | None) -> str:
    return "–" if value is None else value.strftime("%d/%m/%Y")
