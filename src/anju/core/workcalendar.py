"""The working-time calendar: which days are worked, and adding working time to an instant.

Deal milestones, festival greetings and complaint deadlines all read this one calendar.

Where a day's answer comes from, in order (``DayInfo.source``):

``table``
    A row in the administrators' table (``CalendarDay``, 节假日与调休) for that date. The table
    overrides the package, and a year with any row in it counts as known: its days without a row
    follow the week.
``official``
    The ``chinesecalendar`` package, which carries the State Council's holidays and 调休 working
    days for the years it was released with (see ``official_years()``).
``weekend``
    Neither knows the year: Monday to Friday are working days, Saturday and Sunday are not. This
    is a guess, and the calendar says so: ``unknown_years()`` lists such years so a page or
    ``anju calendar`` can warn, and every ``DayInfo`` from the guess carries ``source="weekend"``.

Two ways to count, and what they mean:

* ``add_working_days(day, n)`` counts whole days: the n-th working day after ``day`` (``day``
  itself not counted). "Reply within 3 working days" of a complaint made on Friday 2026-02-13
  is due by the end of Wednesday 2026-02-25 (the Saturday 2026-02-14 is a 调休 working day and
  counts; 春节 from the 15th to the 23rd does not).
* ``add_working_time(start, amount, hours)`` counts working hours from an instant.
  ``hours.working_days(3)`` is three full working days of time: 27 hours with 09:00–18:00. Started
  at 17:59 on a working day, one minute is spent that day and the rest on the next three working
  days, so it ends at 17:59 on the third working day after — not at 09:00 on it.

Times are aware and read in Asia/Shanghai (``settings.TIME_ZONE``); China has no daylight saving,
so a working day is always ``end - start`` (less lunch) long.

This module imports no app. The table is loaded once per process and reloaded when a row is
saved or deleted in this process, or at most a minute later in the others.
"""

from __future__ import annotations

import datetime as dt
import threading
import time as monotonic_clock
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Literal
from zoneinfo import ZoneInfo

from django.conf import settings

Source = Literal["table", "official", "weekend"]

SOURCE_LABELS: Mapping[str, str] = {
    "table": "节假日表",
    "official": "国务院安排（chinesecalendar）",
    "weekend": "按周末推算",
}

# The package's festival names, in the words the State Council's notices use.
_FESTIVAL_NAMES: Mapping[str, str] = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}

WORKING_SWAP = "调休上班"


@dataclass(frozen=True)
class DayInfo:
    """What one date is: worked or not, the holiday's name (empty for an ordinary day), and whence."""

    is_working: bool
    name: str
    source: Source


@dataclass(frozen=True)
class TableDay:
    """A row of the administrators' table, without the ORM."""

    is_working: bool
    name: str


@cache
def _official() -> tuple[Mapping[dt.date, str], Mapping[dt.date, str]]:
    """The package's holidays and 调休 working days, each date → the festival's Chinese name."""
    from chinese_calendar import constants

    def chinese(days: Mapping[dt.date, str]) -> dict[dt.date, str]:
        return {day: _FESTIVAL_NAMES.get(name, name) for day, name in days.items()}

    return chinese(constants.holidays), chinese(constants.workdays)


def official_years() -> frozenset[int]:
    """The years the installed ``chinesecalendar`` knows (it has data for whole years only)."""
    holidays, workdays = _official()
    return frozenset(day.year for day in (*holidays, *workdays))


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class WorkingHours:
    """A working day's opening hours, optionally with a lunch break that does not count.

    ``WorkingHours()`` is 09:00–18:00 without a break, the default when a company sets none.
    """

    start: dt.time = dt.time(9)
    end: dt.time = dt.time(18)
    lunch_start: dt.time | None = None
    lunch_end: dt.time | None = None

    def __post_init__(self) -> None:
        if not self.start < self.end:
            raise ValueError("working hours must start before they end")
        if (self.lunch_start is None) != (self.lunch_end is None):
            raise ValueError("a lunch break needs both a start and an end")
        if (
            self.lunch_start is not None
            and self.lunch_end is not None
            and not self.start < self.lunch_start < self.lunch_end < self.end
        ):
            raise ValueError("the lunch break must lie inside the working hours")

    @property
    def periods(self) -> tuple[tuple[dt.time, dt.time], ...]:
        """The stretches of a working day that count, in order."""
        if self.lunch_start is None or self.lunch_end is None:
            return ((self.start, self.end),)
        return ((self.start, self.lunch_start), (self.lunch_end, self.end))

    @property
    def day_length(self) -> dt.timedelta:
        """How much working time one full working day holds."""
        return sum((_span(opens, closes) for opens, closes in self.periods), dt.timedelta())

    def working_days(self, n: int) -> dt.timedelta:
        """``n`` full working days of time, for ``add_working_time`` (3 days at 09–18 = 27 hours)."""
        return self.day_length * n


