"""Occasions (节日与生日): which of a set of clients has what occasion on which day in a window.

Set-based, so the nightly job stays fast over a million clients: solar birthdays are fetched by
the (month, day) pairs of the window in SQL; lunar birthdays by the few (month, day, leap) keys
celebrated in the window (``calendar.birthday_keys_between``), never by converting every client's
birthday; deal anniversaries by the month and day of the closing; the festivals are the same days
for everyone. Official holidays (the days off around 春节, 国庆 …) come from the working-time
calendar, and a year it does not know yet still gets its occasions, with a note saying so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.clients.expressions import MonthDay
from anju.clients.models import Client
from anju.core import workcalendar
from anju.core.formats import format_date
from anju.deals.models import DealStage, StageChange
from anju.outreach.calendar import (
    LunarBirthday,
    birthday_keys_between,
    festivals_between,
    solar_month_days_between,
)
from anju.outreach.models import OccasionKind

# The API and the pages ask for at most this many days at once.
MAX_WINDOW_DAYS = 62


@dataclass(frozen=True)
class Occasion:
    client_id: int
    kind: str
    name: str
    date: dt.date
    note: str = ""
    client_name: str = ""

    @property
    def key(self) -> str:
        """The greeting's idempotency key: one greeting per client, occasion and date."""
        return f"greeting:{self.client_id}:{self.kind}:{self.date.isoformat()}"


@dataclass(frozen=True)
class Holiday:
    kind: str
    name: str
    date: dt.date
    note: str


def holiday_note(day: dt.date) -> str:
    """The official days off a festival falls in, from the working-time calendar; for a year the
    calendar does not know yet, a note saying the date is the festival's own and the days off are
    not published."""
    info = workcalendar.day_info(day)
    if info.source == "weekend":
        return _("%(year)s年放假安排尚未公布") % {"year": day.year}
    if info.is_working or not info.name:
        return ""
    first = last = day
    while (
        before := workcalendar.day_info(first - dt.timedelta(days=1))
    ).name == info.name and not before.is_working:
        first -= dt.timedelta(days=1)
    while (
        after := workcalendar.day_info(last + dt.timedelta(days=1))
    ).name == info.name and not after.is_working:
        last += dt.timedelta(days=1)
    return _("放假 %(first)s至%(last)s") % {"first": format_date(first), "last": format_date(last)}


def holidays_between(start: dt.date, end: dt.date) -> list[Holiday]:
    """The festivals, 元旦 and 国庆 in the window: the same for every client."""
    return [Holiday(f.kind, f.name, f.date, holiday_note(f.date)) for f in festivals_between(start, end)]


def _any(conditions: Iterable[Q]) -> Q | None:
    conditions = list(conditions)
    return reduce(or_, conditions) if conditions else None


def _by_month(pairs: Iterable[tuple[int, int]], field: str) -> Q | None:
    """``field``'s month and day among ``pairs``, one condition per month: a window of days spans
    one or two months, so the database extracts the month and the day once per row."""
    days: dict[int, list[int]] = {}
    for month, day in pairs:
        days.setdefault(month, []).append(day)
    return _any(Q(**{f"{field}__month": month, f"{field}__day__in": sorted(d)}) for month, d in days.items())


def solar_birthdays(clients: QuerySet[Client], start: dt.date, end: dt.date) -> Iterator[Occasion]:
    """By the birthday's month and day as one number (``MonthDay``, indexed as
    ``client_solar_birthday``): the few clients born on the window's days, not every client read."""
    pairs = solar_month_days_between(start, end)
    rows = (
        clients.exclude(birthday_calendar="lunar")
        .filter(birthday__isnull=False)
        .alias(month_day=MonthDay("birthday"))
        .filter(month_day__in=sorted(month * 100 + day for month, day in pairs))
    )
    for client_id, name, birthday in rows.values_list("id", "name", "birthday").iterator(chunk_size=5000):
        assert birthday is not None  # noqa: S101 - filtered above
        yield Occasion(
            client_id,
            OccasionKind.BIRTHDAY,
            _("生日"),
            pairs[(birthday.month, birthday.day)],
            client_name=name,
        )


def lunar_birthdays(clients: QuerySet[Client], start: dt.date, end: dt.date) -> Iterator[Occasion]:
    """By the stored lunar month and day (indexed as ``client_lunar_birthday``): the months and the
    days of the window's keys, one condition each, so both databases read the index by them; the
    few combinations that are not a key of the window (the 1st of the first month, say) are dropped
    here. An OR of one condition per month leads SQLite to read every client of the agent."""
    keys = birthday_keys_between(start, end)
    if not keys:
        return
    rows = clients.filter(
        birthday_calendar="lunar",
        lunar_birth_month__in=sorted({key.month for key in keys}),
        lunar_birth_day__in=sorted({key.day for key in keys}),
    )
    values = rows.values_list("id", "name", "lunar_birth_month", "lunar_birth_day", "lunar_birth_leap")
    for client_id, name, month, day, leap in values.iterator(chunk_size=5000):
        assert month is not None and day is not None  # noqa: S101 - matched above
        date = keys.get(LunarBirthday(month, day, leap))
        if date is not None:
            yield Occasion(client_id, OccasionKind.BIRTHDAY, _("农历生日"), date, client_name=name)


def deal_anniversaries(clients: QuerySet[Client], start: dt.date, end: dt.date) -> Iterator[Occasion]:
    """The yearly return of the day a client's deal closed (buyer and seller alike): the closings on
    the window's days, a few rows, each asked whether its client is one of ``clients`` (EXISTS).
    Asked as ``IN (clients)``, SQLite lists every client of the agent before it reads a closing."""
    pairs = solar_month_days_between(start, end)
    matches = _by_month(pairs, "at")
    if matches is None:
        return
    closings = StageChange.objects.filter(to_stage=DealStage.CLOSED).filter(matches)
    for side in ("deal__buyer", "deal__seller"):
        theirs = closings.filter(Exists(clients.filter(id=OuterRef(f"{side}_id"))))
        rows = theirs.values_list(f"{side}_id", f"{side}__name", "at")
        for client_id, name, at in rows.iterator(chunk_size=5000):
            closed_on = timezone.localdate(at)
            date = pairs[(closed_on.month, closed_on.day)]
            years = date.year - closed_on.year
            if years >= 1:
                yield Occasion(
                    client_id,
                    OccasionKind.DEAL_ANNIVERSARY,
                    _("成交%(years)s周年") % {"years": years},
                    date,
                    client_name=name,
                )


def client_occasions(
    clients: QuerySet[Client], start: dt.date, end: dt.date, *, festivals: bool = True
) -> Iterator[Occasion]:
    """Every occasion of ``clients`` from ``start`` to ``end`` (both included): their birthdays and
    deal anniversaries, and with ``festivals`` every festival for each of them."""
    yield from solar_birthdays(clients, start, end)
    yield from lunar_birthdays(clients, start, end)
    yield from deal_anniversaries(clients, start, end)
    if festivals:
        holidays = holidays_between(start, end)
        if holidays:
            for client_id, name in clients.values_list("id", "name").iterator(chunk_size=5000):
                for holiday in holidays:
                    yield Occasion(client_id, holiday.kind, holiday.name, holiday.date, holiday.note, name)
