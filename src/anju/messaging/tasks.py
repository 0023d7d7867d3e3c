"""The outbox's job: every minute, queue newly approved matches and send what is due."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from anju.messaging.services import matches_queue_approved, messages_send_due


@db_periodic_task(crontab(minute="*"))
def send_messages() -> dict[str, int]:
    """Idempotent and safe on several workers: each message is claimed under a lease and keyed."""
    return {"matches_queued": matches_queue_approved(), **messages_send_due()}