def _span(opens: dt.time, closes: dt.time) -> dt.timedelta:
    day = dt.date(2000, 1, 3)
    return dt.datetime.combine(day, closes) - dt.datetime.combine(day, opens)


@dataclass(frozen=True)
class WorkCalendar:
    """The calendar with a given table (``overrides``); pure, so tests build one without a database.

    The module-level functions use ``current_calendar()``, which holds the real table.
    """

    overrides: Mapping[dt.date, TableDay] = field(default_factory=dict)

    @property
    def table_years(self) -> frozenset[int]:
        return frozenset(day.year for day in self.overrides)

    def day_info(self, day: dt.date) -> DayInfo:
        """Is ``day`` worked, what is it called, and which source says so (see the module doc)."""
        row = self.overrides.get(day)
        if row is not None:
            return DayInfo(row.is_working, row.name, "table")
        if day.year in official_years():
            holidays, workdays = _official()
            if day in holidays:
                return DayInfo(False, holidays[day], "official")
            if day in workdays:
                return DayInfo(True, f"{workdays[day]}{WORKING_SWAP}", "official")
            return DayInfo(day.weekday() < 5, "", "official")
        source: Source = "table" if day.year in self.table_years else "weekend"
        return DayInfo(day.weekday() < 5, "", source)

    def is_working_day(self, day: dt.date) -> bool:
        return self.day_info(day).is_working

    def known_years(self) -> frozenset[int]:
        """Years for which the calendar knows the holidays (the package's and the table's)."""
        return official_years() | self.table_years

    def known_through(self) -> int:
        """The last year of the unbroken run of known years that starts with the package's first."""
        known = self.known_years()
        year = min(known)
        while year + 1 in known:
            year += 1
        return year

    def unknown_years(self, start: dt.date, end: dt.date) -> list[int]:
        """The years from ``start`` to ``end`` (both included) the calendar can only guess by weekends."""
        known = self.known_years()
        return [year for year in range(start.year, end.year + 1) if year not in known]

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``day``; ``day`` itself is never counted.

        ``n == 0`` is ``day`` if it is worked, else the next working day. A negative ``n`` counts
        back: ``add_working_days(day, -2)`` is the second working day before ``day``.
        """
        step = dt.timedelta(days=1 if n >= 0 else -1)
        if n == 0:
            while not self.is_working_day(day):
                day += step
            return day
        remaining = abs(n)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def _periods_on(self, day: dt.date, hours: WorkingHours) -> Iterator[tuple[dt.datetime, dt.datetime]]:
        if self.is_working_day(day):
            zone = _zone()
            for opens, closes in hours.periods:
                yield (
                    dt.datetime.combine(day, opens, tzinfo=zone),
                    dt.datetime.combine(day, closes, tzinfo=zone),
                )

    def _period_at(self, instant: dt.datetime, hours: WorkingHours) -> tuple[dt.datetime, dt.datetime] | None:
        """The working period holding ``instant`` (its opening and closing times included)."""
        for opens, closes in self._periods_on(instant.date(), hours):
            if opens <= instant <= closes:
                return opens, closes
        return None

    def is_working_time(self, instant: dt.datetime, hours: WorkingHours) -> bool:
        """Whether ``instant`` lies in working time (an opening and a closing time count as inside)."""
        return self._period_at(instant.astimezone(_zone()), hours) is not None

    def next_opening(self, instant: dt.datetime, hours: WorkingHours) -> dt.datetime:
        """The first opening strictly after ``instant``: later today, or on the next working day."""
        instant = instant.astimezone(_zone())
        day = instant.date()
        while True:
            for opens, _closes in self._periods_on(day, hours):
                if opens > instant:
                    return opens
            day += dt.timedelta(days=1)

    def add_working_time(self, start: dt.datetime, amount: dt.timedelta, hours: WorkingHours) -> dt.datetime:
        """The instant when ``amount`` of working time has passed since ``start``.

        Only time inside the working hours of working days counts; nights, lunch breaks, weekends
        and holidays are skipped and 调休 working Saturdays count. A ``start`` outside working
        time begins at the next opening. An amount that runs out exactly at closing time ends at
        closing (18:00), not at the next opening, so a deadline falls on the day its time was spent.
        Adding ``a`` then ``b`` is adding ``a + b``; the result always lies in working time.
        """
        if start.tzinfo is None:
            raise ValueError("start must be an aware datetime")
        if amount < dt.timedelta(0):
            raise ValueError("amount must not be negative")
        instant = start.astimezone(_zone())
        period = self._period_at(instant, hours)
        remaining = amount
        while True:
            if period is None:
                instant = self.next_opening(instant, hours)
                period = self._period_at(instant, hours)
                assert period is not None  # noqa: S101 - an opening lies in its own period
            room = period[1] - instant
            if remaining <= room:
                return instant + remaining
            remaining -= room
            instant, period = period[1], None

    def working_time_between(self, a: dt.datetime, b: dt.datetime, hours: WorkingHours) -> dt.timedelta:
        """How much working time lies between two instants; negative when ``b`` is before ``a``.

        ``working_time_between(s, add_working_time(s, x, hours), hours) == x`` for any ``x``.
        """
        if a.tzinfo is None or b.tzinfo is None:
            raise ValueError("instants must be aware datetimes")
        if b < a:
            return -self.working_time_between(b, a, hours)
        zone = _zone()
        a, b = a.astimezone(zone), b.astimezone(zone)
        total = dt.timedelta(0)
        day = a.date()
        while day <= b.date():
            for opens, closes in self._periods_on(day, hours):
                overlap = min(closes, b) - max(opens, a)
                if overlap > dt.timedelta(0):
                    total += overlap
            day += dt.timedelta(days=1)
        return total


# The real table, loaded once per process (a table holds a few dozen rows a year).
_RELOAD_AFTER_SECONDS = 60.0
_loaded: tuple[float, WorkCalendar] | None = None
_lock = threading.Lock()


def current_calendar() -> WorkCalendar:
    """The calendar with the administrators' table, cached; at most a minute stale in other processes."""
    global _loaded
    with _lock:
        if _loaded is None or monotonic_clock.monotonic() - _loaded[0] > _RELOAD_AFTER_SECONDS:
            from anju.core.models import CalendarDay

            rows = CalendarDay.objects.values_list("date", "is_working", "name")
            overrides = {day: TableDay(is_working, name) for day, is_working, name in rows}
            _loaded = (monotonic_clock.monotonic(), WorkCalendar(overrides=overrides))
        return _loaded[1]


