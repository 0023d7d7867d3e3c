"""``anju calendar [YEAR ...]``: a year's holidays and 调休 working days, and where each came from."""

from __future__ import annotations

import datetime as dt
import unicodedata
from importlib.metadata import version
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from anju.core.workcalendar import SOURCE_LABELS, WorkCalendar, current_calendar, official_years

WEEKDAYS = "一二三四五六日"


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (a Chinese character takes two)."""
    used = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return text + " " * max(width - used, 0)


class Command(BaseCommand):
    help = "列出某年的节假日与调休上班日及其来源；日历不知道的年份会给出警告。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("years", nargs="*", type=int, help="年份，例如 2027；默认今年和明年")

    def handle(self, *args: Any, **options: Any) -> None:
        this_year = timezone.localdate().year
        years: list[int] = options["years"] or [this_year, this_year + 1]
        calendar = current_calendar()
        for number, year in enumerate(years):
            if number:
                self.stdout.write("")
            self._show(calendar, year)

    def _show(self, calendar: WorkCalendar, year: int) -> None:
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        if calendar.unknown_years(first, last):
            package = official_years()
            self.stderr.write(
                self.style.WARNING(
                    f"警告：日历不知道 {year} 年的节假日。chinesecalendar {version('chinesecalendar')} "
                    f"只含 {min(package)}–{max(package)} 年，节假日表中也没有 {year} 年的记录；"
                    f"{year} 年暂按周一至周五上班、周末休息推算。"
                    "国务院公布安排后，请在 管理后台 › 核心 › 节假日与调休 中录入。"
                )
            )
            return
        days = [first + dt.timedelta(days=offset) for offset in range((last - first).days + 1)]
        special = [(day, calendar.day_info(day)) for day in days]
        special = [(day, info) for day, info in special if info.name]
        self.stdout.write(f"{year} 年节假日与调休（共 {len(special)} 天）")
        self.stdout.write(f"{_pad('日期', 10)}  星期  安排  {_pad('名称', 16)}  来源")
        for day, info in special:
            state = "上班" if info.is_working else "放假"
            self.stdout.write(
                f"{day:%Y-%m-%d}  {WEEKDAYS[day.weekday()]}    {state}  {_pad(info.name, 16)}  "
                f"{SOURCE_LABELS[info.source]}"
            )
