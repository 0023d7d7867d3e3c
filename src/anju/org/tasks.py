"""Background jobs for the organisation."""

from __future__ import annotations

import datetime as dt

from huey.contrib.djhuey import db_task

from anju.org.models import LoginRecord


@db_task(retries=3, retry_delay=5)
def record_login(*, user_id: int, at: str, ip_address: str | None, user_agent: str, key: str) -> None:
    """Write one login record; running it twice with the same key writes it once."""
    LoginRecord.objects.get_or_create(
        key=key,
        defaults={
            "user_id": user_id,
            "at": dt.datetime.fromisoformat(at),
            "ip_address": ip_address or None,
            "user_agent": user_agent[:300],
        },
    )
