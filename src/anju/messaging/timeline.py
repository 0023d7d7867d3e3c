"""The outbox's entries in the client's timeline: every message sent to the client."""

from __future__ import annotations

from django.utils.translation import gettext as _

from anju.clients.models import Client
from anju.clients.timeline import TimelineEntry, agent_name, timeline_source
from anju.messaging.models import Message, MessageChannel, MessageStatus


@timeline_source
def messages_sent(client: Client, limit: int) -> list[TimelineEntry]:
    rows = (
        Message.objects.filter(client=client, status=MessageStatus.SENT)
        .exclude(channel=MessageChannel.IN_APP)
        .select_related("approved_by", "created_by")
        .order_by("-sent_at", "-id")
    )
    return [
        TimelineEntry(
            at=m.sent_at or m.created_at,
            kind="message",
            label=_("已发送%(channel)s") % {"channel": m.get_channel_display()},
            who=agent_name(m.approved_by or m.created_by),
            text=m.text,
            row_id=m.pk,
        )
        for m in rows[:limit]
    ]
