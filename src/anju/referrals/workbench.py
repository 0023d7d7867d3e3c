"""Referrals' part of the workbench (decision 0012): 鼓励分享 — clients of the agent's deals who rated
an after-sales visit highly and have not been asked to refer friends yet. Asking (the 已邀请 button)
ends the item. Complaint closures join once complaints exist. Registered in ``ReferralsConfig.ready``."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.core import workbench
from anju.core.workbench import ContributorResult, Urgency, WorkItem
from anju.org.models import Agent
from anju.processing.models import Visit
from anju.referrals.selectors import visits_to_ask

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


def contribute(agent: Agent, day: dt.date) -> ContributorResult:
    return ContributorResult(items=[_ask(v) for v in visits_to_ask(agent, day, limit=SHOWN)])


def register() -> None:
    workbench.register(
        "referrals",
        contribute,
        order=80,
        heading=gettext_lazy("鼓励分享"),
        empty_text=gettext_lazy("暂无需要邀请转介绍的满意客户。"),
    )
