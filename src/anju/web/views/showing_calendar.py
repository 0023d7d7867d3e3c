"""日程: the showings calendar by day or week, the agent's own or (for a manager) the store's.

Its URL sits under /showings/ beside the 带看 pages; the reads are ``showings/agenda.py``'s.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from anju.org.models import Agent
from anju.showings.agenda import agenda, sees_store
from anju.web.views.base import HtmxRequest, agent_required

VIEWS = {"day": 1, "week": 7}


def _day(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        return timezone.localdate()


@agent_required
def showing_calendar(request: HtmxRequest, agent: Agent) -> HttpResponse:
    asked = request.GET.get("view", "")
    view = asked if asked in VIEWS else "week"
    day = _day(request.GET.get("day"))
    first = day - dt.timedelta(days=day.weekday()) if view == "week" else day
    store = request.GET.get("scope") == "store" and sees_store(agent)
    step = dt.timedelta(days=VIEWS[view])
    context = {
        "days": agenda(agent, first_day=first, days=VIEWS[view], whole_store=store),
        "view": view,
        "first": first,
        "last": first + step - dt.timedelta(days=1),
        "previous": first - step,
        "next": first + step,
        "today": timezone.localdate(),
        "scope": "store" if store else "mine",
        "may_see_store": sees_store(agent),
        "nav_section": "showings",
    }
    return render(request, "web/showings/calendar.html", context)


urlpatterns = [path("showings/calendar/", showing_calendar, name="showing_calendar")]
