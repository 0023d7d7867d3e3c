"""Distances on the ground between coordinates: which subway stations a community is near.

Pure functions, no ORM: the service feeds them rows and stores what they return. Coordinates are
whatever one map system the data was entered in (Chinese maps show GCJ-02); both ends of a
distance must use the same one, and within a city the error of treating them alike is nil.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG), metres
# How far a station may be and still count as "near" for a listing (about a 20-minute walk).
NEARBY_STATION_RADIUS_M = 1500

K = TypeVar("K")
Number = float | Decimal


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float

    @classmethod
    def of(cls, latitude: Number, longitude: Number) -> Point:
        return cls(float(latitude), float(longitude))


@dataclass(frozen=True)
class Place(Generic[K]):
    """Something at a point, known by ``key`` (a station's id)."""

    key: K
    point: Point


@dataclass(frozen=True)
class Nearby(Generic[K]):
    key: K
    distance_m: int


def haversine_m(a: Point, b: Point) -> float:
    """Great-circle distance in metres (haversine: accurate at a few metres over city distances)."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat = lat2 - lat1
    dlon = math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True)
class BoundingBox:
    """A latitude/longitude rectangle that contains every point within a radius of its centre.

    Databases filter by it with plain range conditions; the exact distance is computed afterwards.
    """

    min_latitude: float
    max_latitude: float
    min_longitude: float
    max_longitude: float

    def contains(self, p: Point) -> bool:
        return (
            self.min_latitude <= p.latitude <= self.max_latitude
            and self.min_longitude <= p.longitude <= self.max_longitude
        )


def bounding_box(centre: Point, radius_m: float) -> BoundingBox:
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    # Longitude degrees shrink towards the poles; near them the box spans every longitude.
    cos_lat = math.cos(math.radians(centre.latitude))
    dlon = 180.0 if cos_lat < 1e-6 else min(180.0, math.degrees(radius_m / (EARTH_RADIUS_M * cos_lat)))
    return BoundingBox(
        min_latitude=max(-90.0, centre.latitude - dlat),
        max_latitude=min(90.0, centre.latitude + dlat),
        min_longitude=centre.longitude - dlon,
        max_longitude=centre.longitude + dlon,
    )


def within(origin: Point, places: Iterable[Place[K]], radius_m: float) -> list[Nearby[K]]:
    """The places at most ``radius_m`` from ``origin``, nearest first, distances rounded to the metre."""
    found = []
    for place in places:
        distance = haversine_m(origin, place.point)
        if distance <= radius_m:
            found.append(Nearby(key=place.key, distance_m=round(distance)))
    found.sort(key=lambda n: (n.distance_m, str(n.key)))
    return found
