"""Every five minutes: raise the complaint alarms whose time has come (idempotent)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from anju.complaints.services import complaint_alarms_raise


@db_periodic_task(crontab(minute="*/5"))
def complaint_alarms() -> int:
    return complaint_alarms_raise()
