"""The outbox's part of the workbench: 待审批消息, the drafts (greetings, recommendations) waiting for
the agent's approval, each approved or cancelled in place. Registered in ``MessagingConfig.ready``."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy

from anju.core import workbench
from anju.core.workbench import ContributorResult, Urgency, WorkItem
from anju.messaging.models import Message
from anju.messaging.selectors import drafts_to_approve
from anju.org.models import Agent


def _draft(message: Message) -> WorkItem:
    return WorkItem(
        source="messaging",
        kind="message_draft",
        key=f"message:{message.pk}",
        title=f"{message.client.name} · {message.get_kind_display()}",
        detail=message.text,
        note=message.get_channel_display(),
        url=reverse("web:outbox") + "?status=awaiting_approval",
        urgency=Urgency.TODAY,
        at=message.next_attempt_at,
        obj=message,
    )


def contribute(agent: Agent, day: dt.date) -> ContributorResult:
    drafts, total = drafts_to_approve(agent)
    return ContributorResult(items=[_draft(m) for m in drafts], total=total)


def register() -> None:
    workbench.register(
        "messaging",
        contribute,
        order=25,
        heading=gettext_lazy("待审批消息"),
        empty_text=gettext_lazy("没有待审批的消息。"),
        template="web/messaging/_drafts.html",
    )
