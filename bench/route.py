"""Time ordering a showing's stops (``anju.showings.route``) and print the result as JSON.

    python bench/route.py                     # 8 stops, 200 random showings around Wuhan
    python bench/route.py --output bench/results/route.json

Measured in the same run, on the same random showings:

* ``exact_ms``: the order the planner uses for 8 stops (Held–Karp over subsets), median per showing;
* ``brute_force_ms``: the baseline, every one of the 8! = 40 320 orders, median per showing;
* ``heuristic_20_ms``: the stated heuristic (nearest neighbour + 2-opt) for 20 stops;
* ``heuristic_gap_pct``: how much longer the heuristic's 8-stop route is than the optimum, at most
  and on average (the heuristic is only used above 8 stops; this says how close it comes).

A plan is one request, so the target is a few milliseconds for 8 stops on a two-core machine.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from anju.showings import route
from anju.showings.route import Point


def _millis(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) * 1000


def _points(rng: random.Random, n: int) -> list[Point]:
    return [Point(30.55 + rng.uniform(-0.15, 0.15), 114.30 + rng.uniform(-0.18, 0.18)) for _ in range(n)]


def _brute_force(start: Point, stops: list[Point]) -> tuple[int, ...]:
    return min(
        itertools.permutations(range(len(stops))), key=lambda order: route.path_length(start, stops, order)
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--showings", type=int, default=200)
    parser.add_argument("--brute-force-showings", type=int, default=10, help="the baseline is slow")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    cases = [(_points(rng, 1)[0], _points(rng, route.EXACT_MAX)) for _ in range(args.showings)]
    big = [(_points(rng, 1)[0], _points(rng, route.MOST_STOPS)) for _ in range(args.showings)]

    exact = [_millis(lambda c=c: route.best_order(*c)) for c in cases]
    brute = [_millis(lambda c=c: _brute_force(*c)) for c in cases[: args.brute_force_showings]]
    heuristic = [_millis(lambda c=c: route.best_order(*c)) for c in big]
    gaps = []
    for start, stops in cases:
        best = route.path_length(start, stops, route.best_order(start, stops)[0])
        guess = route._two_opt(start, stops, route._nearest_neighbour(start, stops))
        gaps.append((route.path_length(start, stops, guess) / best - 1) * 100)
    # The exact order must equal the baseline's length on the cases both ran.
    for start, stops in cases[: args.brute_force_showings]:
        ours = route.path_length(start, stops, route.best_order(start, stops)[0])
        assert abs(ours - route.path_length(start, stops, _brute_force(start, stops))) < 1e-6

    result = {
        "stops": route.EXACT_MAX,
        "showings": args.showings,
        "exact_ms": round(statistics.median(exact), 2),
        "exact_max_ms": round(max(exact), 2),
        "brute_force_ms": round(statistics.median(brute), 1),
        "heuristic_20_ms": round(statistics.median(heuristic), 2),
        "heuristic_gap_pct": {"max": round(max(gaps), 2), "mean": round(statistics.mean(gaps), 3)},
    }
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