def table_read_again_by() -> dt.datetime | None:
    """When this process will read the table again at the latest (None: it holds no copy). What was
    computed from the copy may be out of date from then on (a kept workbench ends then: decision 0027)."""
    with _lock:
        if _loaded is None:
            return None
        age = monotonic_clock.monotonic() - _loaded[0]
        return dt.datetime.now(dt.UTC) + dt.timedelta(seconds=max(0.0, _RELOAD_AFTER_SECONDS - age))


def forget_table() -> None:
    """Drop the cached table: the next question reads it again (called when a row changes)."""
    global _loaded
    with _lock:
        _loaded = None


def day_info(day: dt.date) -> DayInfo:
    return current_calendar().day_info(day)


def is_working_day(day: dt.date) -> bool:
    return current_calendar().is_working_day(day)


def is_working_time(instant: dt.datetime, hours: WorkingHours) -> bool:
    return current_calendar().is_working_time(instant, hours)


def known_through() -> int:
    return current_calendar().known_through()


def unknown_years(start: dt.date, end: dt.date) -> list[int]:
    return current_calendar().unknown_years(start, end)


def add_working_days(day: dt.date, n: int) -> dt.date:
    return current_calendar().add_working_days(day, n)


def add_working_time(start: dt.datetime, amount: dt.timedelta, hours: WorkingHours) -> dt.datetime:
    return current_calendar().add_working_time(start, amount, hours)


def working_time_between(a: dt.datetime, b: dt.datetime, hours: WorkingHours) -> dt.timedelta:
    return current_calendar().working_time_between(a, b, hours)
