"""Where a point may lie: the bounds every coordinate typed into Anju is checked against."""

from __future__ import annotations

from decimal import Decimal

# Mainland China, Hong Kong, Macao and Taiwan with a margin: a point outside is a typing slip
# (0,0, or latitude and longitude swapped), not a community or a store.
CHINA_LATITUDES = (Decimal("3.8"), Decimal("53.6"))
CHINA_LONGITUDES = (Decimal("73.5"), Decimal("135.1"))


def in_china(latitude: Decimal, longitude: Decimal) -> bool:
    return (
        CHINA_LATITUDES[0] <= latitude <= CHINA_LATITUDES[1]
        and CHINA_LONGITUDES[0] <= longitude <= CHINA_LONGITUDES[1]
    )
