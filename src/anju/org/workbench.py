"""The notices (提醒) on the workbench: the agent's unread notifications, each ticked off with
知道了. Registered in ``OrgConfig.ready``."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy

from anju.core import workbench
from anju.core.workbench import ContributorResult, Urgency, WorkItem
from anju.org.models import Agent, Notification
from anju.org.selectors import notices_unread


def _notice(notice: Notification) -> WorkItem:
    return WorkItem(
        source="org",
        kind="notice",
        key=f"notice:{notice.pk}",
        title=notice.text,
        url=notice.url,
        urgency=Urgency.INFO,
        at=notice.created_at,
        done_url=reverse("web:notification_read", args=[notice.pk]),
        obj=notice,
    )


def contribute(agent: Agent, day: dt.date) -> ContributorResult:
    return ContributorResult(items=[_notice(notice) for notice in notices_unread(agent)])


def register() -> None:
    workbench.register(
        "org",
        contribute,
        order=10,
        heading=gettext_lazy("提醒"),
        template="web/workbench/_notices.html",
        band="top",
    )
