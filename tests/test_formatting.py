"""Amounts on the budget tiles: readable in a quarter of a 1280-pixel screen, exact elsewhere."""

from decimal import Decimal

from iaedash.formatting import format_euros_tile


def test_a_tile_shows_large_amounts_in_millions_to_the_hundredth():
    def plain(text: str) -> str:
        return text.replace("\u202f", " ").replace("\u00a0", " ")

    assert plain(format_euros_tile(Decimal("9999999.99"))) == "9 999 999,99 €"
    assert plain(format_euros_tile(Decimal("799137125.40"))) == "799,14 M€"
    assert plain(format_euros_tile(Decimal("12345000.00"))) == "12,35 M€"  # half-up: 12,345 → 12,35
