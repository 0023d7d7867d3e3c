"""The route: shortest for up to eight stops (against brute force), a sound heuristic above."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anju.showings import route
from anju.showings.route import Assumptions, Point

WUHAN = Point(30.55, 114.30)
ASSUME = Assumptions(speed_kmh=Decimal("20"), detour_factor=Decimal("1.4"), minutes_per_stop=20)
START = dt.datetime(2026, 12, 8, 9, 0, tzinfo=dt.UTC)

# Homes within about 20 km of the city centre, at 11 m resolution (coordinates to 4 places).
points = st.builds(
    Point,
    st.integers(-1800, 1800).map(lambda n: 30.55 + n / 10_000),
    st.integers(-2000, 2000).map(lambda n: 114.30 + n / 10_000),
)


def brute_force(start: Point, stops: list[Point]) -> float:
    return min(route.path_length(start, stops, order) for order in itertools.permutations(range(len(stops))))


@settings(max_examples=60, deadline=None)
@given(start=points, stops=st.lists(points, min_size=0, max_size=7))
def test_up_to_eight_stops_the_order_is_as_short_as_the_best_permutation(start, stops):
    # given any start and homes (seven here, eight in the next test: 40 320 permutations each)
    # when the route is ordered
    order, exact = route.best_order(start, stops)
    # then it visits every home once and no permutation is shorter
    assert exact
    assert sorted(order) == list(range(len(stops)))
    assert route.path_length(start, stops, order) == pytest.approx(brute_force(start, stops), abs=1e-6)


@settings(max_examples=5, deadline=None)
@given(start=points, stops=st.lists(points, min_size=8, max_size=8))
def test_eight_stops_are_still_exact(start, stops):
    order, exact = route.best_order(start, stops)
    assert exact
    assert route.path_length(start, stops, order) == pytest.approx(brute_force(start, stops), abs=1e-6)


@settings(max_examples=30, deadline=None)
@given(start=points, stops=st.lists(points, min_size=9, max_size=20))
def test_nine_to_twenty_stops_use_the_stated_heuristic(start, stops):
    # given more homes than the exact search takes
    # when the route is ordered
    order, exact = route.best_order(start, stops)
    # then it is marked approximate, visits every home once, and is no longer than nearest neighbour
    assert not exact
    assert sorted(order) == list(range(len(stops)))
    greedy = route.path_length(start, stops, route._nearest_neighbour(start, stops))
    assert route.path_length(start, stops, order) <= greedy + 1e-6


def test_more_than_twenty_stops_are_refused():
    with pytest.raises(ValueError, match="20"):
        route.best_order(WUHAN, [WUHAN] * 21)


def test_the_path_has_no_return_leg():
    # given two homes east of the start, the far one first in the list
    near, far = Point(30.55, 114.31), Point(30.55, 114.33)
    # when ordered
    order, _ = route.best_order(WUHAN, [far, near])
    # then the near one comes first and the route ends at the far one (a round trip would not care)
    assert order == (1, 0)


def test_the_timetable_adds_travel_and_the_visit():
    # given one home 1 km due north (straight line), at 20 km/h with a detour factor of 1.4
    north = Point(30.55 + 1 / 111.195, 114.30)
    # when planned
    plan = route.plan(WUHAN, [north], START, ASSUME)
    # then 1.4 km at 20 km/h is 4.2 minutes, rounded up to 5, then 20 minutes in the home
    (leg,) = plan.legs
    assert leg.distance_m == pytest.approx(1000, abs=1)
    assert leg.travel_minutes == 5
    assert leg.arrive_at == START + dt.timedelta(minutes=5)
    assert leg.leave_at == START + dt.timedelta(minutes=25)
    assert plan.total_travel_minutes == 5
    assert plan.ends_at == leg.leave_at


def test_haversine_distance_matches_a_known_pair():
    # Wuhan (30.5928, 114.3055) to Beijing (39.9042, 116.4074): about 1 052 km
    assert route.distance_m(Point(30.5928, 114.3055), Point(39.9042, 116.4074)) == pytest.approx(
        1_052_000, rel=0.01
    )
