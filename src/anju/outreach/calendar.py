"""The occasions' calendar, pure (no ORM): lunar birthdays by the product's rule, the festivals.

Lunar dates come from ``lunar-python`` (a leap month is a negative month there). The library
refuses a date that does not exist in a year — day 30 of a 29-day month, a leap month the year
lacks — so the product has its own rule (policy-facts.md):

* a birthday in a leap month falls in that leap month in a year that has it, and in the regular
  month of the same number in a year without it;
* day 30 in a 29-day month falls on the month's last day (the 29th).

``birthday_keys_between`` turns a window of solar dates into the lunar birthdays (month, day,
leap) celebrated on each day, so a query can fetch the clients by those few keys instead of
converting every client's birthday.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from lunar_python import Lunar, LunarYear, Solar

# The traditional festivals, on their lunar dates (never in a leap month).
LUNAR_FESTIVALS: tuple[tuple[str, int, int], ...] = (
    ("春节", 1, 1),
    ("元宵节", 1, 15),
    ("端午节", 5, 5),
    ("七夕节", 7, 7),
    ("中秋节", 8, 15),
    ("重阳节", 9, 9),
)
# The solar ones, with their kind in the occasions API.
SOLAR_FESTIVALS: tuple[tuple[str, str, int, int], ...] = (
    ("new_year", "元旦", 1, 1),
    ("national_day", "国庆节", 10, 1),
)


@dataclass(frozen=True)
class LunarBirthday:
    """A client's lunar birthday as stored: month 1–12, day 1–30, and whether in the leap month."""

    month: int
    day: int
    leap: bool = False


@cache
def _months(lunar_year: int) -> tuple[int, dict[int, tuple[dt.date, int]]]:
    """The year's leap month (0 for none) and each month's first solar day and length, leap
    months as negative keys."""
    year = LunarYear.fromYear(lunar_year)
    months = {}
    for month in year.getMonthsInYear():
        if month.getYear() != lunar_year:
            continue
        solar = Solar.fromJulianDay(month.getFirstJulianDay())
        first = dt.date(solar.getYear(), solar.getMonth(), solar.getDay())
        months[month.getMonth()] = (first, month.getDayCount())
    return year.getLeapMonth(), months


def birthday_in_lunar_year(lunar_year: int, birthday: LunarBirthday) -> dt.date:
    """The solar date on which ``birthday`` falls in ``lunar_year``, by the rule above."""
    leap_month, months = _months(lunar_year)
    month = -birthday.month if birthday.leap and leap_month == birthday.month else birthday.month
    first, length = months[month]
    return first + dt.timedelta(days=min(birthday.day, length) - 1)


@cache
def _birthdays_of_year(lunar_year: int) -> dict[dt.date, tuple[LunarBirthday, ...]]:
    """Every possible lunar birthday (12 months × 30 days × leap or not) by its solar date."""
    found: dict[dt.date, list[LunarBirthday]] = {}
    for month in range(1, 13):
        for day in range(1, 31):
            for leap in (False, True):
                birthday = LunarBirthday(month, day, leap)
                found.setdefault(birthday_in_lunar_year(lunar_year, birthday), []).append(birthday)
    return {date: tuple(keys) for date, keys in found.items()}


def lunar_year_of(day: dt.date) -> int:
    return Solar.fromYmd(day.year, day.month, day.day).getLunar().getYear()


def _lunar_years(start: dt.date, end: dt.date) -> range:
    return range(lunar_year_of(start), lunar_year_of(end) + 1)


def days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    """Every date from ``start`` to ``end``, both included."""
    for offset in range((end - start).days + 1):
        yield start + dt.timedelta(days=offset)


def birthday_keys_between(start: dt.date, end: dt.date) -> dict[LunarBirthday, dt.date]:
    """The lunar birthdays celebrated from ``start`` to ``end`` (both included), each with its day."""
    found: dict[LunarBirthday, dt.date] = {}
    for lunar_year in _lunar_years(start, end):
        for date, keys in _birthdays_of_year(lunar_year).items():
            if start <= date <= end:
                found.update(dict.fromkeys(keys, date))
    return found


def solar_birthday_in(year: int, birthday: dt.date) -> dt.date:
    """A solar birthday in ``year``; 29 February falls on the 28th in a common year."""
    try:
        return birthday.replace(year=year)
    except ValueError:
        return dt.date(year, 2, 28)


def solar_month_days_between(start: dt.date, end: dt.date) -> dict[tuple[int, int], dt.date]:
    """(month, day) of the solar birthdays celebrated from ``start`` to ``end``, each with its day
    (29 February with the 28th in a common year)."""
    found: dict[tuple[int, int], dt.date] = {}
    for date in days(start, end):
        found[(date.month, date.day)] = date
        if date.month == 2 and date.day == 28 and not _is_leap(date.year):
            found[(2, 29)] = date
    return found


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


@dataclass(frozen=True)
class Festival:
    kind: str  # "festival", "new_year", "national_day"
    name: str
    date: dt.date


def festivals_between(start: dt.date, end: dt.date) -> list[Festival]:
    """The traditional festivals, 元旦 and 国庆 from ``start`` to ``end`` (both included), by date."""
    found = []
    for lunar_year in _lunar_years(start, end):
        for name, month, day in LUNAR_FESTIVALS:
            solar = Lunar.fromYmd(lunar_year, month, day).getSolar()
            date = dt.date(solar.getYear(), solar.getMonth(), solar.getDay())
            if start <= date <= end:
                found.append(Festival("festival", name, date))
    for year in range(start.year, end.year + 1):
        for kind, name, month, day in SOLAR_FESTIVALS:
            date = dt.date(year, month, day)
            if start <= date <= end:
                found.append(Festival(kind, name, date))
    return sorted(found, key=lambda f: (f.date, f.name))
