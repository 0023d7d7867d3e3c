"""Messaging's part of a client's personal information (decision 0024): every message to the
client. On erasure what was not sent is cancelled, and the text of every message is removed (the
row stays: the outbox's idempotency keys make sure nothing is sent twice)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from anju.clients.announcements import ClientErased
from anju.clients.services import ERASED_HOW, ERASED_TEXT
from anju.core import personal_data
from anju.core.announcements import listen
from anju.messaging.models import Message, MessageStatus

UNSENT = (MessageStatus.AWAITING_APPROVAL, MessageStatus.QUEUED, MessageStatus.FAILED)


def messages(client: Any) -> list[dict[str, Any]]:
    return personal_data.plain_rows(Message.objects.filter(client=client), exclude=("claim",))


@listen(ClientErased)
def erase_messages(news: ClientErased) -> None:
    theirs = Message.objects.filter(client_id__in=news.client_ids)
    theirs.filter(status__in=UNSENT).update(status=MessageStatus.CANCELLED, reason=ERASED_HOW)
    theirs.update(subject="", text=ERASED_TEXT)
    personal_data.scrub_model(theirs, news.values)


def register() -> None:
    personal_data.register_section("messages", messages, title=_("发给客户的消息"), order=70)
