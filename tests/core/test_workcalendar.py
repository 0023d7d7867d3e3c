"""The working-time calendar: real 2026 dates from the State Council's notice, the administrators'
table over the package, the weekend guess for unknown years, and working time added to an instant."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anju.core import workcalendar
from anju.core.models import CalendarDay
from anju.core.workcalendar import DayInfo, TableDay, WorkCalendar, WorkingHours, official_years

SHANGHAI = ZoneInfo("Asia/Shanghai")
OFFICIAL = WorkCalendar()
NINE_TO_SIX = WorkingHours()
WITH_LUNCH = WorkingHours(lunch_start=dt.time(12), lunch_end=dt.time(13))
# The first year the installed package does not know: the test keeps its meaning when it learns more.
UNKNOWN_YEAR = max(official_years()) + 1


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def first_weekday(year: int, weekday: int) -> dt.date:
    day = dt.date(year, 1, 1)
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


# --- which days are worked -------------------------------------------------------------------


def test_spring_festival_2026_is_off_and_its_swapped_saturdays_are_worked():
    assert OFFICIAL.day_info(dt.date(2026, 2, 16)) == DayInfo(False, "春节", "official")
    assert OFFICIAL.day_info(dt.date(2026, 2, 23)) == DayInfo(False, "春节", "official")
    assert OFFICIAL.day_info(dt.date(2026, 2, 14)) == DayInfo(True, "春节调休上班", "official")
    assert OFFICIAL.day_info(dt.date(2026, 2, 28)) == DayInfo(True, "春节调休上班", "official")


def test_national_day_2026_is_off_and_its_saturday_is_worked():
    assert OFFICIAL.day_info(dt.date(2026, 10, 1)) == DayInfo(False, "国庆节", "official")
    assert OFFICIAL.day_info(dt.date(2026, 10, 7)) == DayInfo(False, "国庆节", "official")
    assert OFFICIAL.day_info(dt.date(2026, 10, 10)) == DayInfo(True, "国庆节调休上班", "official")


def test_an_ordinary_weekend_is_off_and_an_ordinary_weekday_worked():
    assert OFFICIAL.day_info(dt.date(2026, 3, 7)) == DayInfo(False, "", "official")  # Saturday
    assert OFFICIAL.day_info(dt.date(2026, 3, 9)) == DayInfo(True, "", "official")  # Monday


def test_a_year_nobody_knows_falls_back_to_weekends_and_says_so():
    # given a year neither the package nor the table knows
    monday, saturday = first_weekday(UNKNOWN_YEAR, 0), first_weekday(UNKNOWN_YEAR, 5)
    # when / then
    assert OFFICIAL.day_info(monday) == DayInfo(True, "", "weekend")
    assert OFFICIAL.day_info(saturday) == DayInfo(False, "", "weekend")
    assert OFFICIAL.unknown_years(dt.date(UNKNOWN_YEAR - 1, 12, 1), dt.date(UNKNOWN_YEAR + 1, 1, 5)) == [
        UNKNOWN_YEAR,
        UNKNOWN_YEAR + 1,
    ]
    assert OFFICIAL.known_through() == UNKNOWN_YEAR - 1
    assert 2026 in official_years()


def test_the_table_overrides_the_package():
    # given an extra day off and a holiday made a working day
    calendar = WorkCalendar(
        overrides={
            dt.date(2026, 10, 8): TableDay(is_working=False, name="国庆节"),
            dt.date(2026, 10, 7): TableDay(is_working=True, name="值班"),
        }
    )
    # then
    assert calendar.day_info(dt.date(2026, 10, 8)) == DayInfo(False, "国庆节", "table")
    assert calendar.day_info(dt.date(2026, 10, 7)) == DayInfo(True, "值班", "table")
    assert calendar.day_info(dt.date(2026, 10, 6)) == DayInfo(False, "国庆节", "official")


def test_the_table_fills_a_year_the_package_does_not_know():
    # given the administrators entered the unknown year's Spring Festival
    monday = first_weekday(UNKNOWN_YEAR, 0) + dt.timedelta(weeks=5)
    saturday = monday + dt.timedelta(days=5)
    calendar = WorkCalendar(
        overrides={
            monday: TableDay(is_working=False, name="春节"),
            saturday: TableDay(is_working=True, name="调休上班"),
        }
    )
    # then the year is known, and its other days follow the week
    assert calendar.day_info(monday) == DayInfo(False, "春节", "table")
    assert calendar.day_info(saturday) == DayInfo(True, "调休上班", "table")
    assert calendar.day_info(monday + dt.timedelta(days=7)) == DayInfo(True, "", "table")
    assert calendar.unknown_years(dt.date(UNKNOWN_YEAR, 1, 1), dt.date(UNKNOWN_YEAR, 12, 31)) == []
    assert calendar.known_through() == UNKNOWN_YEAR


# --- counting working days and working time --------------------------------------------------


def test_three_working_days_from_the_friday_before_spring_festival():
    # the swapped Saturday counts, the nine days of 春节 do not
    assert OFFICIAL.add_working_days(dt.date(2026, 2, 13), 3) == dt.date(2026, 2, 25)
    assert OFFICIAL.add_working_days(dt.date(2026, 2, 25), -3) == dt.date(2026, 2, 13)
    assert OFFICIAL.add_working_days(dt.date(2026, 2, 15), 0) == dt.date(2026, 2, 24)


def test_working_time_skips_the_national_day_holiday():
    # given an hour before closing on the eve of 国庆
    start = at(2026, 9, 30, 17)
    # when two hours are added
    end = OFFICIAL.add_working_time(start, dt.timedelta(hours=2), NINE_TO_SIX)
    # then the second hour is spent on the first working day after the holiday
    assert end == at(2026, 10, 8, 10)


def test_working_time_started_at_night_begins_at_the_next_opening():
    assert OFFICIAL.add_working_time(at(2026, 3, 3, 22, 30), dt.timedelta(hours=1), NINE_TO_SIX) == at(
        2026, 3, 4, 10
    )
    assert OFFICIAL.add_working_time(at(2026, 3, 4, 6), dt.timedelta(0), NINE_TO_SIX) == at(2026, 3, 4, 9)


def test_working_time_counts_a_swapped_working_saturday():
    # Friday 2026-02-13 17:00 + 2 hours: one hour on Friday, one on the 调休 Saturday
    assert OFFICIAL.add_working_time(at(2026, 2, 13, 17), dt.timedelta(hours=2), NINE_TO_SIX) == at(
        2026, 2, 14, 10
    )


def test_three_working_days_started_at_17_59_end_at_17_59():
    # given a complaint on Monday one minute before closing, due in three working days of time
    start = at(2026, 3, 2, 17, 59)
    # when
    due = OFFICIAL.add_working_time(start, NINE_TO_SIX.working_days(3), NINE_TO_SIX)
    # then
    assert NINE_TO_SIX.working_days(3) == dt.timedelta(hours=27)
    assert due == at(2026, 3, 5, 17, 59)


def test_time_that_runs_out_at_closing_ends_at_closing():
    assert OFFICIAL.add_working_time(at(2026, 3, 2, 17), dt.timedelta(hours=1), NINE_TO_SIX) == at(
        2026, 3, 2, 18
    )


def test_the_lunch_break_does_not_count():
    assert WITH_LUNCH.day_length == dt.timedelta(hours=8)
    assert OFFICIAL.add_working_time(at(2026, 3, 2, 11, 30), dt.timedelta(hours=1), WITH_LUNCH) == at(
        2026, 3, 2, 13, 30
    )


def test_working_time_between_skips_the_weekend():
    friday, monday = at(2026, 3, 6, 17), at(2026, 3, 9, 10)
    assert OFFICIAL.working_time_between(friday, monday, NINE_TO_SIX) == dt.timedelta(hours=2)
    assert OFFICIAL.working_time_between(monday, friday, NINE_TO_SIX) == -dt.timedelta(hours=2)


def test_an_instant_given_in_another_zone_is_read_in_shanghai():
    # 2026-03-02 01:00 UTC is 09:00 in Shanghai
    start = dt.datetime(2026, 3, 2, 1, tzinfo=dt.UTC)
    assert OFFICIAL.add_working_time(start, dt.timedelta(hours=1), NINE_TO_SIX) == at(2026, 3, 2, 10)


def test_naive_times_negative_amounts_and_impossible_hours_are_refused():
    with pytest.raises(ValueError, match="aware"):
        OFFICIAL.add_working_time(dt.datetime(2026, 3, 2, 9), dt.timedelta(hours=1), NINE_TO_SIX)  # noqa: DTZ001
    with pytest.raises(ValueError, match="negative"):
        OFFICIAL.add_working_time(at(2026, 3, 2, 9), -dt.timedelta(hours=1), NINE_TO_SIX)
    with pytest.raises(ValueError, match="start before"):
        WorkingHours(start=dt.time(18), end=dt.time(9))
    with pytest.raises(ValueError, match="inside"):
        WorkingHours(lunch_start=dt.time(8), lunch_end=dt.time(10))


# --- properties ------------------------------------------------------------------------------

instants = st.datetimes(
    min_value=dt.datetime(2025, 12, 1),  # noqa: DTZ001 - hypothesis draws naive values, zoned below
    max_value=dt.datetime(2026, 12, 1),  # noqa: DTZ001
).map(lambda naive: naive.replace(second=0, microsecond=0, tzinfo=SHANGHAI))
amounts = st.integers(min_value=0, max_value=20 * 9 * 60).map(lambda minutes: dt.timedelta(minutes=minutes))
hours_choices = st.sampled_from(
    [NINE_TO_SIX, WITH_LUNCH, WorkingHours(start=dt.time(8, 30), end=dt.time(17, 30))]
)


@settings(max_examples=200, deadline=None)
@given(start=instants, amount=amounts, hours=hours_choices)
def test_the_result_always_lies_in_working_time_and_holds_exactly_the_amount(start, amount, hours):
    end = OFFICIAL.add_working_time(start, amount, hours)
    assert OFFICIAL.is_working_time(end, hours)
    assert end >= start
    assert OFFICIAL.working_time_between(start, end, hours) == amount


@settings(max_examples=200, deadline=None)
@given(start=instants, first=amounts, second=amounts, hours=hours_choices)
def test_adding_a_then_b_is_adding_a_plus_b(start, first, second, hours):
    stepwise = OFFICIAL.add_working_time(OFFICIAL.add_working_time(start, first, hours), second, hours)
    assert stepwise == OFFICIAL.add_working_time(start, first + second, hours)


@settings(max_examples=200, deadline=None)
@given(start=instants, first=amounts, second=amounts, hours=hours_choices)
def test_more_working_time_never_ends_earlier(start, first, second, hours):
    less, more = sorted([first, second])
    assert OFFICIAL.add_working_time(start, less, hours) <= OFFICIAL.add_working_time(start, more, hours)


# --- the administrators' table in the database -----------------------------------------------


def test_a_row_an_administrator_saves_is_read_at_once(db):
    # given the calendar has been read (and its table cached)
    day = dt.date(2026, 10, 8)
    assert workcalendar.day_info(day) == DayInfo(True, "", "official")
    # when an administrator declares the day off
    CalendarDay.objects.create(date=day, is_working=False, name="国庆节", note="公司通知")
    # then the next question sees it, and deadlines skip it
    assert workcalendar.day_info(day) == DayInfo(False, "国庆节", "table")
    assert workcalendar.add_working_time(at(2026, 9, 30, 17), dt.timedelta(hours=2), NINE_TO_SIX) == at(
        2026, 10, 9, 10
    )


def test_a_deleted_row_gives_the_day_back_to_the_package(db):
    # given
    row = CalendarDay.objects.create(date=dt.date(2026, 10, 8), is_working=False, name="国庆节")
    assert not workcalendar.is_working_day(row.date)
    # when
    row.delete()
    # then
    assert workcalendar.is_working_day(row.date)
    assert workcalendar.unknown_years(dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == []
