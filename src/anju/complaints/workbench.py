"""Complaints' part of the workbench (decision 0012): the open complaints the agent handles, and
those escalated to them (a store manager, the administrator) whose deadline is still unmet —
escalated ones first. Shown at the very top, and only when there is one. Registered in
``ComplaintsConfig.ready``."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.complaints.models import Complaint
from anju.complaints.selectors import complaints_for_workbench
from anju.core import workbench
from anju.core.formats import format_datetime
from anju.core.workbench import ContributorResult, Figure, Urgency, WorkItem
from anju.org.models import Agent, Role

SHOWN = 20


def current_deadline(c: Complaint) -> tuple[str, dt.datetime]:
    """The deadline the complaint is working to: acknowledging first, then resolving."""
    if c.acknowledged_at is None and c.acknowledge_due_at < c.resolve_due_at:
        return _("回应"), c.acknowledge_due_at
    return _("解决"), c.resolve_due_at


def _item(c: Complaint, now: dt.datetime) -> WorkItem:
    what, due = current_deadline(c)
    late = due < now or c.resolve_due_at < now
    if late:
        urgency = Urgency.OVERDUE
    elif c.alerted or timezone.localtime(due).date() == timezone.localtime(now).date():  # type: ignore[attr-defined]
        urgency = Urgency.TODAY
    else:
        urgency = Urgency.SOON
    if c.escalated:  # type: ignore[attr-defined]
        badge = _("已升级")
    elif late:
        badge = _("已逾期")
    elif c.alerted:  # type: ignore[attr-defined]
        badge = _("即将到期")
    else:
        badge = ""
    return WorkItem(
        source="complaints",
        kind="complaint_escalated" if c.escalated else "complaint_due",  # type: ignore[attr-defined]
        key=f"complaint:{c.pk}",
        title=_("%(severity)s投诉 · %(client)s · %(category)s")
        % {"severity": c.get_severity_display(), "client": c.client.name, "category": c.category.name},
        detail=c.get_status_display(),
        note=_("%(what)s时限 %(at)s") % {"what": what, "at": format_datetime(due)},
        badge=badge,
        url=reverse("web:complaint_detail", args=[c.pk]),
        urgency=urgency,
        at=due,
        obj=c,
    )


def contribute(agent: Agent, day: dt.date) -> ContributorResult:
    """An item ends when the complaint is resolved (or, for an escalation, its deadline met)."""
    now = timezone.now()
    items = [_item(c, now) for c in complaints_for_workbench(agent, limit=SHOWN)]
    figures = []
    # The way to the complaint pages: for whoever has complaints to handle, and always for the people
    # complaints escalate to.
    if items or agent.role in (Role.MANAGER, Role.ADMIN):
        figures.append(
            Figure("complaints", gettext_lazy("待处理投诉"), len(items), reverse("web:complaints"), order=57)
        )
    return ContributorResult(items=items, figures=figures)


def register() -> None:
    workbench.register(
        "complaints",
        contribute,
        order=5,
        heading=gettext_lazy("投诉时限"),
        empty_text=gettext_lazy("没有待处理的投诉。"),
        template="web/complaints/_workbench.html",
        band="top",
    )
