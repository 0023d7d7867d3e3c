"""Weighted choices at the speed a million rows need."""

from __future__ import annotations

from bisect import bisect
from collections.abc import Callable, Iterable
from itertools import accumulate
from typing import Generic, TypeVar

T = TypeVar("T")


class Weighted(Generic[T]):
    """Like ``random.choices(items, weights)[0]``, without building a one-element list per draw.

    ``pick`` takes the generator's ``random`` method so that the draw stays on the caller's
    seeded stream.
    """

    def __init__(self, items: Iterable[T], weights: Iterable[float]) -> None:
        self.items = tuple(items)
        self._cumulative = list(accumulate(weights))
        if len(self._cumulative) != len(self.items) or not self.items:
            raise ValueError("one positive weight per item, at least one item")
        self._total = float(self._cumulative[-1])
        self._last = len(self.items) - 1

    def pick(self, random: Callable[[], float]) -> T:
        return self.items[bisect(self._cumulative, random() * self._total, 0, self._last)]
