"""Demo times, all counted back from today so that two runs on the same day agree to the second."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

UTC = dt.UTC
OPENING_HOURS = (9 * 3600, 21 * 3600)  # agents work, and clients call, between 9:00 and 21:00


class DemoClock:
    """Days before today (never today itself, so nothing lands in the future) and times within them.

    Times come back in UTC: the database stores UTC, and converting once here saves doing it
    for every one of a million rows.
    """

    def __init__(self, today: dt.date) -> None:
        self.today = today
        midnight = dt.datetime.combine(today, dt.time(), tzinfo=timezone.get_default_timezone())
        self._midnight = midnight.astimezone(UTC)
        self._dates: dict[int, dt.date] = {}

    def date(self, days_ago: int) -> dt.date:
        cached = self._dates.get(days_ago)
        if cached is None:
            cached = self._dates[days_ago] = self.today - dt.timedelta(days=days_ago)
        return cached

    def at(self, days_ago: int, second_of_day: int) -> dt.datetime:
        return self._midnight + dt.timedelta(days=-days_ago, seconds=second_of_day)

    def during_hours(self, rng: random.Random, days_ago: int) -> dt.datetime:
        return self.at(days_ago, rng.randrange(*OPENING_HOURS))
