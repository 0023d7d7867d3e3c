"""Reads for the outbox: the messages a viewer may see (those of the clients they may see)."""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from anju.clients.models import Client
from anju.messaging.models import Message, MessageStatus
from anju.org.models import Agent
from anju.org.scoping import in_company, owned_scope, pool_or_owned

OPT_OUT_SALT = "anju.messaging.opt-out"
OPEN = (MessageStatus.AWAITING_APPROVAL, MessageStatus.QUEUED, MessageStatus.FAILED)


def messages_visible(viewer: Agent) -> QuerySet[Message]:
    """Messages to the clients the viewer may see: the pool's and those in the viewer's scope."""
    return in_company(Message.objects.select_related("client"), viewer).filter(
        pool_or_owned(viewer, owner_field="client__owner", store_field="client__store")
    )


def access_message(viewer: Agent, message_id: int) -> Message:
    """404 across companies, 403 for a message to a colleague's private client."""
    message = in_company(Message.objects.select_related("client"), viewer).filter(pk=message_id).first()
    if message is None:
        raise Http404(_("没有找到该消息。"))
    if not messages_visible(viewer).filter(pk=message.pk).exists():
        raise PermissionDenied(_("这是发给其他经纪人私客的消息，您无权处理。"))
    return message


def outbox_open(viewer: Agent, *, status: str = "") -> QuerySet[Message]:
    """What still wants attention: drafts to approve, messages waiting to leave, failures."""
    statuses = (status,) if status in OPEN else OPEN
    return messages_visible(viewer).filter(status__in=statuses).order_by("-created_at", "-id")


def outbox_search(viewer: Agent, *, client_id: int | None = None, status: str = "") -> QuerySet[Message]:
    """The messages the viewer may see, of one client and in one status when given."""
    qs = messages_visible(viewer)
    if client_id is not None:
        qs = qs.filter(client_id=client_id)
    if status:
        qs = qs.filter(status=status)
    return qs


def messages_sent_to(client: Client, *, limit: int = 20) -> list[Message]:
    """The client's timeline: what was sent to them, newest first (the caller has access to the client)."""
    return list(
        Message.objects.filter(client=client, status=MessageStatus.SENT)
        .exclude(channel="in_app")
        .order_by("-sent_at", "-id")[:limit]
    )


def client_for_opt_out(token: str) -> Client:
    """The client an opt-out link names (404 for a link that is not ours)."""
    try:
        payload = signing.loads(token, salt=OPT_OUT_SALT)
    except signing.BadSignature:
        raise Http404(_("链接无效。")) from None
    client = Client.objects.filter(pk=payload.get("c")).first()
    if client is None:
        raise Http404(_("链接无效。"))
    return client


def drafts_to_approve(viewer: Agent, *, limit: int = 10) -> tuple[list[Message], int]:
    """The drafts waiting for the viewer's approval (their own clients'; a manager's, the store's),
    oldest first, and how many there are: two queries."""
    drafts = owned_scope(
        Message.objects.filter(status=MessageStatus.AWAITING_APPROVAL),
        viewer,
        owner_field="client__owner",
        store_field="client__store",
    )
    return list(drafts.select_related("client").order_by("next_attempt_at", "id")[:limit]), drafts.count()
