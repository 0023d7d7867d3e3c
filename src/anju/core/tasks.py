"""Background jobs of core: the pending-jobs sweeper (decision 0025) and SQLite's nightly planner
statistics (decision 0030)."""

from __future__ import annotations

from django.db import connection
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from anju.core.jobs import pending_jobs_resend
from anju.core.planner import refresh_statistics


@db_periodic_task(crontab(minute="*"))
def resend_pending_jobs() -> dict[str, int]:
    """Send again the jobs whose send failed or whose worker died (their ``resend_at`` has passed)."""
    return pending_jobs_resend()


# Huey reads crontabs in UTC: 21:00 UTC is 05:00 in Beijing, after the night's jobs (care, outreach,
# matching's rebuild at 04:00) have written their tables and before the morning's first pages.
@db_periodic_task(crontab(hour="21", minute="0"))
def refresh_planner_statistics() -> dict[str, str]:
    """SQLite's statistics of every table, gathered anew (PostgreSQL's autovacuum keeps its own)."""
    if connection.vendor != "sqlite":
        return {"skipped": connection.vendor}
    refresh_statistics()
    return {"analysed": "all tables"}
