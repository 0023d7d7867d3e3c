"""/api/v1/care/outbox — the outbox of the clients the caller may see; approve or cancel a message."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from anju.core.pagination import CursorPage, keyset_page
from anju.core.schemas import ERRORS
from anju.messaging import services
from anju.messaging.channels import SIGNATURE_HEADER, TIMESTAMP_HEADER
from anju.messaging.models import Message
from anju.messaging.schemas import OutboxFilterIn, OutboxMessageOut, ReplyOut
from anju.messaging.selectors import access_message, outbox_search
from anju.org.scoping import agent_of

router = Router(tags=["客户服务"])
MAX_ID = 2**63 - 1


def message_out(m: Message) -> dict:
    return {
        "id": m.pk,
        "client_id": m.client_id,
        "channel": m.channel,
        "kind": m.kind,
        "status": m.status,
        "status_label": m.get_status_display(),
        "idempotency_key": m.idempotency_key,
        "template": m.template,
        "subject": m.subject,
        "text": m.text,
        "reason": m.reason,
        "attempts": m.attempts,
        "next_attempt_at": m.next_attempt_at,
        "send_after": m.send_after,
        "sent_at": m.sent_at,
        "created_at": m.created_at,
    }


@router.get(
    "",
    response={200: CursorPage[OutboxMessageOut], **ERRORS},
    summary="发件箱（可按客户、状态筛选，最新在前）",
)
def list_outbox(
    request: HttpRequest, filters: Query[OutboxFilterIn], cursor: str | None = None, limit: int = 50
) -> dict:
    viewer = agent_of(request.user)
    qs = outbox_search(viewer, client_id=filters.client_id, status=filters.status or "")
    rows, next_cursor = keyset_page(qs, order=["-created_at", "-id"], cursor=cursor, limit=limit)
    return {"items": [message_out(m) for m in rows], "next_cursor": next_cursor}


@router.post(
    "/{message_id}/approve", response={200: OutboxMessageOut, **ERRORS}, summary="批准发送一条待审批消息"
)
def approve_message(request: HttpRequest, message_id: int) -> dict:
    viewer = agent_of(request.user)
    message = access_message(viewer, min(message_id, MAX_ID))
    return message_out(services.message_approve(message=message, by=viewer))


@router.post(
    "/{message_id}/cancel", response={200: OutboxMessageOut, **ERRORS}, summary="取消一条尚未发出的消息"
)
def cancel_message(request: HttpRequest, message_id: int) -> dict:
    viewer = agent_of(request.user)
    message = access_message(viewer, min(message_id, MAX_ID))
    return message_out(services.message_cancel(message=message, by=viewer))


@router.post(
    "/replies",
    auth=None,
    response={200: ReplyOut, **ERRORS},
    summary="短信服务商转来的客户回复（签名同发送接口；回复TD即退订）",
)
def receive_reply(request: HttpRequest) -> dict:
    opted_out = services.reply_receive(
        body=request.body,
        timestamp=request.headers.get(TIMESTAMP_HEADER, ""),
        given_signature=request.headers.get(SIGNATURE_HEADER, ""),
    )
    return {"opted_out": opted_out}
