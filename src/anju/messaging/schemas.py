from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema


class OutboxFilterIn(Schema):
    client_id: int | None = None
    status: Literal["awaiting_approval", "queued", "sent", "failed", "cancelled"] | None = None


class OutboxMessageOut(Schema):
    id: int
    client_id: int
    channel: str
    kind: str
    status: str
    status_label: str
    idempotency_key: str
    template: str
    subject: str
    text: str
    reason: str
    attempts: int
    next_attempt_at: dt.datetime
    send_after: dt.datetime | None
    sent_at: dt.datetime | None
    created_at: dt.datetime


class ReplyOut(Schema):
    opted_out: bool
