"""The occasions' calendar without a database: 春节 and the other festivals on their days, and the
product's rule for lunar birthdays in a leap month and on day 30 (policy-facts.md)."""

from __future__ import annotations

import datetime as dt

import pytest

from anju.outreach.calendar import (
    LunarBirthday,
    birthday_in_lunar_year,
    birthday_keys_between,
    festivals_between,
    solar_month_days_between,
)


@pytest.mark.parametrize(
    ("year", "spring_festival"),
    [
        (2026, "2026-02-17"),
        (2027, "2027-02-06"),
        (2028, "2028-01-26"),
        (2029, "2029-02-13"),
        (2030, "2030-02-03"),
    ],
)
def test_spring_festival_falls_on_the_right_day(year, spring_festival):
    # given a whole year
    # when its festivals are listed
    found = {f.name: f.date for f in festivals_between(dt.date(year, 1, 1), dt.date(year, 12, 31))}
    # then 春节 is on the first day of the first lunar month
    assert found["春节"] == dt.date.fromisoformat(spring_festival)


def test_a_year_has_the_six_festivals_and_new_year_and_national_day():
    found = festivals_between(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert [(f.kind, f.name, f.date.isoformat()) for f in found] == [
        ("new_year", "元旦", "2026-01-01"),
        ("festival", "春节", "2026-02-17"),
        ("festival", "元宵节", "2026-03-03"),
        ("festival", "端午节", "2026-06-19"),
        ("festival", "七夕节", "2026-08-19"),
        ("festival", "中秋节", "2026-09-25"),
        ("national_day", "国庆节", "2026-10-01"),
        ("festival", "重阳节", "2026-10-18"),
    ]


def test_a_leap_month_birthday_falls_in_the_leap_month_when_the_year_has_it():
    # given a birthday on the 10th of the leap fifth month
    birthday = LunarBirthday(5, 10, leap=True)
    # then 2028, which has a leap fifth month, celebrates it there (闰五月初十 = 2028-07-02) ...
    assert birthday_in_lunar_year(2028, birthday) == dt.date(2028, 7, 2)
    # ... and 2026, which has none, in the regular fifth month
    assert birthday_in_lunar_year(2026, birthday) == dt.date(2026, 6, 24)
    # while a birthday in the regular fifth month stays there in 2028
    assert birthday_in_lunar_year(2028, LunarBirthday(5, 10)) == dt.date(2028, 6, 2)


def test_day_30_in_a_29_day_month_falls_on_the_months_last_day():
    # the eighth month of 2026 has 29 days (from 2026-09-11)
    assert birthday_in_lunar_year(2026, LunarBirthday(8, 30)) == dt.date(2026, 10, 9)
    assert birthday_in_lunar_year(2026, LunarBirthday(8, 29)) == dt.date(2026, 10, 9)
    # the ninth month has 30 days: day 30 is its own day
    assert birthday_in_lunar_year(2026, LunarBirthday(9, 30)) == dt.date(2026, 11, 8)
    # a leap month of 29 days: 闰五月三十 of 2028 falls on 闰五月廿九
    assert birthday_in_lunar_year(2028, LunarBirthday(5, 30, leap=True)) == dt.date(2028, 7, 21)


def test_a_window_finds_each_lunar_birthday_on_its_day():
    found = birthday_keys_between(dt.date(2026, 10, 8), dt.date(2026, 10, 10))
    assert found[LunarBirthday(8, 30)] == dt.date(2026, 10, 9)
    assert found[LunarBirthday(8, 30, leap=True)] == dt.date(2026, 10, 9)
    assert found[LunarBirthday(9, 1)] == dt.date(2026, 10, 10)
    assert LunarBirthday(9, 2) not in found


def test_a_29_february_birthday_is_kept_on_the_28th_in_a_common_year():
    assert solar_month_days_between(dt.date(2027, 2, 27), dt.date(2027, 3, 1))[(2, 29)] == dt.date(
        2027, 2, 28
    )
    assert (2, 29) not in solar_month_days_between(dt.date(2028, 2, 27), dt.date(2028, 2, 28))
