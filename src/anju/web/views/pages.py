"""The workbench and the main lists."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from anju.core.workbench import Workbench, collect
from anju.org.models import Agent
from anju.org.selectors import access_notification
from anju.org.services import notification_mark_read
from anju.web.kept import kept_part
from anju.web.views.base import HtmxRequest, agent_required

PAGE_SIZE = 20


@agent_required
def workbench(request: HtmxRequest, agent: Agent) -> HttpResponse:
    """The agent's day: every app's contribution merged (decision 0012); this view names no app. Kept
    until the database changes (decision 0027)."""
    day = timezone.localdate()

    def compute(now: dt.datetime) -> tuple[dict[str, Workbench], dt.datetime | None]:
        found = collect(agent, day)
        return {"workbench": found}, found.valid_until(now)

    sections = kept_part(
        request, ("workbench", agent.pk, get_language(), day), "web/workbench/_sections.html", compute
    )
    return render(request, "web/workbench.html", {"sections": sections})


@agent_required
@require_POST
def notification_read(request: HtmxRequest, agent: Agent, notification_id: int) -> HttpResponse:
    """Dismiss a workbench notice (only one's own: anyone else's is not found)."""
    notice = access_notification(agent, notification_id)
    notification_mark_read(agent=agent, notification_id=notice.pk)
    return HttpResponse("") if request.htmx else redirect("web:workbench")
