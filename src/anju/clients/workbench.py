"""The clients' part of the workbench: 待跟进的私客 (due follow-ups, then the quietest clients) and
the client figures. Registered in ``ClientsConfig.ready``; the rules are decision 0012."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.clients.models import Client
from anju.clients.selectors import clients_for_day
from anju.core import workbench
from anju.core.formats import format_date
from anju.core.workbench import ContributorResult, Figure, Urgency, WorkItem
from anju.org.models import Agent


def _client_item(
    client: Client, *, kind: str, note: str, urgency: Urgency, at: dt.date | dt.datetime
) -> WorkItem:
    return WorkItem(
        source="clients",
        kind=kind,
        key=f"client:{client.pk}",
        title=client.name,
        detail=client.shown_mobile,  # type: ignore[attr-defined]
        note=note,
        url=reverse("web:client_detail", args=[client.pk]),
        urgency=urgency,
        at=at,
        obj=client,
    )


def _follow_up(client: Client, day: dt.date, due_on: dt.date) -> WorkItem:
    return _client_item(
        client,
        kind="follow_up_due",
        note=_("应跟进 %(date)s") % {"date": format_date(due_on)},
        urgency=Urgency.OVERDUE if due_on < day else Urgency.TODAY,
        at=due_on,
    )


def _quiet(client: Client) -> WorkItem:
    # A client never contacted has been quiet since it was entered.
    last = client.last_contact_at
    return _client_item(
        client,
        kind="client_quiet",
        note=_("上次 %(date)s") % {"date": format_date(last)} if last else _("从未跟进"),
        urgency=Urgency.SOON,
        at=last or client.created_at,
    )


def contribute(agent: Agent, day: dt.date) -> ContributorResult:
    """Done when the follow-up is recorded (that moves the next follow-up date), so no tick-off."""
    found = clients_for_day(agent, day)
    clients = reverse("web:clients")
    return ContributorResult(
        items=[_follow_up(c, day, c.next_follow_up_on) for c in found.due if c.next_follow_up_on]
        + [_quiet(c) for c in found.quiet],
        figures=[
            Figure(key, label, getattr(found, counted), url, order=order, more=counted in found.more)
            for key, label, counted, url, order in (
                ("my_clients", gettext_lazy("我的私客"), "my_clients", clients, 10),
                ("pool_clients", gettext_lazy("公客池"), "pool_clients", f"{clients}?scope=pool", 20),
                ("due", gettext_lazy("今日待跟进"), "due_count", f"{clients}?due=1&scope=mine", 30),
            )
        ],
    )


def register() -> None:
    workbench.register(
        "clients",
        contribute,
        order=50,
        heading=gettext_lazy("待跟进的私客"),
        empty_text=gettext_lazy("暂无私客。"),
        template="web/workbench/_follow_ups.html",
    )
