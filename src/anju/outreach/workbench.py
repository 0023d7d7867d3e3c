"""Outreach's part of the agent's day: birthdays, anniversaries and festivals in the next days."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.core import workbench
from anju.core.formats import format_date
from anju.core.workbench import ContributorResult, Urgency, WorkItem
from anju.org.models import Agent
from anju.outreach.occasions import client_occasions, holidays_between
from anju.outreach.selectors import clients_cared_for

# How many days ahead the workbench shows occasions (the nightly job drafts greetings as far).
DAYS_AHEAD = 7


def contribute(agent: Agent, day: dt.date) -> ContributorResult:
    end = day + dt.timedelta(days=DAYS_AHEAD - 1)
    clients = clients_cared_for(agent)
    personal = sorted(
        client_occasions(clients, day, end, festivals=False), key=lambda o: (o.date, o.client_id)
    )
    items = [
        WorkItem(
            source="outreach",
            kind=occasion.kind,
            key=f"{occasion.kind}:{occasion.client_id}:{occasion.date.isoformat()}",
            title=_("%(client)s · %(occasion)s")
            % {"client": occasion.client_name, "occasion": occasion.name},
            url=reverse("web:client_detail", args=[occasion.client_id]),
            urgency=Urgency.TODAY if occasion.date == day else Urgency.SOON,
            at=occasion.date,
            note=format_date(occasion.date),
        )
        for occasion in personal
    ]
    holidays = holidays_between(day, end)
    if holidays:
        items += [
            WorkItem(
                source="outreach",
                kind="festival",
                key=f"festival:{holiday.date.isoformat()}:{holiday.name}",
                title=holiday.name,
                detail=_("给客户送上节日问候"),
                url=reverse("web:clients"),
                urgency=Urgency.TODAY if holiday.date == day else Urgency.SOON,
                at=holiday.date,
                note=" ".join(part for part in (format_date(holiday.date), holiday.note) if part),
            )
            for holiday in holidays
        ]
    return ContributorResult(items=items)


def register() -> None:
    workbench.register(
        "outreach",
        contribute,
        order=45,
        heading=gettext_lazy("生日与节日"),
        empty_text=gettext_lazy("近 7 天没有客户生日或节日。"),
    )
