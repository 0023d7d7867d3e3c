"""The order of a showing's stops and its timetable (pure: no ORM, no clock).

Travel between two points is estimated from the straight-line (haversine) distance: road distance
is taken as ``detour_factor`` times it, driven at ``speed_kmh``. The route runs from the start point
to the last stop; there is no return leg. Every visit takes the same ``minutes_per_stop``, so the
fastest order is the one with the shortest total distance.

Up to ``EXACT_MAX`` stops the order is optimal (Held–Karp dynamic programming over subsets,
O(2ⁿ·n²): 8 stops is 16 thousand steps). Above that, up to ``MOST_STOPS``, the order comes from a
stated heuristic: nearest neighbour from the start, then 2-opt (reverse any stretch of the route
while that shortens it) until no reversal helps. It is usually within a few per cent of optimal,
never guaranteed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from anju.geo.distance import Point, haversine_m

EXACT_MAX = 8
MOST_STOPS = 20

__all__ = ["Assumptions", "Leg", "Point", "Route", "best_order", "distance_m", "path_length", "plan"]


@dataclass(frozen=True)
class Assumptions:
    """How travel is estimated; stated with every plan."""

    speed_kmh: Decimal
    detour_factor: Decimal
    minutes_per_stop: int


@dataclass(frozen=True)
class Leg:
    """The way to one stop: ``stop`` is its index in the input, distances from the previous point."""

    stop: int
    distance_m: int
    travel_minutes: int
    arrive_at: dt.datetime
    leave_at: dt.datetime


@dataclass(frozen=True)
class Route:
    legs: tuple[Leg, ...]
    exact: bool

    @property
    def order(self) -> tuple[int, ...]:
        return tuple(leg.stop for leg in self.legs)

    @property
    def total_distance_m(self) -> int:
        return sum(leg.distance_m for leg in self.legs)

    @property
    def total_travel_minutes(self) -> int:
        return sum(leg.travel_minutes for leg in self.legs)

    @property
    def ends_at(self) -> dt.datetime | None:
        return self.legs[-1].leave_at if self.legs else None


# The straight-line (great-circle) distance between two points, in metres.
distance_m = haversine_m


def travel_minutes(straight_m: float, assumptions: Assumptions) -> int:
    """Minutes on the road for a straight-line distance, rounded up to the next whole minute."""
    road_km = straight_m / 1000 * float(assumptions.detour_factor)
    return math.ceil(road_km / float(assumptions.speed_kmh) * 60 - 1e-9)


def path_length(start: Point, stops: Sequence[Point], order: Sequence[int]) -> float:
    """The straight-line length of visiting ``stops`` in ``order`` from ``start``, in metres."""
    total, here = 0.0, start
    for i in order:
        total += distance_m(here, stops[i])
        here = stops[i]
    return total


def best_order(start: Point, stops: Sequence[Point]) -> tuple[tuple[int, ...], bool]:
    """The visiting order (indexes into ``stops``) and whether it is proven shortest."""
    if len(stops) > MOST_STOPS:
        raise ValueError(f"at most {MOST_STOPS} stops")
    if len(stops) <= EXACT_MAX:
        return _held_karp(start, stops), True
    return _two_opt(start, stops, _nearest_neighbour(start, stops)), False


def plan(start: Point, stops: Sequence[Point], starts_at: dt.datetime, assumptions: Assumptions) -> Route:
    """The route in its best order, with each stop's arrival and departure."""
    order, exact = best_order(start, stops)
    legs: list[Leg] = []
    here, clock = start, starts_at
    visit = dt.timedelta(minutes=assumptions.minutes_per_stop)
    for i in order:
        straight = distance_m(here, stops[i])
        minutes = travel_minutes(straight, assumptions)
        arrive = clock + dt.timedelta(minutes=minutes)
        clock = arrive + visit
        legs.append(Leg(i, round(straight), minutes, arrive, clock))
        here = stops[i]
    return Route(tuple(legs), exact)


def _held_karp(start: Point, stops: Sequence[Point]) -> tuple[int, ...]:
    n = len(stops)
    if n == 0:
        return ()
    between = [[distance_m(a, b) for b in stops] for a in stops]
    # best[mask][j]: the shortest path from the start through exactly the stops in mask, ending at j.
    best: list[list[float]] = [[math.inf] * n for _ in range(1 << n)]
    came_from: list[list[int]] = [[-1] * n for _ in range(1 << n)]
    for j in range(n):
        best[1 << j][j] = distance_m(start, stops[j])
    for mask in range(1, 1 << n):
        for j in range(n):
            here = best[mask][j]
            if here == math.inf:
                continue
            for k in range(n):
                if mask & (1 << k):
                    continue
                nxt = mask | (1 << k)
                length = here + between[j][k]
                if length < best[nxt][k]:
                    best[nxt][k] = length
                    came_from[nxt][k] = j
    full = (1 << n) - 1
    last = min(range(n), key=lambda j: best[full][j])
    order, mask = [], full
    while last != -1:
        order.append(last)
        last, mask = came_from[mask][last], mask & ~(1 << last)
    return tuple(reversed(order))


def _nearest_neighbour(start: Point, stops: Sequence[Point]) -> list[int]:
    left, order, here = set(range(len(stops))), [], start
    while left:
        nearest = min(left, key=lambda i: (distance_m(here, stops[i]), i))
        order.append(nearest)
        left.remove(nearest)
        here = stops[nearest]
    return order


def _two_opt(start: Point, stops: Sequence[Point], order: list[int]) -> tuple[int, ...]:
    """Reverse stretches of an open path (the start fixed, no return) while one shortens it."""
    points = [start, *(stops[i] for i in order)]
    route = [-1, *order]  # -1 is the start
    n = len(route)

    def d(a: int, b: int) -> float:
        return distance_m(points[a], points[b])

    improved = True
    while improved:
        improved = False
        for i in range(1, n - 1):
            for j in range(i + 1, n):
                before = d(i - 1, i) + (d(j, j + 1) if j + 1 < n else 0.0)
                after = d(i - 1, j) + (d(i, j + 1) if j + 1 < n else 0.0)
                if after < before - 1e-6:
                    points[i : j + 1] = points[i : j + 1][::-1]
                    route[i : j + 1] = route[i : j + 1][::-1]
                    improved = True
    return tuple(route[1:])
