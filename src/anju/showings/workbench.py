"""The showings' part of the workbench (decision 0012): stops nobody has confirmed with the occupant
yet, from the evening before, and tomorrow's follow-ups after today's showings (the clients' own
section lists follow-ups only once they are due). Registered in ``ShowingsConfig.ready``."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.core import workbench
from anju.core.formats import format_datetime
from anju.core.workbench import ContributorResult, Urgency, WorkItem
from anju.org.models import Agent
from anju.showings.models import Showing, Stop
from anju.showings.selectors import follow_ups_after_showings, unconfirmed_stops
from anju.showings.services import listing_label


def _unconfirmed(stop: Stop, day: dt.date) -> WorkItem:
    on = timezone.localtime(stop.arrive_at).date()
    return WorkItem(
        source="showings",
        kind="stop_unconfirmed",
        key=f"stop:{stop.pk}",
        title=listing_label(stop.listing),
        detail=_("带 %(client)s 看房，未与业主确认") % {"client": stop.showing.client.name},
        note=format_datetime(stop.arrive_at),
        url=reverse("web:showing_detail", args=[stop.showing_id]) + f"#stop-{stop.pk}",
        urgency=Urgency.TODAY if on <= day else Urgency.SOON,
        at=stop.arrive_at,
        badge=_("待确认"),
        obj=stop,
    )


def _after(showing: Showing, day: dt.date) -> WorkItem:
    tomorrow = day + dt.timedelta(days=1)
    return WorkItem(
        source="showings",
        kind="follow_up_tomorrow",
        key=f"client:{showing.client_id}",
        title=showing.client.name,
        detail=_("带看后回访"),
        note=_("明天跟进"),
        url=reverse("web:client_detail", args=[showing.client_id])
        + f"?showing={showing.pk}#interaction-form",
        urgency=Urgency.SOON,
        at=tomorrow,
        obj=showing,
    )


def contribute(agent: Agent, day: dt.date) -> ContributorResult:
    """Confirming a stop or recording the follow-up ends an item: nothing to tick off."""
    return ContributorResult(
        items=[_unconfirmed(stop, day) for stop in unconfirmed_stops(agent, day)]
        + [_after(showing, day) for showing in follow_ups_after_showings(agent, day)]
    )


def register() -> None:
    workbench.register(
        "showings",
        contribute,
        order=40,
        heading=gettext_lazy("带看"),
        empty_text=gettext_lazy("近两天没有待确认的带看。"),
    )
