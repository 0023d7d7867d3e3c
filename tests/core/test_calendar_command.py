"""``anju calendar``: what an operator checks before a new year, and the warning when nobody knows it."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import call_command

from anju.core.models import CalendarDay
from anju.core.workcalendar import official_years

UNKNOWN_YEAR = max(official_years()) + 1


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("calendar", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_known_year_lists_its_holidays_and_swapped_working_days_with_their_source(db):
    # when
    out, err = run("2026")
    # then
    lines = out.splitlines()
    assert lines[0] == "2026 年节假日与调休（共 39 天）"
    feb14 = next(line for line in lines if line.startswith("2026-02-14"))
    oct1 = next(line for line in lines if line.startswith("2026-10-01"))
    assert feb14.split()[1:4] == ["六", "上班", "春节调休上班"]
    assert oct1.split()[1:4] == ["四", "放假", "国庆节"]
    assert "chinesecalendar" in oct1
    assert not any(line.startswith("2026-03-07") for line in lines)  # an ordinary Saturday is not listed
    assert err == ""


def test_a_year_nobody_knows_is_warned_about(db):
    # when
    out, err = run(str(UNKNOWN_YEAR))
    # then
    assert out == ""
    assert f"警告：日历不知道 {UNKNOWN_YEAR} 年的节假日" in err
    assert "暂按周一至周五上班、周末休息推算" in err
    assert "管理后台 › 核心 › 节假日与调休" in err


def test_a_year_the_administrators_filled_is_listed_from_the_table(db):
    # given
    CalendarDay.objects.create(
        date=dt.date(UNKNOWN_YEAR, 1, 1), is_working=False, name="元旦", note="国办发明电"
    )
    # when
    out, err = run(str(UNKNOWN_YEAR))
    # then
    assert err == ""
    row = next(line for line in out.splitlines() if line.startswith(f"{UNKNOWN_YEAR}-01-01"))
    assert row.split()[2:] == ["放假", "元旦", "节假日表"]


def test_without_a_year_it_checks_this_year_and_the_next(db, time_machine):
    # given it is December of the last year the package knows
    time_machine.move_to(dt.datetime(UNKNOWN_YEAR - 1, 12, 15, 10, tzinfo=dt.UTC), tick=False)
    # when
    out, err = run()
    # then
    assert out.startswith(f"{UNKNOWN_YEAR - 1} 年节假日与调休")
    assert f"日历不知道 {UNKNOWN_YEAR} 年的节假日" in err
