"""Exact money: Decimal to the cent, rounded half-up, never binary floats."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def round_cents(amount: Decimal) -> Decimal:
    """Round half-up to the cent, the only rounding the call's accounting accepts."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """Share of `whole` in percent, two decimals; None when there is nothing to divide by."""
    if whole == 0:
        return None
    return round_cents(part * 100 / whole)
