"""Figures derived from a listing's facts, computed the same way wherever a listing is written."""

from __future__ import annotations

from decimal import Decimal

from anju.core.formats import to_fen


def unit_price(price: Decimal, area: Decimal) -> Decimal:
    """Yuan per ㎡ to the fen, half-up: of the total price for a sale, of the monthly rent for a rent."""
    return to_fen(price / area)
