"""Distances between coordinates, without a database."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anju.geo.distance import (
    NEARBY_STATION_RADIUS_M,
    Place,
    Point,
    bounding_box,
    haversine_m,
    within,
)

GUANGGU = Point(30.507560, 114.398107)


def test_a_degree_of_latitude_is_about_111_km():
    assert haversine_m(Point(30.0, 114.0), Point(31.0, 114.0)) == pytest.approx(111_195, abs=5)


def test_a_degree_of_longitude_shrinks_with_latitude():
    at_wuhan = haversine_m(Point(30.5, 114.0), Point(30.5, 115.0))
    assert at_wuhan == pytest.approx(111_195 * math.cos(math.radians(30.5)), rel=1e-3)


def test_distance_is_zero_to_itself_and_the_same_both_ways():
    other = Point(30.527, 114.353)
    assert haversine_m(GUANGGU, GUANGGU) == 0
    assert haversine_m(GUANGGU, other) == pytest.approx(haversine_m(other, GUANGGU))


def test_points_accept_decimals_as_stored():
    assert Point.of(Decimal("30.507560"), Decimal("114.398107")) == GUANGGU


def test_within_keeps_the_radius_and_sorts_nearest_first():
    # given stations about 500 m, 1,000 m, 1,490 m and 1,520 m north of the community
    places = [
        Place(key="far", point=Point(GUANGGU.latitude + 0.01367, GUANGGU.longitude)),
        Place(key="edge", point=Point(GUANGGU.latitude + 0.0134, GUANGGU.longitude)),
        Place(key="near", point=Point(GUANGGU.latitude + 0.0045, GUANGGU.longitude)),
        Place(key="middle", point=Point(GUANGGU.latitude + 0.009, GUANGGU.longitude)),
    ]
    # when
    found = within(GUANGGU, places, NEARBY_STATION_RADIUS_M)
    # then
    assert [n.key for n in found] == ["near", "middle", "edge"]
    assert [n.distance_m for n in found] == [500, 1001, 1490]


def test_nothing_is_near_when_there_is_nothing():
    assert within(GUANGGU, [], 1500) == []


coordinates = st.tuples(
    st.floats(min_value=-80, max_value=80, allow_nan=False),
    st.floats(min_value=-179, max_value=179, allow_nan=False),
)


@given(
    centre=coordinates,
    bearing=st.floats(min_value=0, max_value=2 * math.pi),
    fraction=st.floats(min_value=0, max_value=0.999),
)
def test_the_bounding_box_holds_every_point_within_the_radius(centre, bearing, fraction):
    # given a point at most ``radius`` away from the centre, in any direction
    radius = 1500.0
    origin = Point(*centre)
    step = radius * fraction
    dlat = math.degrees(step * math.cos(bearing) / 6_371_008.8)
    dlon = math.degrees(step * math.sin(bearing) / (6_371_008.8 * math.cos(math.radians(origin.latitude))))
    point = Point(origin.latitude + dlat, origin.longitude + dlon)
    # when
    box = bounding_box(origin, radius)
    # then: the database pre-filter never loses a station the exact distance would keep
    if haversine_m(origin, point) <= radius:
        assert box.contains(point)
