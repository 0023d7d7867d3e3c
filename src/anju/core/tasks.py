"""Background jobs of the core: imports."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from anju.core.import_jobs import import_job_run


@db_task()
def run_import_job(job_id: int) -> None:
    """Check (and unless it is a dry run, write) one uploaded file; running it twice runs it once."""
    import_job_run(job_id=job_id)
