"""Referrals' part of the workbench (decision 0012): 鼓励分享 — clients of the agent's deals who rated
an after-sales visit highly, and the agent's clients whose complaint was closed with a high rating,
not asked to refer friends yet; one item per client, the newest good moment. Asking (the 已邀请
button) ends the item. Registered in ``ReferralsConfig.ready``."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.complaints.models import Complaint
from anju.core import workbench
from anju.core.workbench import ContributorResult, Urgency, WorkItem
from anju.org.models import Agent
from anju.processing.models import Visit
from anju.referrals.selectors import closures_to_ask, visits_to_ask

SHOWN = 10


def _ask(visit: Visit) -> WorkItem:
    client = visit.deal.buyer
    return WorkItem(
        source="referrals",
        kind="referral_ask",
        key=f"client:{client.pk}",
        title=_("鼓励分享 · %(client)s") % {"client": client.name},
        detail=f"{visit.deal.number} {visit.deal.listing.community.name}",
        note=_("回访满意度 %(score)s 分") % {"score": visit.satisfaction},
        url=reverse("web:client_detail", args=[client.pk]) + "#referrals",
        done_url=reverse("web:referral_ask", args=[client.pk]),
        urgency=Urgency.SOON,
        at=visit.done_at,
        obj=visit,
    )


def _ask_after_complaint(complaint: Complaint) -> WorkItem:
    client = complaint.client
    return WorkItem(
        source="referrals",
        kind="referral_ask_complaint",
        key=f"client:{client.pk}",
        title=_("鼓励分享 · %(client)s") % {"client": client.name},
        detail=_("投诉 #%(number)s 已圆满解决") % {"number": complaint.pk},
        note=_("投诉处理满意度 %(score)s 分") % {"score": complaint.satisfaction},
        url=reverse("web:client_detail", args=[client.pk]) + "#referrals",
        done_url=reverse("web:referral_ask", args=[client.pk]),
        urgency=Urgency.SOON,
        at=complaint.closed_at,
        obj=complaint,
    )


def contribute(agent: Agent, day: dt.date) -> ContributorResult:
    items = [_ask(v) for v in visits_to_ask(agent, day, limit=SHOWN)]
    items += [_ask_after_complaint(c) for c in closures_to_ask(agent, day, limit=SHOWN)]
    # One item per client: the newest good moment to ask.
    items.sort(key=lambda item: item.at or dt.datetime.min.replace(tzinfo=dt.UTC), reverse=True)
    newest: dict[str, WorkItem] = {}
    for item in items:
        newest.setdefault(item.key, item)
    return ContributorResult(items=list(newest.values())[:SHOWN])


def register() -> None:
    workbench.register(
        "referrals",
        contribute,
        order=80,
        heading=gettext_lazy("鼓励分享"),
        empty_text=gettext_lazy("暂无需要邀请转介绍的满意客户。"),
    )
