"""Nightly: an update for each milestone that went past its due date undone."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from anju.processing.services import milestones_delayed_notify


# Huey reads crontabs in UTC: 22:30 UTC is 06:30 in Beijing, before the day's work.
@db_periodic_task(crontab(hour="22", minute="30"))
def nightly_delayed_milestones() -> int:
    return milestones_delayed_notify()
