"""Background jobs of core: the pending-jobs sweeper (decision 0025)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from anju.core.jobs import pending_jobs_resend


@db_periodic_task(crontab(minute="*"))
def resend_pending_jobs() -> dict[str, int]:
    """Send again the jobs whose send failed or whose worker died (their ``resend_at`` has passed)."""
    return pending_jobs_resend()
