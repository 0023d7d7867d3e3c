"""Care's part of the workbench (decision 0012): 按周期应联系 — the agent's clients the cadence says
are due (with their tier), and for a store manager who in the store is behind. Registered in
``CareConfig.ready``."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.care.selectors import care_for_day
from anju.core import workbench
from anju.core.formats import format_date
from anju.core.workbench import ContributorResult, Figure, Urgency, WorkItem
from anju.org.models import Agent


def contribute(agent: Agent, day: dt.date) -> ContributorResult:
    """Done when a follow-up is recorded: that moves the client's next contact date past today."""
    found = care_for_day(agent, day)
    clients = reverse("web:clients")
    items = [
        WorkItem(
            source="care",
            kind="contact_due",
            key=f"client:{client.pk}",
            title=client.name,
            detail=client.shown_mobile,  # type: ignore[attr-defined]
            badge=client.tier and _("%(tier)s类") % {"tier": client.tier},
            note=_("应联系 %(date)s") % {"date": format_date(client.next_contact_on)},
            url=reverse("web:client_detail", args=[client.pk]),
            urgency=Urgency.OVERDUE if client.next_contact_on < day else Urgency.TODAY,
            at=client.next_contact_on,
            obj=client,
        )
        for client in found.due
        if client.next_contact_on
    ]
    items += [
        WorkItem(
            source="care",
            kind="agent_behind",
            # The rank in the key: the page orders a section's items by key, and the furthest behind
            # come first.
            key=f"behind:{rank}:agent:{row['owner_id']}",
            title=row["owner__name"],
            note=_("%(count)s 位客户逾期未联系") % {"count": row["overdue"]},
            url=f"{clients}?{urlencode({'owner': row['owner_id'], 'scope': 'mine', 'sort': 'tier'})}",
            urgency=Urgency.SOON,
            at=None,
        )
        for rank, row in enumerate(found.behind, start=1)
    ]
    return ContributorResult(
        items=items,
        figures=[
            Figure("care_due", gettext_lazy("按周期应联系"), found.due_count, reverse("web:care"), order=40)
        ],
    )


def register() -> None:
    workbench.register(
        "care",
        contribute,
        order=55,
        heading=gettext_lazy("按维护周期应联系"),
        empty_text=gettext_lazy("今天没有按周期应联系的客户。"),
    )
