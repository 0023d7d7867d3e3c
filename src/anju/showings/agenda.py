"""The showings calendar (日程): an agent's showings and open days by day or week, a store's for its
manager. Who sees what is ``showings_visible``'s rule (decision 0001): an agent their own, a manager
and a transaction specialist their store's, an administrator the company's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import timezone

from anju.org.models import Agent, Role
from anju.showings.models import OpenDay, OpenDaySignup, OpenDayStatus, Showing, ShowingStatus, Stop
from anju.showings.open_days import open_days_visible
from anju.showings.selectors import showings_between


@dataclass(frozen=True)
class Entry:
    starts_at: dt.datetime
    ends_at: dt.datetime
    showing: Showing | None = None
    open_day: OpenDay | None = None


@dataclass
class Day:
    day: dt.date
    entries: list[Entry] = field(default_factory=list)

    @property
    def is_today(self) -> bool:
        return self.day == timezone.localdate()


def sees_store(viewer: Agent) -> bool:
    """Whether the viewer may switch to the store's calendar (everyone else sees only their own)."""
    return viewer.role in (Role.MANAGER, Role.SPECIALIST, Role.ADMIN)


def agenda(viewer: Agent, *, first_day: dt.date, days: int, whole_store: bool = False) -> list[Day]:
    """``days`` days from ``first_day``, each with its showings and open days in time order.

    ``whole_store`` widens an agent's own calendar to everyone the viewer may see (their store for
    a manager, the company for an administrator); it is ignored for a viewer who may not."""
    whole_store = whole_store and sees_store(viewer)
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(first_day, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(first_day + dt.timedelta(days=days), dt.time.min, tzinfo=zone)
    showings = (
        showings_between(viewer, agent_id=None if whole_store else viewer.pk, start=start, end=end)
        .exclude(status=ShowingStatus.CANCELLED)
        .prefetch_related(
            Prefetch(
                "stops",
                queryset=Stop.objects.select_related("listing__community", "feedback").order_by("order"),
            )
        )
        .order_by("starts_at", "id")
    )
    open_days = open_days_visible(viewer).filter(
        status=OpenDayStatus.SCHEDULED, starts_at__lt=end, ends_at__gt=start
    )
    if whole_store:
        if viewer.role != Role.ADMIN:
            open_days = open_days.filter(agent__store=viewer.store_id)
    else:
        # A subquery, not a join: the join would multiply the rows the sign-up count is taken over.
        mine = OpenDaySignup.objects.filter(agent=viewer, cancelled_at__isnull=True).values("open_day_id")
        open_days = open_days.filter(Q(agent=viewer) | Q(pk__in=mine))
    entries = [Entry(s.starts_at, s.ends_at, showing=s) for s in showings]
    entries += [Entry(o.starts_at, o.ends_at, open_day=o) for o in open_days.order_by("starts_at", "id")]
    calendar = [Day(first_day + dt.timedelta(days=n)) for n in range(days)]
    for entry in sorted(entries, key=lambda e: e.starts_at):
        index = (timezone.localtime(entry.starts_at).date() - first_day).days
        calendar[max(index, 0)].entries.append(entry)  # one begun the evening before shows on the first day
    return calendar
