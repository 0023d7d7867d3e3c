"""Processing's part of the workbench (decision 0012): the milestones the agent is responsible for
or whose deal they run, due within the week (overdue ones red), and the after-sales visits due.
Registered in ``ProcessingConfig.ready``."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.core import workbench
from anju.core.formats import format_date
from anju.core.workbench import ContributorResult, Figure, Urgency, WorkItem
from anju.org.models import Agent, Role
from anju.processing.models import Milestone, Visit
from anju.processing.selectors import milestones_due_for, visits_due_for

AHEAD_DAYS = 7
SHOWN = 30


def _urgency(due: dt.date, day: dt.date) -> Urgency:
    if due < day:
        return Urgency.OVERDUE
    return Urgency.TODAY if due == day else Urgency.SOON


def _milestone(m: Milestone, day: dt.date) -> WorkItem:
    deal = m.plan.deal
    urgency = _urgency(m.due_on, day)
    return WorkItem(
        source="processing",
        kind="milestone_due",
        key=f"milestone:{m.pk}",
        title=f"{m.name} · {deal.listing.community.name}",
        detail=deal.number,
        note=_("计划 %(date)s") % {"date": format_date(m.due_on)},
        badge=_("已逾期") if urgency == Urgency.OVERDUE else "",
        url=reverse("web:deal_detail", args=[deal.pk]) + "#processing",
        urgency=urgency,
        at=m.due_on,
        group=f"deal:{deal.pk}",
        group_title=f"{deal.number} {deal.listing.community.name}",
        obj=m,
    )


def _visit(v: Visit, day: dt.date) -> WorkItem:
    urgency = _urgency(v.due_on, day)
    return WorkItem(
        source="processing",
        kind="visit_due",
        key=f"visit:{v.pk}",
        title=_("售后回访（交房后 %(days)s 天）· %(client)s") % {"days": v.days, "client": v.deal.buyer.name},
        detail=f"{v.deal.number} {v.deal.listing.community.name}",
        note=_("回访日 %(date)s") % {"date": format_date(v.due_on)},
        badge=_("已逾期") if urgency == Urgency.OVERDUE else "",
        url=reverse("web:deal_detail", args=[v.deal_id]) + "#processing",
        urgency=urgency,
        at=v.due_on,
        obj=v,
    )


def contribute(agent: Agent, day: dt.date) -> ContributorResult:
    """An item ends when its milestone is done or its visit recorded."""
    until = day + dt.timedelta(days=AHEAD_DAYS)
    milestones = list(milestones_due_for(agent, until=until)[:SHOWN])
    visits = list(visits_due_for(agent, until=until)[:SHOWN])
    items = [_milestone(m, day) for m in milestones] + [_visit(v, day) for v in visits]
    figures = []
    if agent.role in (Role.SPECIALIST, Role.MANAGER, Role.ADMIN):
        figures.append(
            Figure(
                "processing_board",
                gettext_lazy("办理看板"),
                len(milestones),
                reverse("web:processing_board"),
                order=55,
            )
        )
    return ContributorResult(items=items, figures=figures)


def register() -> None:
    workbench.register(
        "processing",
        contribute,
        order=42,
        heading=gettext_lazy("交易办理与回访"),
        empty_text=gettext_lazy("近期没有到期的办理节点或回访。"),
    )
