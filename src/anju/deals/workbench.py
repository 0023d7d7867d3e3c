"""The deals' part of the workbench: 签约期限 — deals in 已签意向 whose contract must be signed
within the week, the passed deadlines flagged 已逾期. Registered in ``DealsConfig.ready``
(decision 0012)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.core import workbench
from anju.core.formats import format_date
from anju.core.workbench import ContributorResult, Figure, Urgency, WorkItem
from anju.deals.models import Deal, DealStage
from anju.deals.selectors import deals_by_stage, intent_deadlines
from anju.org.models import Agent

# How far ahead a signing deadline appears on the workbench.
AHEAD_DAYS = 7


def _deadline(deal: Deal, day: dt.date) -> WorkItem:
    sign_by = deal.intent.sign_by
    if sign_by < day:
        urgency, note = Urgency.OVERDUE, _("签约期限已过 %(date)s") % {"date": format_date(sign_by)}
    elif sign_by == day:
        urgency, note = Urgency.TODAY, _("今日须签约")
    else:
        urgency, note = Urgency.SOON, _("签约期限 %(date)s") % {"date": format_date(sign_by)}
    return WorkItem(
        source="deals",
        kind="intent_deadline",
        key=f"deal:{deal.pk}",
        title=f"{deal.listing.community.name} · {deal.buyer.name}",
        detail=deal.number,
        note=note,
        badge=_("已逾期") if urgency == Urgency.OVERDUE else "",
        url=reverse("web:deal_detail", args=[deal.pk]),
        urgency=urgency,
        at=sign_by,
        obj=deal,
    )


def contribute(agent: Agent, day: dt.date) -> ContributorResult:
    """Done when the contract is signed or the deal cancelled (the deal leaves 已签意向)."""
    due = list(intent_deadlines(agent, until=day + dt.timedelta(days=AHEAD_DAYS)))
    counts = deals_by_stage(agent)
    in_progress = sum(counts.get(stage, 0) for stage in (DealStage.NEGOTIATING, DealStage.INTENT))
    return ContributorResult(
        items=[_deadline(deal, day) for deal in due],
        figures=[
            Figure(
                "open_deals", gettext_lazy("洽谈与意向中的交易"), in_progress, reverse("web:deals"), order=50
            )
        ],
    )


def register() -> None:
    workbench.register(
        "deals",
        contribute,
        order=40,
        heading=gettext_lazy("签约期限"),
        empty_text=gettext_lazy("近期没有待签约的意向。"),
    )
