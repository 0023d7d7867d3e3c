"""Background jobs of the import app."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from anju.imports.services import import_job_run, import_jobs_recover

# A queued message names its task "<module>.<name>". This task was registered from
# ``anju.core.tasks`` before the import app existed; it keeps that name so that jobs queued by a
# running deployment before an upgrade still find it.
REGISTERED_AS = "anju.core.tasks"


@db_task(__module__=REGISTERED_AS)
def run_import_job(job_id: int) -> None:
    """Check (and unless it is a dry run, write) one uploaded file; running it twice runs it once."""
    import_job_run(job_id=job_id)


@db_periodic_task(crontab(minute="*"))
def recover_import_jobs() -> None:
    """Take up again the import jobs of a worker that died (their lease ran out)."""
    import_jobs_recover()
